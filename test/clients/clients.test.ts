// The README's client recipes (examples/clients/src, each client with its default settings) run
// against a started stack: Apollo Client 4 (a query, @defer, a retried mutation with an
// idempotency key, a subscription over multipart HTTP and over graphql-ws), urql (a query,
// @defer, a subscription over SSE), graphql-request, and graphql-ws's and graphql-sse's own
// clients. Each subscription waits on the event a case change it caused produces.
// examples/clients has its own package.json (npm ci --prefix examples/clients).
import WebSocket from 'ws';
import { startStack, type Stack } from '../harness.js';
import { liveKit, settle, until } from '../live/live-kit.js';
import type { Session } from '../../examples/clients/src/session.js';
import * as apollo from '../../examples/clients/src/apollo.js';
import { createApolloWsClient } from '../../examples/clients/src/apollo-ws.js';
import * as urql from '../../examples/clients/src/urql.js';
import * as request from '../../examples/clients/src/graphql-request.js';
import * as graphqlWs from '../../examples/clients/src/graphql-ws.js';
import * as graphqlSse from '../../examples/clients/src/graphql-sse.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 60, live: { recheckMs: 200 } });
}, 60_000);
const live = liveKit(() => stack);
const stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await live.closeAll();
});
afterAll(() => stack.stop());

const url = () => `${stack.gatewayUrl}/graphql`;
const wsUrl = () => url().replace(/^http/, 'ws');

/** A signed-in citizen with an open case, as a recipe's Session. */
async function citizen(n: number) {
  const c = await live.citizenWithCase(n);
  const token = c.authorization.replace(/^Bearer /, '');
  const session: Session = { accessToken: () => token, refresh: async () => {} };
  return { ...c, session };
}

interface CaseEvent {
  data?: { caseUpdated: { kind: string; case: { id: string; status: string } | null } } | null;
}

/**
 * Starts a subscription (`start` pushes what arrives and returns its stop), changes the case's
 * status once it is live, and returns the first event.
 */
async function firstEvent(caseId: string, start: (push: (r: CaseEvent) => void) => () => unknown) {
  const events: CaseEvent[] = [];
  stops.push(start((r) => events.push(r)));
  await settle(800); // the upstream subscription is open (as test/live does)
  const status = live.otherStatus(caseId);
  await live.crm('PATCH', `/sobjects/Case/${caseId}`, { Status: status });
  await until(() => events.length > 0, 8000);
  // Apollo Client adds __typename to every selection; the others send the document as written.
  expect(events[0].data?.caseUpdated).toMatchObject({
    kind: 'STATUS_CHANGED',
    case: { id: caseId, status: status.toUpperCase() },
  });
}
/** Drains an async iterator into `push`; its stop ends it. */
const drain = (it: AsyncIterableIterator<unknown>, push: (r: CaseEvent) => void) => {
  void (async () => {
    for await (const r of it) push(r as CaseEvent);
  })();
  return () => it.return?.();
};

describe('Apollo Client 4', () => {
  test('a query, and @defer whole once the deferred part arrives', async () => {
    const c = await citizen(0);
    const client = apollo.createApolloClient(url(), c.session);
    const { data } = await apollo.viewer(client);
    expect(data).toMatchObject({ viewer: { citizen: { displayName: c.displayName } } });
    const id = (data as { viewer: { citizen: { id: string } } }).viewer.citizen.id;
    const profile = await apollo.profileDeferred(client, id);
    expect(profile.data).toMatchObject({
      citizen: { id, displayName: c.displayName, orders: { totalCount: expect.any(Number) } },
    });
  });

  test('a mutation retried with the same idempotency key opens one case', async () => {
    const c = await citizen(1);
    const client = apollo.createApolloClient(url(), c.session);
    const cases = () =>
      stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.citizen.contactId).length;
    const before = cases();
    const key = 'recipe-retry-0001';
    const first = await apollo.createCase(client, 'Streetlight out', key);
    const retry = await apollo.createCase(client, 'Streetlight out', key);
    const opened = (r: typeof first) =>
      (r.data as { createCase: { case: { id: string } } }).createCase.case.id;
    expect(opened(retry)).toBe(opened(first));
    expect(cases()).toBe(before + 1);
  });

  test('a subscription over multipart HTTP (HttpLink, no split link)', async () => {
    const c = await citizen(2);
    const client = apollo.createApolloClient(url(), c.session);
    await firstEvent(c.caseId, (push) => {
      const sub = apollo
        .caseUpdates(client, c.caseId)
        .subscribe({ next: (r) => push(r as CaseEvent) });
      return () => sub.unsubscribe();
    });
  });

  test('a subscription over graphql-ws', async () => {
    const c = await citizen(3);
    const { client, ws } = createApolloWsClient(url(), wsUrl(), c.session, WebSocket);
    await firstEvent(c.caseId, (push) => {
      const sub = apollo
        .caseUpdates(client, c.caseId)
        .subscribe({ next: (r) => push(r as CaseEvent) });
      return async () => {
        sub.unsubscribe();
        await ws.dispose();
      };
    });
  });
});

describe('urql', () => {
  test('a query, and @defer in two results', async () => {
    const c = await citizen(4);
    const client = urql.createUrqlClient(url(), c.session);
    const { data, error } = await urql.viewer(client);
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ viewer: { citizen: { displayName: c.displayName } } });
    const id = (data as { viewer: { citizen: { id: string } } }).viewer.citizen.id;
    const results: Array<{ data?: { citizen: { orders?: unknown } }; hasNext?: boolean }> = [];
    const sub = urql.profileDeferred(client, id).subscribe((r) => results.push(r));
    stops.push(() => sub.unsubscribe());
    await until(() => results.some((r) => r.data?.citizen.orders !== undefined && !r.hasNext));
    expect(results[0].data?.citizen).toMatchObject({ id, displayName: c.displayName });
    expect(results[0].data?.citizen.orders).toBeUndefined();
    expect(results.at(-1)?.data?.citizen.orders).toEqual({
      __typename: 'OrderConnection',
      totalCount: expect.any(Number),
    });
  });

  test('a subscription over SSE (fetchSubscriptions)', async () => {
    const c = await citizen(5);
    const client = urql.createUrqlClient(url(), c.session);
    await firstEvent(c.caseId, (push) => {
      const sub = urql.caseUpdates(client, c.caseId).subscribe((r) => push(r as CaseEvent));
      return () => sub.unsubscribe();
    });
  });
});

test('graphql-request: a query', async () => {
  const c = await citizen(6);
  const data = await request.viewer(request.createRequestClient(url(), c.session));
  expect(data.viewer.citizen?.displayName).toBe(c.displayName);
});

test("graphql-ws's client: a subscription", async () => {
  const c = await citizen(7);
  const client = graphqlWs.createWsClient(wsUrl(), c.session, WebSocket);
  stops.push(() => client.dispose());
  await firstEvent(c.caseId, (push) => drain(graphqlWs.caseUpdates(client, c.caseId), push));
});

test("graphql-sse's client: a subscription", async () => {
  const c = await citizen(8);
  const client = graphqlSse.createSseClient(url(), c.session);
  stops.push(() => client.dispose());
  await firstEvent(c.caseId, (push) => drain(graphqlSse.caseUpdates(client, c.caseId), push));
});

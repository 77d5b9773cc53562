// The README's client recipes (examples/clients/src, each client with its default settings) run
// against a started stack: Apollo Client 4 (a query, @defer, a retried mutation with an
// idempotency key, a subscription over multipart HTTP and over graphql-ws), urql (a query,
// @defer, a subscription over SSE), graphql-request, and graphql-ws's and graphql-sse's own
// clients. Each subscription waits on the event a case change it caused produces.
// examples/clients has its own package.json (npm ci --prefix examples/clients).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startStack, type Stack } from '../harness.js';
import { liveKit, until } from '../live/live-kit.js';
import type { Session } from '../../examples/clients/src/session.js';

// In CI the recipes' dependencies are installed by .ci/run and this suite must run; locally it
// runs once `npm ci --prefix examples/clients` has.
const installed = existsSync(join(__dirname, '../../examples/clients/node_modules/@apollo/client'));
const canRun = installed || process.env.CI === 'true';
if (!canRun)
  console.warn(
    'skipping the client recipes: needs their dependencies (npm ci --prefix examples/clients)',
  );
const clientsDescribe = canRun ? describe : describe.skip;

/** The recipes, loaded only when their packages are installed. */
const load = async () => ({
  apollo: await import('../../examples/clients/src/apollo.js'),
  apolloWs: await import('../../examples/clients/src/apollo-ws.js'),
  urql: await import('../../examples/clients/src/urql.js'),
  request: await import('../../examples/clients/src/graphql-request.js'),
  graphqlWs: await import('../../examples/clients/src/graphql-ws.js'),
  graphqlSse: await import('../../examples/clients/src/graphql-sse.js'),
});
let r: Awaited<ReturnType<typeof load>>;

let stack: Stack;
const live = liveKit(() => stack);
const stops: Array<() => unknown> = [];

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
 * status until an event arrives, and checks that event.
 */
async function firstEvent(caseId: string, start: (push: (r: CaseEvent) => void) => () => unknown) {
  const events: CaseEvent[] = [];
  stops.push(start((r) => events.push(r)));
  const written = await live.changeStatusUntil(caseId, () => events.length > 0);
  // Apollo Client adds __typename to every selection; the others send the document as written.
  expect(events[0].data?.caseUpdated).toMatchObject({
    kind: 'STATUS_CHANGED',
    case: { id: caseId },
  });
  expect(written.map((w) => w.toUpperCase())).toContain(events[0].data?.caseUpdated.case?.status);
}
/** Drains an async iterator into `push`; its stop ends it. */
const drain = (it: AsyncIterableIterator<unknown>, push: (r: CaseEvent) => void) => {
  void (async () => {
    for await (const r of it) push(r as CaseEvent);
  })();
  return () => it.return?.();
};

clientsDescribe('the client recipes', () => {
  beforeAll(async () => {
    r = await load();
    stack = await startStack({ citizens: 60, live: { recheckMs: 200 } });
  }, 60_000);
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await live.closeAll();
  });
  afterAll(() => stack?.stop());

  describe('Apollo Client 4', () => {
    test('a query, and @defer whole once the deferred part arrives', async () => {
      const c = await citizen(0);
      const client = r.apollo.createApolloClient(url(), c.session);
      const { data } = await r.apollo.viewer(client);
      expect(data).toMatchObject({ viewer: { citizen: { displayName: c.displayName } } });
      const id = (data as { viewer: { citizen: { id: string } } }).viewer.citizen.id;
      const profile = await r.apollo.profileDeferred(client, id);
      expect(profile.data).toMatchObject({
        citizen: { id, displayName: c.displayName, orders: { totalCount: expect.any(Number) } },
      });
    });

    test('a stale token is refreshed once and the query retried', async () => {
      const c = await citizen(9);
      let token = 'stale-token';
      let refreshes = 0;
      const session: Session = {
        accessToken: () => token,
        refresh: async () => {
          refreshes++;
          token = c.authorization.replace(/^Bearer /, '');
        },
      };
      const { data } = await r.apollo.viewer(r.apollo.createApolloClient(url(), session));
      expect(data).toMatchObject({ viewer: { citizen: { displayName: c.displayName } } });
      expect(refreshes).toBe(1);
    });

    test('a mutation retried with the same idempotency key opens one case', async () => {
      const c = await citizen(1);
      const client = r.apollo.createApolloClient(url(), c.session);
      const cases = () =>
        stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.citizen.contactId).length;
      const before = cases();
      const key = 'recipe-retry-0001';
      const first = await r.apollo.createCase(client, 'Streetlight out', key);
      const retry = await r.apollo.createCase(client, 'Streetlight out', key);
      const opened = (res: typeof first) =>
        (res.data as { createCase: { case: { id: string } } }).createCase.case.id;
      expect(opened(retry)).toBe(opened(first));
      expect(cases()).toBe(before + 1);
    });

    test('a subscription over multipart HTTP (HttpLink, no split link)', async () => {
      const c = await citizen(2);
      const client = r.apollo.createApolloClient(url(), c.session);
      await firstEvent(c.caseId, (push) => {
        const sub = r.apollo
          .caseUpdates(client, c.caseId)
          .subscribe({ next: (e) => push(e as CaseEvent) });
        return () => sub.unsubscribe();
      });
    });

    test('a subscription over graphql-ws', async () => {
      const c = await citizen(3);
      const { client, ws } = r.apolloWs.createApolloWsClient(url(), wsUrl(), c.session, WebSocket);
      await firstEvent(c.caseId, (push) => {
        const sub = r.apollo
          .caseUpdates(client, c.caseId)
          .subscribe({ next: (e) => push(e as CaseEvent) });
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
      const client = r.urql.createUrqlClient(url(), c.session);
      const { data, error } = await r.urql.viewer(client);
      expect(error).toBeUndefined();
      expect(data).toMatchObject({ viewer: { citizen: { displayName: c.displayName } } });
      const id = (data as { viewer: { citizen: { id: string } } }).viewer.citizen.id;
      const results: Array<{ data?: { citizen: { orders?: unknown } }; hasNext?: boolean }> = [];
      const sub = r.urql.profileDeferred(client, id).subscribe((res) => results.push(res));
      stops.push(() => sub.unsubscribe());
      await until(() => results.some((x) => x.data?.citizen.orders !== undefined && !x.hasNext));
      expect(results[0].data?.citizen).toMatchObject({ id, displayName: c.displayName });
      expect(results[0].data?.citizen.orders).toBeUndefined();
      expect(results.at(-1)?.data?.citizen.orders).toEqual({
        __typename: 'OrderConnection',
        totalCount: expect.any(Number),
      });
    });

    test('a subscription over SSE (fetchSubscriptions)', async () => {
      const c = await citizen(5);
      const client = r.urql.createUrqlClient(url(), c.session);
      await firstEvent(c.caseId, (push) => {
        const sub = r.urql.caseUpdates(client, c.caseId).subscribe((e) => push(e as CaseEvent));
        return () => sub.unsubscribe();
      });
    });
  });

  test('graphql-request: a query', async () => {
    const c = await citizen(6);
    const data = await r.request.viewer(r.request.createRequestClient(url(), c.session));
    expect(data.viewer.citizen?.displayName).toBe(c.displayName);
  });

  test("graphql-ws's client: a subscription", async () => {
    const c = await citizen(7);
    const client = r.graphqlWs.createWsClient(wsUrl(), c.session, WebSocket);
    stops.push(() => client.dispose());
    await firstEvent(c.caseId, (push) => drain(r.graphqlWs.caseUpdates(client, c.caseId), push));
  });

  test("graphql-sse's client: a subscription", async () => {
    const c = await citizen(8);
    const client = r.graphqlSse.createSseClient(url(), c.session);
    stops.push(() => client.dispose());
    await firstEvent(c.caseId, (push) => drain(r.graphqlSse.caseUpdates(client, c.caseId), push));
  });
});

// Live case updates through the gateway: GraphQL over WebSocket (graphql-ws) and over SSE
// (graphql-sse) on /graphql, each event's `case { … }` resolved through the federated plan
// (citizen.displayName comes from the customer subgraph), authorized per event; an expired or
// revoked token ends the subscription with UNAUTHENTICATED; a dropped upstream loses nothing.
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import WebSocket from 'ws';
import { startStack, type Stack } from '../harness.js';
import { agentHeaders, loginAs } from '../client.js';

let stack: Stack;
const closers: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  stack = await startStack({
    citizens: 60,
    live: { recheckMs: 200 },
    env: { TOKEN_CACHE_MAX_SECONDS: '1' },
  });
}, 60_000);
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
afterAll(async () => {
  await stack.stop();
});

const QUERY = /* GraphQL */ `
  subscription ($id: ID) {
    caseUpdated(id: $id) {
      kind
      changedFields
      case {
        id
        status
        comments {
          body
        }
        citizen {
          displayName
        }
      }
    }
  }
`;

interface Received {
  data?: {
    caseUpdated: {
      kind: string;
      changedFields: string[];
      case: {
        id: string;
        status: string;
        comments: Array<{ body: string }>;
        citizen: { displayName: string };
      };
    };
  };
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

function sink() {
  const results: Received[] = [];
  const errors: unknown[] = [];
  let completed = false;
  return {
    results,
    errors,
    completed: () => completed,
    observer: {
      next: (r: unknown) => results.push(r as Received),
      error: (e: unknown) => errors.push(e),
      complete: () => (completed = true),
    },
  };
}

function overWs(authorization: string, id?: string) {
  const client: WsClient = createWsClient({
    url: `${stack.gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    retryAttempts: 0,
  });
  closers.push(() => client.dispose());
  const s = sink();
  client.subscribe({ query: QUERY, variables: { id: id ?? null } }, s.observer);
  return s;
}

function overSse(authorization: string, id?: string) {
  const client: SseClient = createSseClient({
    url: `${stack.gatewayUrl}/graphql`,
    headers: { authorization },
    retryAttempts: 0,
  });
  closers.push(() => client.dispose());
  const s = sink();
  client.subscribe({ query: QUERY, variables: { id: id ?? null } }, s.observer);
  return s;
}

async function until(ok: () => boolean, ms = 5000) {
  const started = Date.now();
  while (!ok()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

const citizens = () => stack.emulator.core.world.citizens;
/** The n-th citizen with an open case, the case, and their bearer header. */
async function citizenWithCase(n: number) {
  let seen = 0;
  for (const c of citizens()) {
    const open = stack.emulator.core.sobjects
      .findBy('Case', 'ContactId', c.contactId)
      .find((r) => !r.IsClosed);
    if (open && seen++ === n) {
      const headers = await loginAs(stack, c.username, stack.emulator.core.world.citizenPassword);
      return {
        citizen: c,
        caseId: open.Id,
        authorization: headers.authorization,
        displayName: `${c.firstName} ${c.lastName}`,
      };
    }
  }
  throw new Error('no citizen with an open case');
}

async function crm(method: string, path: string, body: unknown) {
  const { authorization } = await agentHeaders(stack);
  const res = await fetch(`${stack.env.CRM_LOGIN_URL}/services/data/v62.0${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status}`);
}
const otherStatus = (caseId: string) =>
  stack.emulator.core.sobjects.get('Case', caseId)!.Status === 'Escalated'
    ? 'Working'
    : 'Escalated';

test('over WebSocket and SSE, citizens receive their own status change and an agent comment, with citizen.displayName; citizen B nothing', async () => {
  const a = await citizenWithCase(0);
  const b = await citizenWithCase(1);
  const wsA = overWs(a.authorization);
  const sseB = overSse(b.authorization, b.caseId);
  const spy = overWs(b.authorization, a.caseId); // B asks for A's case
  await settle(800);
  const status = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: status });
  await crm('POST', '/sobjects/CaseComment', {
    ParentId: a.caseId,
    CommentBody: 'Crew scheduled for Tuesday.',
    IsPublished: true,
  });
  const bStatus = otherStatus(b.caseId);
  await crm('PATCH', `/sobjects/Case/${b.caseId}`, { Status: bStatus });
  await until(() => wsA.results.length === 2 && sseB.results.length === 1);
  await settle();
  expect(wsA.results.map((r) => r.data?.caseUpdated.kind)).toEqual([
    'STATUS_CHANGED',
    'COMMENT_ADDED',
  ]);
  expect(wsA.results[0].data!.caseUpdated.case).toMatchObject({
    id: a.caseId,
    status: status.toUpperCase(),
    citizen: { displayName: a.displayName },
  });
  expect(wsA.results[1].data!.caseUpdated.case.comments.at(-1)).toEqual({
    body: 'Crew scheduled for Tuesday.',
  });
  expect(sseB.results).toEqual([
    {
      data: {
        caseUpdated: {
          kind: 'STATUS_CHANGED',
          changedFields: ['status', 'updatedAt'],
          case: expect.objectContaining({
            id: b.caseId,
            status: bStatus.toUpperCase(),
            citizen: { displayName: b.displayName },
          }),
        },
      },
    },
  ]);
  expect(spy.results).toEqual([]);
  expect(spy.errors).toEqual([]);
});

test('a revoked token ends the subscription with UNAUTHENTICATED', async () => {
  const a = await citizenWithCase(2);
  const live = overWs(a.authorization, a.caseId);
  await settle(500);
  stack.emulator.core.tokens.revoke(a.authorization.replace(/^Bearer /, ''));
  await until(() => live.completed(), 8000);
  expect(live.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('the upstream stream dropped and restored loses no event (replay)', async () => {
  const a = await citizenWithCase(3);
  const live = overWs(a.authorization, a.caseId);
  await settle(800);
  const first = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: first });
  await until(() => live.results.length === 1);
  await stack.pubsub!.dropStreams();
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: otherStatus(a.caseId) });
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Graffiti (updated)' });
  await until(() => live.results.length === 3, 8000);
  await settle();
  expect(live.results.map((r) => r.data?.caseUpdated.kind)).toEqual([
    'STATUS_CHANGED',
    'STATUS_CHANGED',
    'UPDATED',
  ]);
});

test('a bad token cannot open a WebSocket subscription or an SSE stream', async () => {
  const ws = overWs('Bearer nope');
  const sse = overSse('Bearer nope');
  await until(() => ws.errors.length > 0 && sse.errors.length > 0);
  expect(ws.results).toEqual([]);
  expect(sse.results).toEqual([]);
});

test('the depth limit of queries applies to subscriptions; subscriptions per connection are capped', async () => {
  const a = await citizenWithCase(4);
  const client: WsClient = createWsClient({
    url: `${stack.gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: a.authorization },
    retryAttempts: 0,
  });
  closers.push(() => client.dispose());
  const deep = sink();
  const nested = 'citizen { cases { edges { node { '.repeat(3) + 'id' + ' } } } }'.repeat(3);
  client.subscribe({ query: `subscription { caseUpdated { case { ${nested} } } }` }, deep.observer);
  await until(() => deep.errors.length === 1);
  expect(JSON.stringify(deep.errors[0])).toContain('depth');
  // The harness allows 20 per connection: the 21st is refused, the 20 stay.
  const held = Array.from({ length: 21 }, () => {
    const s = sink();
    client.subscribe({ query: QUERY, variables: { id: a.caseId } }, s.observer);
    return s;
  });
  await until(() => held.some((s) => s.results.length > 0 || s.errors.length > 0));
  await settle();
  const refused = held.filter((s) =>
    s.results.some((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED'),
  );
  expect(refused).toHaveLength(1);
});

// Live case updates through the gateway: GraphQL over WebSocket (graphql-ws) and over SSE
// (graphql-sse) on /graphql, each event's `case { … }` resolved through the federated plan
// (citizen.displayName comes from the customer subgraph), authorized per event; an expired or
// revoked token ends the subscription with UNAUTHENTICATED; a dropped upstream loses nothing.
import { startStack, type Stack } from '../harness.js';
import { isProbe, liveKit, sink, until, withoutProbes } from './live-kit.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    citizens: 60,
    live: { recheckMs: 200 },
    env: { TOKEN_CACHE_MAX_SECONDS: '1' },
  });
}, 60_000);
afterEach(() => live.closeAll());
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

const live = liveKit(() => stack);
const { citizenWithCase, crm, drained, otherStatus, probeLive, probeUntil } = live;
const overWs = (authorization: string, id?: string) =>
  live.overWs(authorization, { query: QUERY, variables: { id: id ?? null } });
const overSse = (authorization: string, id?: string) =>
  live.overSse(authorization, { query: QUERY, variables: { id: id ?? null } });

test('over WebSocket and SSE, citizens receive their own status change and an agent comment, with citizen.displayName; citizen B nothing', async () => {
  const a = await citizenWithCase(0);
  const b = await citizenWithCase(1);
  const wsA = overWs(a.authorization);
  const sseB = overSse(b.authorization, b.caseId);
  const spy = overWs(b.authorization, a.caseId); // B asks for A's case
  await probeLive(wsA, a.caseId);
  await probeLive(sseB, b.caseId);
  const status = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: status });
  await crm('POST', '/sobjects/CaseComment', {
    ParentId: a.caseId,
    CommentBody: 'Crew scheduled for Tuesday.',
    IsPublished: true,
  });
  const bStatus = otherStatus(b.caseId);
  await crm('PATCH', `/sobjects/Case/${b.caseId}`, { Status: bStatus });
  const aGot = () => withoutProbes(wsA.results);
  const bGot = () => withoutProbes(sseB.results);
  await until(() => aGot().length === 2 && bGot().length === 1);
  await drained(wsA, a.caseId);
  await drained(sseB, b.caseId);
  expect(aGot().map((r) => r.data?.caseUpdated.kind)).toEqual(['STATUS_CHANGED', 'COMMENT_ADDED']);
  expect(aGot()[0].data!.caseUpdated.case).toMatchObject({
    id: a.caseId,
    status: status.toUpperCase(),
    citizen: { displayName: a.displayName },
  });
  expect(aGot()[1].data!.caseUpdated.case.comments.at(-1)).toEqual({
    body: 'Crew scheduled for Tuesday.',
  });
  expect(bGot()).toEqual([
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
  await probeLive(live, a.caseId);
  stack.emulator.core.tokens.revoke(a.authorization.replace(/^Bearer /, ''));
  await until(() => live.completed());
  expect(live.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('the upstream stream dropped and restored loses no event (replay)', async () => {
  const a = await citizenWithCase(3);
  const live = overWs(a.authorization, a.caseId);
  await probeLive(live, a.caseId);
  const got = () => withoutProbes(live.results);
  const first = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: first });
  await until(() => got().length === 1);
  await stack.pubsub!.dropStreams();
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: otherStatus(a.caseId) });
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Graffiti (updated)' });
  await until(() => got().length === 3);
  await drained(live, a.caseId);
  expect(got().map((r) => r.data?.caseUpdated.kind)).toEqual([
    'STATUS_CHANGED',
    'STATUS_CHANGED',
    'UPDATED',
  ]);
});

test('a change whose case the case subgraph cannot read reaches the subscriber as its coded error (caseId), and the next change as usual', async () => {
  const a = await citizenWithCase(4);
  const live = overWs(a.authorization, a.caseId);
  await probeLive(live, a.caseId);
  const got = () => withoutProbes(live.results);
  const fault = stack.emulator.faults.add({
    kind: 'status',
    family: 'crm',
    status: 503,
    path: '/composite/sobjects/Case',
  });
  try {
    await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Broken bench (unreadable)' });
    await until(() => got().length === 1);
  } finally {
    stack.emulator.faults.remove(fault.id);
  }
  expect(got()[0].data ?? null).toBeNull();
  expect(got()[0].errors).toEqual([
    expect.objectContaining({
      extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', caseId: a.caseId }),
    }),
  ]);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Broken bench (readable)' });
  await until(() => got().length === 2);
  expect(got()[1].data?.caseUpdated.kind).toBe('UPDATED');
});

test('a merged change event reaches each citizen as their own case; a gap event as GAP, re-read', async () => {
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_merged_events.htm
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
  const a = await citizenWithCase(4);
  const b = await citizenWithCase(5);
  for (const id of [a.caseId, b.caseId])
    stack.emulator.core.sobjects.update('Case', id, { Priority: 'Low' });
  const wsA = overWs(a.authorization);
  const sseB = overSse(b.authorization);
  await probeLive(wsA, a.caseId);
  await probeLive(sseB, b.caseId);
  const aGot = () => withoutProbes(wsA.results);
  const bGot = () => withoutProbes(sseB.results);
  // One transaction, the same change to both cases: ONE event naming both.
  await crm('PATCH', '/composite/sobjects', {
    allOrNone: true,
    records: [a.caseId, b.caseId].map((id) => ({
      attributes: { type: 'Case' },
      id,
      Priority: 'High',
    })),
  });
  await until(() => aGot().length === 1 && bGot().length === 1);
  const gapStatus = otherStatus(a.caseId);
  const res = await fetch(`${stack.env.CRM_LOGIN_URL!.replace(/\/crm$/, '')}/__emulator/cdc/gap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: 'GAP_UPDATE',
      records: [{ id: a.caseId, fields: { Status: gapStatus } }],
    }),
  });
  expect(res.status).toBe(201);
  await until(() => aGot().length === 2);
  await drained(wsA, a.caseId);
  await drained(sseB, b.caseId);
  expect(aGot().map((r) => r.data?.caseUpdated)).toEqual([
    {
      kind: 'UPDATED',
      changedFields: ['priority', 'updatedAt'],
      case: expect.objectContaining({ id: a.caseId, citizen: { displayName: a.displayName } }),
    },
    {
      kind: 'GAP',
      changedFields: [],
      case: expect.objectContaining({ id: a.caseId, status: gapStatus.toUpperCase() }),
    },
  ]);
  expect(bGot().map((r) => r.data?.caseUpdated.case.id)).toEqual([b.caseId]);
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
  const client = live.wsClient(a.authorization);
  const deep = sink();
  const nested = 'citizen { cases { edges { node { '.repeat(3) + 'id' + ' } } } }'.repeat(3);
  client.subscribe({ query: `subscription { caseUpdated { case { ${nested} } } }` }, deep.observer);
  await until(() => deep.errors.length === 1);
  expect(JSON.stringify(deep.errors[0])).toContain('MAX_QUERY_DEPTH');
  // The harness allows 20 per connection: the 21st is refused, the 20 stay.
  const held = Array.from({ length: 21 }, () => {
    const s = sink();
    client.subscribe({ query: QUERY, variables: { id: a.caseId } }, s.observer);
    return s;
  });
  const isRefused = (s: (typeof held)[number]) =>
    s.results.some((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
  // Every one has answered: refused, or live (it got a probe).
  await probeUntil(() => held.every((s) => isRefused(s) || s.results.some(isProbe)), a.caseId);
  const refused = held.filter(isRefused);
  expect(refused).toHaveLength(1);
});

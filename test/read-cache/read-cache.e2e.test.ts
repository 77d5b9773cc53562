// The read cache of Salesforce reads (lib/read-cache) through the public surface, in memory: a
// repeated CitizenProfile costs no Salesforce call; an agent's change made straight in CRM REST
// is seen by the next read once its change event was delivered (waited on with a caseUpdated
// subscription, never a sleep); a comment added through the graph is seen at once; a warm cache
// never answers one citizen with another's records; below the org's API floor a cached read is
// served stale (extensions.staleReads) and one not cached is refused with RATE_LIMITED.
import {
  AddCartItemDocument,
  AddCaseCommentDocument,
  CaseWithCitizenDocument,
  CitizenProfileDocument,
} from '../../gql/graphql.js';
import { agentHeaders } from '../client.js';
import { gql, startStack, type Stack } from '../harness.js';
import { liveKit, until, withoutProbes } from '../live/live-kit.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    citizens: 60,
    live: {},
    env: { READ_CACHE: 'memory', READ_CACHE_API_FLOOR_PERCENT: '10' },
  });
}, 60_000);
afterEach(() => live.closeAll());
afterAll(async () => {
  await stack.stop();
});

const live = liveKit(() => stack);

const SUBSCRIPTION = /* GraphQL */ `
  subscription ($id: ID) {
    caseUpdated(id: $id) {
      kind
      changedFields
      case {
        id
        status
      }
    }
  }
`;

/** Salesforce calls per family of one request, from the emulator's call log. */
async function callsOf<T>(run: () => Promise<T>) {
  stack.emulator.log.reset();
  const result = await run();
  return { result, calls: stack.emulator.log.countByFamily() };
}

const COST = { 'x-upstream-cost': '1' };

test("the same citizen's CitizenProfile twice: the second costs no Data Cloud and no CRM call", async () => {
  const a = await live.citizenWithCase(0);
  const id = a.citizen.unifiedId;
  const first = await callsOf(() =>
    gql(stack, { authorization: a.authorization }, CitizenProfileDocument, { id }, COST),
  );
  expect(first.result.body.errors).toBeUndefined();
  expect(first.calls.datacloud).toBeGreaterThan(0);
  expect(first.calls.crm).toBeGreaterThan(0);
  const second = await callsOf(() =>
    gql(stack, { authorization: a.authorization }, CitizenProfileDocument, { id }, COST),
  );
  expect(second.result.body.errors).toBeUndefined();
  expect(second.result.body.data).toEqual(first.result.body.data);
  expect(stack.emulator.log.list().map((c) => `${c.family} ${c.method} ${c.path}`)).toEqual([]);
  expect(second.calls.datacloud ?? 0).toBe(0);
  expect(second.calls.crm ?? 0).toBe(0);
  // The cost report says where the answers came from: cache hits beside (no) calls.
  const cost = second.result.body.extensions?.upstreamCost as Record<
    string,
    { calls: number; cacheHits?: number }
  >;
  expect(cost.datacloud).toMatchObject({ calls: 0, cacheHits: expect.any(Number) });
  expect(cost.crm).toMatchObject({ calls: 0, cacheHits: expect.any(Number) });
  expect(cost.datacloud.cacheHits).toBeGreaterThan(0);
});

test("an agent's change straight in CRM REST is seen by the next read once its change event was delivered", async () => {
  const a = await live.citizenWithCase(1);
  const who = { authorization: a.authorization };
  const read = () => gql(stack, who, CaseWithCitizenDocument, { id: a.caseId });
  const before = await read();
  expect(before.body.errors).toBeUndefined();
  // Cached: the same read again costs no CRM call.
  expect((await callsOf(read)).calls.crm ?? 0).toBe(0);

  const sub = live.overWs(a.authorization, { query: SUBSCRIPTION, variables: { id: a.caseId } });
  await live.probeLive(sub, a.caseId);
  const from = withoutProbes(sub.results).length;
  const status = live.otherStatus(a.caseId);
  await live.crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: status });
  // The subscriber hears of it only after the cache dropped the case (invalidated first).
  await until(() => withoutProbes(sub.results).length > from);

  const after = await callsOf(read);
  expect(after.calls.crm).toBeGreaterThan(0);
  expect(after.result.body.data?.case?.status).toBe(status.toUpperCase());

  // Counted on the case subgraph's /metrics (loopback): hits, misses, invalidations by source.
  const metrics = await (
    await fetch(stack.subgraphUrls.case.replace(/\/graphql$/, '/metrics'))
  ).text();
  const value = (series: string) =>
    Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  expect(
    value('salesforce_read_cache_invalidations_total{source="event",service="case"}'),
  ).toBeGreaterThan(0);
  expect(
    value('salesforce_read_cache_lookups_total{family="crm",result="hit",service="case"}'),
  ).toBeGreaterThan(0);
  expect(
    value('salesforce_read_cache_lookups_total{family="crm",result="miss",service="case"}'),
  ).toBeGreaterThan(0);
});

test('a comment added through the graph is seen by the next read (the write invalidates before it answers)', async () => {
  const a = await live.citizenWithCase(2);
  const who = { authorization: a.authorization };
  const read = () => gql(stack, who, CaseWithCitizenDocument, { id: a.caseId });
  await read();
  expect((await callsOf(read)).calls.crm ?? 0).toBe(0);
  const added = await gql(stack, who, AddCaseCommentDocument, {
    input: { caseId: a.caseId, body: 'Is there news?', idempotencyKey: 'read-cache-comment-1' },
  });
  expect(added.body.data?.addCaseComment.userErrors).toEqual([]);
  const after = await read();
  expect(after.body.data?.case?.comments.map((c) => c.body)).toContain('Is there news?');
});

test('a warm cache never answers one citizen with another citizen’s records', async () => {
  const a = await live.citizenWithCase(3);
  const b = await live.citizenWithCase(4);
  const agent = await agentHeaders(stack);
  // Warm: the agent reads B's profile and case, B reads its own.
  for (const who of [agent, { authorization: b.authorization }]) {
    expect(
      (await gql(stack, who, CitizenProfileDocument, { id: b.citizen.unifiedId })).body.errors,
    ).toBeUndefined();
    expect(
      (await gql(stack, who, CaseWithCitizenDocument, { id: b.caseId })).body.data?.case?.id,
    ).toBe(b.caseId);
  }
  const asA = { authorization: a.authorization };
  const profile = await callsOf(() =>
    gql(stack, asA, CitizenProfileDocument, { id: b.citizen.unifiedId }),
  );
  expect({ status: profile.result.status, body: profile.result.body }).toEqual({
    status: 200,
    body: { data: { citizen: null } },
  });
  const kase = await gql(stack, asA, CaseWithCitizenDocument, { id: b.caseId });
  expect({ status: kase.status, body: kase.body }).toEqual({
    status: 200,
    body: { data: { case: null } },
  });
  const comment = await gql(stack, asA, AddCaseCommentDocument, {
    input: { caseId: b.caseId, body: 'mine now', idempotencyKey: 'read-cache-leak-01' },
  });
  expect(comment.body.data?.addCaseComment.comment ?? null).toBeNull();
});

test("a cart write through the graph invalidates the shopper's cached basket before it answers", async () => {
  const a = await live.citizenWithCase(8);
  const who = { authorization: a.authorization };
  const id = a.citizen.unifiedId;
  const profile = () => gql(stack, who, CitizenProfileDocument, { id });
  const before = await profile();
  expect(before.body.errors).toBeUndefined();
  expect((await callsOf(profile)).calls.scapi ?? 0).toBe(0);
  const added = await gql(stack, who, AddCartItemDocument, {
    input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: 'read-cache-cart-01' },
  });
  expect(added.body.data?.addCartItem.userErrors).toEqual([]);
  const after = await callsOf(profile);
  expect(after.calls.scapi).toBeGreaterThan(0);
  expect(after.result.body.data?.citizen?.cart?.itemCount).toBe(
    (before.body.data?.citizen?.cart?.itemCount ?? 0) + 1,
  );
});

test('below the API floor: a cached read is still served, one not cached is refused with RATE_LIMITED and no call', async () => {
  const a = await live.citizenWithCase(5);
  const c = await live.citizenWithCase(6);
  const d = await live.citizenWithCase(7);
  const who = { authorization: a.authorization };
  const read = () => gql(stack, who, CaseWithCitizenDocument, { id: a.caseId });
  expect((await read()).body.errors).toBeUndefined();
  const { emulator } = stack;
  try {
    // 95 % of the allowance spent (floor 10 %): the next answer's Sforce-Limit-Info says so.
    emulator.apiUsage.reset(1_000_000);
    emulator.apiUsage.used = 950_000;
    // A read not cached yet (C's own case) is sent, and its answer reports the usage (the
    // reads after it in that request are refused already).
    await gql(stack, { authorization: c.authorization }, CaseWithCitizenDocument, { id: c.caseId });
    // From now on: what is cached is served without a call…
    const cached = await callsOf(read);
    expect(cached.result.body.errors).toBeUndefined();
    expect(cached.calls.crm ?? 0).toBe(0);
    // …and what is not is refused, without spending the org's last calls.
    const refused = await callsOf(() =>
      gql(stack, { authorization: d.authorization }, CaseWithCitizenDocument, { id: d.caseId }),
    );
    expect(refused.calls.crm ?? 0).toBe(0);
    const codes = (refused.result.body.errors ?? []).map((e) => e.extensions?.code);
    expect(codes).toContain('RATE_LIMITED');
  } finally {
    emulator.apiUsage.reset(1_000_000);
  }
});

// The federated graph end to end: gateway → four subgraphs → emulator, counting upstream calls.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddCartItemDocument,
  AddCaseCommentDocument,
  CaseWithCitizenDocument,
  CheckoutDocument,
  CitizenProfileDocument,
  CreateCaseDocument,
  SegmentMembersDocument,
  ViewerDocument,
} from '../gql/graphql.js';
import { agentHeaders, gql, loginAs } from './client.js';
import { startStack, type Stack } from './harness.js';
import { scapiStore } from '../emulator/scapi/store.js';
import { criticalPathHops, HOP_LATENCY_MS } from './support/hops.js';
import type { CallRecord } from '../emulator/core/call-log.js';

let stack: Stack;
let agent: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  agent = await agentHeaders(stack);
});
afterAll(() => stack.stop());

/** Runs once to warm token caches, then again with a clean call log; returns the second result. */
async function measured<R, V>(
  query: TypedDocumentNode<R, V>,
  variables: V,
  headers: Record<string, string>,
) {
  await gql(stack, query, variables, headers);
  stack.emulator.log.reset();
  const res = await gql(stack, query, variables, { ...headers, 'x-upstream-cost': '1' });
  return { ...res, calls: stack.emulator.log.list() };
}

const countBy = (calls: Array<{ family: string }>) =>
  calls.reduce<Record<string, number>>(
    (acc, c) => ({ ...acc, [c.family]: (acc[c.family] ?? 0) + 1 }),
    {},
  );

/** A family's calls as `METHOD path`, the org- and id-specific parts of the path stripped. */
const endpoints = (calls: CallRecord[], family: string) =>
  calls
    .filter((c) => c.family === family)
    .map(
      (c) =>
        `${c.method} ${c.path
          .replace(/^.*\/(api\/v2\/query|api\/v1\/dataGraph\/|ssot\/)/, '/$1')
          .replace(
            /^(\/api\/v1\/dataGraph\/[^/]+)\/[^/]+$/,
            '$1/{id}',
          )}${c.path.includes('/dataGraph/') && c.query.startsWith('lookupKeys=') ? '?lookupKeys' : ''}`,
    )
    .sort();

/** The most calls of a family in flight at once (from the emulator's start and end times). */
function maxInFlight(calls: CallRecord[], family: string): number {
  const edges = calls
    .filter((c) => c.family === family)
    .flatMap((c) => {
      const end = Date.parse(c.at);
      return [
        { t: end - c.durationMs, d: 1 },
        { t: end, d: -1 },
      ];
    })
    // An end and a start at the same instant: the end first (the slot was freed, then reused).
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let max = 0;
  for (const e of edges) max = Math.max(max, (now += e.d));
  return max;
}

/** `measured` with the emulator's settle fault on every call, so each wave is answered together. */
async function measuredWithLatency<R, V>(
  query: TypedDocumentNode<R, V>,
  variables: V,
  headers: Record<string, string>,
) {
  stack.emulator.faults.add({ kind: 'settle', latencyMs: HOP_LATENCY_MS });
  try {
    return await measured(query, variables, headers);
  } finally {
    stack.emulator.faults.reset();
  }
}

test('the unified citizen query touches all four subgraphs in one request', async () => {
  const citizen = stack.emulator.core.world.citizens[0];
  const { status, body, calls } = await measured(
    CitizenProfileDocument,
    { id: citizen.unifiedId },
    agent,
  );
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const c = body.data!.citizen!;
  expect(c).toMatchObject({
    id: citizen.unifiedId,
    displayName: `${citizen.firstName} ${citizen.lastName}`,
    email: citizen.email,
  });
  expect(c.insights!.lifetimeValue!.amount).toMatch(/^\d+\.\d{2}$/);
  expect(Array.isArray(c.segments)).toBe(true);
  // Counts as the emulator holds them (its state is the org's truth here).
  expect(c.cases!.totalCount).toBe(
    stack.emulator.core.sobjects.findBy('Case', 'ContactId', citizen.contactId).length,
  );
  expect(c.orders!.totalCount).toBe(
    scapiStore(stack.emulator.core).ordersOf(citizen.commerceCustomerId).length,
  );
  expect(c.account).toMatchObject({ username: citizen.username, active: true });
  // The cost report agrees with the emulator's own log.
  const byFamily = countBy(calls);
  for (const [family, n] of Object.entries(byFamily))
    expect(body.extensions?.upstreamCost?.[family]?.calls).toBe(n);
  // Data Cloud, 1 (9 before the joins, then 3, then 1 Query API statement): ONE Data Graph API
  // call — the citizen's Citizen_360 record by unified id, which carries unified, email, phone,
  // address, insights, links with the party identification (the Commerce login) and segment
  // membership (subgraphs/customer/citizen-parts.ts graphRows); the Connect segment list is kept
  // per process (SEGMENT_LIST_TTL_MS) and was read by the warm-up. CRM: cases + identity account
  // (User) SOQL; SCAPI: the shopper's baskets and orders (the trusted-system token is cached).
  expect(byFamily).toEqual({ datacloud: 1, crm: 2, scapi: 2 });
  expect(endpoints(calls, 'datacloud')).toEqual(['GET /api/v1/dataGraph/Citizen_360/{id}']);
  expect(endpoints(calls, 'crm').every((e) => e.startsWith('GET ') && e.endsWith('/query'))).toBe(
    true,
  );
  expect(endpoints(calls, 'scapi').map((e) => e.replace(/^.*\/customers\/[^/]+\//, ''))).toEqual([
    'baskets',
    'orders',
  ]);
});

test('a citizen reading their own profile costs what an agent does; anyone else costs nothing', async () => {
  const own = stack.emulator.core.world.citizens[1];
  const headers = await loginAs(stack, own.username, stack.emulator.core.world.citizenPassword);
  const mine = await measured(CitizenProfileDocument, { id: own.unifiedId }, headers);
  expect(mine.body.errors).toBeUndefined();
  expect(mine.body.data!.citizen!.id).toBe(own.unifiedId);
  expect(countBy(mine.calls)).toEqual({ datacloud: 1, crm: 2, scapi: 2 });
  const other = stack.emulator.core.world.citizens[2];
  const theirs = await measured(CitizenProfileDocument, { id: other.unifiedId }, headers);
  expect(theirs.body.data!.citizen).toBeNull();
  expect(theirs.calls).toEqual([]);
});

test('CitizenProfile is two upstream hops: one Data Cloud call, then CRM and SCAPI together', async () => {
  const citizen = stack.emulator.core.world.citizens[2];
  const { body, calls } = await measuredWithLatency(
    CitizenProfileDocument,
    { id: citizen.unifiedId },
    agent,
  );
  expect(body.errors).toBeUndefined();
  expect(criticalPathHops(calls)).toBe(2);
  // The first wave is the one Data Cloud call; CRM and SCAPI need the keys it answers.
  const firstEnd = Math.min(...calls.map((c) => Date.parse(c.at)));
  const firstWave = calls.filter((c) => Date.parse(c.at) - c.durationMs < firstEnd);
  expect(endpoints(firstWave, 'datacloud')).toEqual(['GET /api/v1/dataGraph/Citizen_360/{id}']);
  expect(firstWave).toHaveLength(1);
});

test('entry through a case reaches the citizen by contactId', async () => {
  const contactId = stack.emulator.core.world.citizens.find(
    (c) => stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.contactId).length,
  )!.contactId;
  const kase = stack.emulator.core.sobjects.findBy('Case', 'ContactId', contactId)[0];
  stack.emulator.log.reset();
  const { body } = await gql(stack, CaseWithCitizenDocument, { id: kase.Id }, agent);
  expect(body.errors).toBeUndefined();
  // CRM: the case (sObject Collections retrieve) and its comments (SOQL); Data Cloud: ONE query,
  // the link by contactId with the profile (names and email) joined through the unified
  // individual.
  expect(stack.emulator.log.countByFamily()).toEqual({ crm: 2, datacloud: 1 });
  expect(body.data!.case).toMatchObject({ id: kase.Id, subject: kase.Subject });
  const citizen = stack.emulator.core.world.citizens.find((c) => c.contactId === contactId)!;
  expect(body.data!.case!.citizen).toMatchObject({ id: citizen.unifiedId, email: citizen.email });
});

test('CaseWithCitizen is 3 hops and Viewer 2, each with one Data Cloud call', async () => {
  const citizen = stack.emulator.core.world.citizens[3];
  const kase = stack.emulator.core.sobjects.findBy('Case', 'ContactId', citizen.contactId)[0];
  const viaCase = await measuredWithLatency(
    CaseWithCitizenDocument,
    { id: kase?.Id ?? [...stack.emulator.core.sobjects.all('Case')][0].Id },
    agent,
  );
  expect(viaCase.body.errors).toBeUndefined();
  // The case → its comments and its citizen by contactId (its data graph record by lookupKeys on
  // the link DMO: one Data Graph API call; was one Query API call, link ⟕ profile).
  expect(countBy(viaCase.calls)).toEqual({ crm: 2, datacloud: 1 });
  expect(endpoints(viaCase.calls, 'datacloud')).toEqual([
    'GET /api/v1/dataGraph/Citizen_360?lookupKeys',
  ]);
  expect(criticalPathHops(viaCase.calls)).toBe(3);
  const headers = await loginAs(stack, citizen.username, stack.emulator.core.world.citizenPassword);
  const viewer = await measuredWithLatency(ViewerDocument, {}, headers);
  expect(viewer.body.errors).toBeUndefined();
  expect(viewer.body.data!.viewer!.citizen!.id).toBe(citizen.unifiedId);
  // The session (Identity) and, beside it, the citizen by contactId (one Data Graph API call by
  // lookupKeys; was one Query API call) and their cases (one SOQL).
  expect(countBy(viewer.calls)).toEqual({ identity: 1, crm: 1, datacloud: 1 });
  expect(endpoints(viewer.calls, 'datacloud')).toEqual([
    'GET /api/v1/dataGraph/Citizen_360?lookupKeys',
  ]);
  expect(criticalPathHops(viewer.calls)).toBe(2);
});

test('a missing entity is null, not an error', async () => {
  const { body } = await gql(
    stack,
    `{ citizen(id: "no-such-citizen") { id } case(id: "500Hu000000000AAAA") { id } product(id: "no-such-product") { id } }`,
    {},
    agent,
  );
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ citizen: null, case: null, product: null });
});

describe('segment members: batchable endpoints cost the same for 10 and 100 members', () => {
  const apiName = () => 'High_Engagement';
  const results: Record<
    number,
    {
      calls: ReturnType<typeof countBy>;
      members: number;
      paths: string[];
      dataCloud: string[];
    }
  > = {};

  test.each([10, 100])('N = %i', async (n) => {
    const { body, calls } = await measured(
      SegmentMembersDocument,
      { apiName: apiName(), first: n },
      agent,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.segment!.members.edges).toHaveLength(n);
    results[n] = {
      calls: countBy(calls),
      members: n,
      paths: calls.map((c) => `${c.family} ${c.method} ${c.path}`),
      dataCloud: endpoints(calls, 'datacloud'),
    };
  });

  test('call counts per family', () => {
    const [ten, hundred] = [results[10], results[100]];
    // Data Cloud (the Segment Members API, then ONE Query API statement with an IN list for the
    // members' profiles and links; the segment from the kept list) and CRM (one SOQL for all
    // members' cases) do not grow with N.
    expect(ten.calls).toEqual({ datacloud: 2, crm: 1, scapi: 20 });
    expect(hundred.calls).toEqual({ datacloud: 2, crm: 1, scapi: 200 });
    for (const r of [ten, hundred])
      expect(r.dataCloud).toEqual([
        'GET /ssot/segments/High_Engagement/members',
        'POST /api/v2/query',
      ]);
    // SCAPI has no batch endpoint for a customer's baskets and orders: one call each per member.
    const perMember = (r: typeof ten) =>
      r.paths.filter((p) => /\/customers\/[^/]+\/(orders|baskets)$/.test(p)).length;
    expect(perMember(ten)).toBe(2 * 10);
    expect(perMember(hundred)).toBe(2 * 100);
  });

  test.each([
    // Connect members → the Query API statement → SCAPI: 20 calls in one wave, 200 in two
    // (SCAPI_PER_CUSTOMER_CONCURRENCY = 100, subgraphs/commerce/config.ts); CRM's SOQL runs
    // beside the SCAPI wave.
    [10, 3, 20],
    [100, 4, 100],
  ])('N = %i is %i hops, with at most %i SCAPI calls in flight', async (n, hops, inFlight) => {
    const { body, calls } = await measuredWithLatency(
      SegmentMembersDocument,
      { apiName: apiName(), first: n },
      agent,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.segment!.members.edges).toHaveLength(n);
    expect(criticalPathHops(calls)).toBe(hops);
    expect(maxInFlight(calls, 'scapi')).toBe(inFlight);
  });
});

describe('mutations as a signed-in citizen', () => {
  let citizenHeaders: Record<string, string>;
  const citizen = () => stack.emulator.core.world.citizens[1];
  beforeAll(async () => {
    citizenHeaders = await loginAs(
      stack,
      citizen().username,
      stack.emulator.core.world.citizenPassword,
    );
  });

  test('createCase then addCaseComment', async () => {
    const created = await gql(
      stack,
      CreateCaseDocument,
      {
        input: {
          subject: 'Streetlight out on Main St',
          description: 'Dark since Monday',
          idempotencyKey: 'e2e-case-0001',
        },
      },
      citizenHeaders,
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createCase.userErrors).toEqual([]);
    const kase = created.body.data!.createCase.case;
    expect(kase).toMatchObject({ subject: 'Streetlight out on Main St', status: 'NEW' });
    const comment = await gql(
      stack,
      AddCaseCommentDocument,
      {
        input: {
          caseId: kase!.id,
          body: 'Still dark tonight.',
          idempotencyKey: 'e2e-comment-0001',
        },
      },
      citizenHeaders,
    );
    expect(comment.body.data!.addCaseComment).toMatchObject({
      comment: { body: 'Still dark tonight.' },
      userErrors: [],
    });
  });

  test('addCartItem then checkout', async () => {
    const product =
      [...((stack.emulator.core as any).scapi?.products?.keys?.() ?? [])][0] ??
      'permit-building-residential';
    const added = await gql(
      stack,
      AddCartItemDocument,
      { input: { productId: product, quantity: 1 } },
      citizenHeaders,
    );
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data!.addCartItem.userErrors).toEqual([]);
    expect(added.body.data!.addCartItem.cart!.itemCount).toBeGreaterThan(0);
    const order = await gql(
      stack,
      CheckoutDocument,
      {
        input: {
          idempotencyKey: 'e2e-checkout-0001',
          payment: {
            cardType: 'Visa',
            holder: `${citizen().firstName} ${citizen().lastName}`,
            maskedNumber: '************1111',
            expirationMonth: 12,
            expirationYear: 2030,
          },
        },
      },
      citizenHeaders,
    );
    expect(order.body.errors).toBeUndefined();
    expect(order.body.data!.checkout.userErrors).toEqual([]);
    expect(order.body.data!.checkout.order).toMatchObject({
      status: expect.any(String),
      total: { currencyCode: 'USD' },
    });
  });
});

// The query cost estimate (gateway/query-cost.ts) per canonical operation, read through the
// public surface, against the Salesforce calls the same operation really makes.
//
// The estimate is what the gateway refuses on: a second gateway over the same subgraphs with
// MAX_UPSTREAM_CALLS=0 refuses every operation that costs anything with COST_LIMIT_EXCEEDED and
// its `extensions.estimatedUpstreamCalls`, before any upstream call. The measured count is the
// emulator's call log for one run on the ordinary gateway (token caches warmed by an identical
// run first, as the README's cost table counts), and the cost report the gateway returns for that
// run (`x-upstream-cost: 1`) must agree with the log. An estimate below the measured count would
// let an operation past the per-request limit and the per-minute budget with more calls than it
// is charged for.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddCartItemDocument,
  AddCaseCommentDocument,
  CaseWithCitizenDocument,
  CheckoutDocument,
  CitizenProfileDeferredDocument,
  CitizenProfileDocument,
  CreateCaseDocument,
  LoginDocument,
  ProductSearchDocument,
  ProductsDocument,
  SegmentMembersDocument,
  ViewerDocument,
} from '../../gql/graphql.js';
import { agentHeaders, loginAs } from '../client.js';
import {
  gql,
  startGateway,
  startStack,
  type Caller,
  type RunningGateway,
  type Stack,
} from '../harness.js';
import { scapiStore } from '../../emulator/scapi/store.js';

let stack: Stack;
/** The same subgraphs behind a gateway that refuses any operation estimated above 0 calls. */
let estimator: RunningGateway;
let agent: Record<string, string>;
let citizen: Record<string, string>;

type Citizen = Stack['emulator']['core']['world']['citizens'][number];
const world = () => stack.emulator.core.world;
const SIGNED_IN = 1;
const signedIn = (): Citizen => world().citizens[SIGNED_IN];

beforeAll(async () => {
  stack = await startStack({ citizens: 600 });
  estimator = await startGateway({ ...stack.env, MAX_UPSTREAM_CALLS: '0' }, stack.subgraphUrls);
  agent = await agentHeaders(stack);
  citizen = await loginAs(stack, signedIn().username, world().citizenPassword);
});
afterAll(async () => {
  await estimator?.stop();
  await stack?.stop();
});

/** The gateway's estimate of an operation's Salesforce calls, from its cost refusal. */
async function estimateOf<R, V>(caller: Caller, document: TypedDocumentNode<R, V>, variables: V) {
  stack.emulator.log.reset();
  const { status, body } = await gql(estimator, caller, document, variables);
  // Refused before execution: the only calls are the bearer token's validation (Identity).
  expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
  expect(status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors!;
  expect(error.extensions).toEqual({
    code: 'COST_LIMIT_EXCEEDED',
    estimatedUpstreamCalls: expect.any(Number),
    limit: 0,
  });
  const estimate = error.extensions!.estimatedUpstreamCalls as number;
  expect(error.message).toBe(
    `This query could cost about ${estimate} Salesforce API calls; the limit is 0. Ask for fewer items.`,
  );
  return estimate;
}

/** The measured run's calls as `family METHOD path`. */
let lastCalls: string[] = [];

/** Salesforce calls of one run of `run` on the ordinary gateway, per family, from the emulator's log. */
async function measuredCalls(run: () => Promise<{ status: number; body: { errors?: unknown } }>) {
  stack.emulator.log.reset();
  const res = await run();
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  lastCalls = stack.emulator.log
    .list()
    .map((c) => {
      // Ids differ per run; concurrent calls arrive in any order: normalised and sorted.
      const path = c.path
        .replace(/\/organizations\/[^/]+/, '/organizations/{org}')
        .replace(/\/(customers|baskets)\/[^/]+/g, '/$1/{id}');
      return `${c.family} ${c.method} ${path}`;
    })
    .sort();
  return stack.emulator.log.countByFamily();
}

const total = (byFamily: Record<string, number>) =>
  Object.values(byFamily).reduce((a, b) => a + b, 0);

/** One canonical operation's estimate and its measured calls (the tests check estimate ≥ measured). */
async function compare<R, V>(
  caller: Caller,
  document: TypedDocumentNode<R, V>,
  variables: V,
  /**
   * For writes: each run needs its own input (a fresh idempotency key) and maybe state (a cart
   * to check out), prepared before the call log is reset; the estimate is of `variables`.
   */
  prepare?: (run: number) => Promise<V> | V,
) {
  const estimate = await estimateOf(caller, document, variables);
  const vars = async (run: number) => (prepare ? prepare(run) : variables);
  // Warm the token caches (the shopper's trusted-system token, the CRM token) with one run.
  const warm = await gql(stack, caller, document, await vars(0));
  expect(warm.body.errors).toBeUndefined();
  let report: Record<string, { calls: number }> | undefined;
  const second = await vars(1);
  const measured = await measuredCalls(async () => {
    const res = await gql(stack, caller, document, second, { 'x-upstream-cost': '1' });
    report = res.body.extensions?.upstreamCost;
    return res;
  });
  // The gateway's own cost report says the same as the emulator's log.
  expect(
    Object.fromEntries(
      Object.entries(report ?? {})
        .map(([family, r]) => [family, r.calls] as const)
        .filter(([, n]) => n > 0),
    ),
  ).toEqual(measured);
  return { estimate, measured };
}

/** The exact estimate and calls per family, and the estimate covering every call made. */
function expectCost(
  r: { estimate: number; measured: Record<string, number> },
  expected: { estimate: number; measured: Record<string, number> },
) {
  expect(r).toEqual(expected);
  expect(r.estimate).toBeGreaterThanOrEqual(total(r.measured));
}

/**
 * The measured run's Data Cloud calls by API, each with its own allowance (README, "The day's
 * Data Cloud budget"): the Data Graph and Query APIs on the tenant endpoint, Connect /ssot on the
 * core org.
 */
function dataCloudApis() {
  const dc = stack.emulator.log.list({ family: 'datacloud' });
  const n = (re: RegExp) => dc.filter((c) => re.test(c.path)).length;
  return {
    dataGraph: n(/^\/api\/v1\/dataGraph\//),
    query: n(/^\/api\/v\d+\/query/),
    connect: n(/\/ssot\//),
  };
}

const caseOf = (c: Citizen) =>
  stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.contactId)[0];
const PAYMENT = {
  cardType: 'Visa',
  holder: 'Ada Lovelace',
  maskedNumber: '************1111',
  expirationMonth: 12,
  expirationYear: 2030,
};

describe('reads', () => {
  test('CitizenProfile as an agent', async () => {
    const r = await compare(agent, CitizenProfileDocument, {
      id: world().citizens[0].unifiedId,
    });
    expectCost(r, { estimate: 7, measured: { crm: 2, datacloud: 1, scapi: 2 } });
    // One citizen: its data graph record (was: 1 Query API call).
    expect(dataCloudApis()).toEqual({ dataGraph: 1, query: 0, connect: 0 });
  });

  test('CitizenProfile as the citizen', async () => {
    const r = await compare(citizen, CitizenProfileDocument, {
      id: signedIn().unifiedId,
    });
    expectCost(r, { estimate: 7, measured: { crm: 2, datacloud: 1, scapi: 2 } });
    expect(dataCloudApis()).toEqual({ dataGraph: 1, query: 0, connect: 0 });
  });

  test('CitizenProfileDeferred as an agent (one JSON answer without multipart)', async () => {
    const r = await compare(agent, CitizenProfileDeferredDocument, {
      id: world().citizens[0].unifiedId,
    });
    expectCost(r, { estimate: 4, measured: { crm: 1, datacloud: 1, scapi: 2 } });
  });

  test('CaseWithCitizen as an agent', async () => {
    const withCase = world().citizens.find((c) => caseOf(c))!;
    const r = await compare(agent, CaseWithCitizenDocument, {
      id: caseOf(withCase).Id,
    });
    expectCost(r, { estimate: 3, measured: { crm: 2, datacloud: 1 } });
    // The case's citizen by contactId: lookupKeys on the link DMO (was: 1 Query API call).
    expect(dataCloudApis()).toEqual({ dataGraph: 1, query: 0, connect: 0 });
  });

  test('SegmentMembers(first: 10) as an agent', async () => {
    const r = await compare(agent, SegmentMembersDocument, {
      apiName: 'High_Engagement',
      first: 10,
    });
    expectCost(r, { estimate: 24, measured: { crm: 1, datacloud: 2, scapi: 20 } });
    // Members (Connect), then the page's citizens in one batch (Query): unchanged.
    expect(dataCloudApis()).toEqual({ dataGraph: 0, query: 1, connect: 1 });
  });

  test('SegmentMembers(first: 100) as an agent', async () => {
    const r = await compare(agent, SegmentMembersDocument, {
      apiName: 'High_Engagement',
      first: 100,
    });
    expectCost(r, { estimate: 208, measured: { crm: 1, datacloud: 2, scapi: 200 } });
    expect(dataCloudApis()).toEqual({ dataGraph: 0, query: 1, connect: 1 });
  });

  test('Viewer as the citizen', async () => {
    const r = await compare(citizen, ViewerDocument, {});
    expectCost(r, { estimate: 5, measured: { crm: 1, datacloud: 1, identity: 1 } });
    // The viewer's citizen by contactId: lookupKeys (was: 1 Query API call).
    expect(dataCloudApis()).toEqual({ dataGraph: 1, query: 0, connect: 0 });
  });

  test('Products(2 ids) anonymously', async () => {
    const r = await compare('anonymous', ProductsDocument, {
      ids: ['permit-building-residential', 'licence-dog-annual'],
    });
    expectCost(r, { estimate: 1, measured: { scapi: 1 } });
  });

  test('ProductSearch(first: 10) anonymously', async () => {
    const r = await compare('anonymous', ProductSearchDocument, { query: 'permit', first: 10 });
    // Shopper Search productSearch, then getProducts for the page.
    expectCost(r, { estimate: 2, measured: { scapi: 2 } });
  });
});

describe('writes', () => {
  test('Login anonymously', async () => {
    const who = world().citizens[2];
    const r = await compare('anonymous', LoginDocument, {
      username: who.username,
      password: world().citizenPassword,
    });
    expectCost(r, { estimate: 3, measured: { identity: 2 } });
  });

  test('CreateCase as the citizen', async () => {
    const input = (n: number) => ({ idempotencyKey: `cost-create-case-${n}`, subject: 'Pothole' });
    const r = await compare(citizen, CreateCaseDocument, { input: input(9) }, (n) => ({
      input: input(n),
    }));
    expectCost(r, { estimate: 2, measured: { crm: 1 } });
  });

  test('AddCaseComment as the citizen on their own case', async () => {
    const caseId = caseOf(signedIn())?.Id;
    expect(caseId).toBeDefined();
    const input = (n: number) => ({
      caseId,
      body: 'Still broken',
      idempotencyKey: `cost-comment-${n}`,
    });
    const r = await compare(citizen, AddCaseCommentDocument, { input: input(9) }, (n) => ({
      input: input(n),
    }));
    expectCost(r, { estimate: 3, measured: { crm: 2 } });
  });

  test('AddCartItem as the citizen', async () => {
    const input = (n: number) => ({
      productId: 'fee-pool-pass',
      quantity: 1,
      idempotencyKey: `cost-add-item-${n}`,
    });
    const r = await compare(citizen, AddCartItemDocument, { input: input(9) }, (n) => ({
      input: input(n),
    }));
    expectCost(r, { estimate: 6, measured: { scapi: 3 } });
  });

  test('AddCartItem as the citizen with no open cart yet (the cart is created first)', async () => {
    const input = (n: number) => ({
      productId: 'fee-pool-pass',
      quantity: 1,
      idempotencyKey: `cost-first-item-${n}`,
    });
    const withoutCart = (n: number) => {
      const store = scapiStore(stack.emulator.core);
      const open = store.openBasketOf(signedIn().commerceCustomerId);
      if (open) store.deleteBasket(open);
      return { input: input(n) };
    };
    const r = await compare(citizen, AddCartItemDocument, { input: input(9) }, withoutCart);
    expectCost(r, { estimate: 6, measured: { scapi: 4 } });
    expect(lastCalls).toMatchInlineSnapshot(`
     [
       "scapi GET /customer/shopper-customers/v1/organizations/{org}/customers/{id}/baskets",
       "scapi GET /product/shopper-products/v1/organizations/{org}/products",
       "scapi POST /checkout/shopper-baskets/v1/organizations/{org}/baskets",
       "scapi POST /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}/items",
     ]
    `);
  });

  test('Checkout as the citizen', async () => {
    const input = (n: number) => ({ idempotencyKey: `cost-checkout-${n}`, payment: PAYMENT });
    const r = await compare(citizen, CheckoutDocument, { input: input(9) }, async (n) => {
      // Each checkout needs something in the cart.
      const add = await gql(stack, citizen, AddCartItemDocument, {
        input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: `cost-cart-${n}` },
      });
      expect(add.body.data?.addCartItem.userErrors).toEqual([]);
      return { input: input(n) };
    });
    // Mutation.checkout's @cost(weight: 10) (commerce SDL: its worst normal path, which adds the
    // shipping-method PUT for a shipment with another method) + order, items and their products.
    expectCost(r, { estimate: 13, measured: { scapi: 10 } });
    expect(lastCalls).toMatchInlineSnapshot(`
     [
       "scapi GET /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}/shipments/me/shipping-methods",
       "scapi GET /customer/shopper-customers/v1/organizations/{org}/customers/{id}",
       "scapi GET /customer/shopper-customers/v1/organizations/{org}/customers/{id}/baskets",
       "scapi GET /customer/shopper-customers/v1/organizations/{org}/customers/{id}/orders",
       "scapi GET /product/shopper-products/v1/organizations/{org}/products",
       "scapi PATCH /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}",
       "scapi POST /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}/payment-instruments",
       "scapi POST /checkout/shopper-orders/v1/organizations/{org}/orders",
       "scapi PUT /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}/billing-address",
       "scapi PUT /checkout/shopper-baskets/v1/organizations/{org}/baskets/{id}/shipments/me/shipping-address",
     ]
    `);
  });
});

// Attacks on the commerce subgraph's writes and inputs, through the public surface: racing
// retries of one idempotent request, a key replayed with another payload, checkout retries that
// could pile up payment instruments, representations that mix two shoppers' keys, and ids that
// try to walk out of their SCAPI path segment. Counts come from the emulator's call log and
// records from its SCAPI store.
import request from 'supertest';
import type { Principal } from '../../lib/principal.js';
import { sendAsGateway } from '../support/principals.js';
import { scapiStore } from '../../emulator/scapi/store.js';
import type { CitizenIdentity } from '../../emulator/world.js';
import { gql as postRaw, loginAs } from '../client.js';
import { gql, startStack, TEST_PRINCIPAL_SECRET, type Stack } from '../harness.js';
import { citizenPrincipal } from '../support/principals.js';
import { AddCartItemDocument, CheckoutDocument, ProductsDocument } from '../../gql/graphql.js';
import { IDEMPOTENCY_KEY_REUSED_ERROR } from '../support/user-errors.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.emulator.faults.reset();
});

const world = () => stack.emulator.core.world;
const store = () => scapiStore(stack.emulator.core);
const citizen = (i: number) => world().citizens[i];
const signIn = (c: CitizenIdentity) => loginAs(stack, c.username, world().citizenPassword);
const scapiCalls = (path?: string, method?: string) =>
  stack.emulator.log.list({ family: 'scapi', path, method }).length;

/** Straight to the commerce subgraph with a signed principal (no gateway in between). */
const toCommerce = async (principal: Principal, query: string, variables: unknown) => {
  const res = await sendAsGateway(
    request(stack.subgraphUrls.commerce).post(''),
    principal,
    'commerce',
    { query, variables },
    { secret: TEST_PRINCIPAL_SECRET },
  );
  return { status: res.status, body: res.body as { data?: any; errors?: any[] } };
};

/** The shopper's open basket in the emulator's store, and a product's quantity in it. */
const basketOf = (c: CitizenIdentity) => store().openBasketOf(c.commerceCustomerId);
const quantityIn = (c: CitizenIdentity, productId: string) =>
  basketOf(c)?.items.find((it) => it.productId === productId)?.quantity ?? 0;
const ordersOf = (c: CitizenIdentity) => store().ordersOf(c.commerceCustomerId);

const ADD = /* GraphQL */ `
  mutation ($input: AddCartItemInput!) {
    addCartItem(input: $input) {
      cart {
        id
        itemCount
        items {
          id
          quantity
          product {
            id
          }
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateCartItemInput!) {
    updateCartItem(input: $input) {
      cart {
        id
      }
      userErrors {
        code
      }
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation ($input: RemoveCartItemInput!) {
    removeCartItem(input: $input) {
      cart {
        id
      }
      userErrors {
        code
      }
    }
  }
`;
const CHECKOUT = /* GraphQL */ `
  mutation ($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        orderNo
        status
        total {
          amount
          currencyCode
        }
        items {
          quantity
          product {
            id
          }
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;
const payment = (holder = 'Ada Lovelace') => ({
  cardType: 'Visa',
  holder,
  maskedNumber: '************1111',
  expirationMonth: 12,
  expirationYear: 2030,
});

/** Empties the citizen's cart through the graph (so each test starts from a known basket). */
async function emptyCart(c: CitizenIdentity, headers: Record<string, string>) {
  for (const it of [...(basketOf(c)?.items ?? [])]) {
    const res = await postRaw(stack, REMOVE, { input: { itemId: it.itemId } }, headers);
    expect(res.body.data.removeCartItem.userErrors).toEqual([]);
  }
  expect(basketOf(c)?.items ?? []).toEqual([]);
}

const reused = IDEMPOTENCY_KEY_REUSED_ERROR;
/** An answer as a whole: its HTTP status and its body (errors, extensions and all). */
const whole = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });
/** The whole answer to a checkout refused for a reused key: 200, no order, the one user error. */
const CHECKOUT_REUSED = {
  status: 200,
  body: { data: { checkout: { order: null, userErrors: [reused] } } },
};

describe('racing retries of one request are serialised by key', () => {
  // Every racer reads the basket before any of them writes (as with a slow org), so an
  // unserialised retry cannot get lucky with timing.
  const slowReads = () =>
    stack.emulator.faults.add({
      kind: 'latency',
      family: 'scapi',
      method: 'GET',
      path: '/baskets',
      latencyMs: 60,
    });
  test('ten concurrent addCartItem with one key: quantity exactly +1, ten identical answers', async () => {
    const c = citizen(101);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'fee-pool-pass', quantity: 1 },
    });
    expect(quantityIn(c, 'fee-pool-pass')).toBe(1);
    stack.emulator.log.reset();
    slowReads();
    const input = { productId: 'fee-pool-pass', quantity: 1, idempotencyKey: 'race-add-0001' };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => toCommerce(citizenPrincipal(c), ADD, { input })),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.addCartItem.userErrors).toEqual([]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
    expect(answers[0].body.data.addCartItem.cart.items).toEqual([
      { id: expect.any(String), quantity: 2, product: { id: 'fee-pool-pass' } },
    ]);
    expect(quantityIn(c, 'fee-pool-pass')).toBe(2);
    expect(scapiCalls('/items', 'POST')).toBe(1);
  });

  test('ten concurrent checkouts with one key: one order, ten identical successful answers', async () => {
    const c = citizen(102);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 1 },
    });
    const before = ordersOf(c).length;
    stack.emulator.log.reset();
    slowReads();
    const input = { idempotencyKey: 'race-checkout-0001', payment: payment() };
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => toCommerce(citizenPrincipal(c), CHECKOUT, { input })),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.checkout.userErrors).toEqual([]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
    expect(answers[0].body.data.checkout.order).toEqual({
      orderNo: ordersOf(c)[0].orderNo,
      status: 'created',
      total: { amount: '25.00', currencyCode: 'USD' },
      items: [{ quantity: 1, product: { id: 'licence-dog-annual' } }],
    });
    expect(ordersOf(c).length).toBe(before + 1);
    expect(scapiCalls('/shopper-orders/v1/organizations/f_ecom_zzxy_prd/orders', 'POST')).toBe(1);
    expect(scapiCalls('/payment-instruments', 'POST')).toBe(1);
  });
});

describe('a key is bound to its request', () => {
  test('addCartItem: the same key with another product or quantity is IDEMPOTENCY_KEY_REUSED, nothing changes', async () => {
    const c = citizen(103);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    const key = 'bound-add-0001';
    const first = await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: key },
    });
    expect(first.body.data?.addCartItem.userErrors).toEqual([]);
    const snapshot = JSON.stringify(basketOf(c)!.items);
    stack.emulator.log.reset();

    const otherProduct = await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'fee-pool-pass', quantity: 1, idempotencyKey: key },
    });
    // The refusal still answers the cart as it is; its basket and line ids vary per run.
    const cart = otherProduct.body.data?.addCartItem.cart;
    expect(cart?.id).toBe(basketOf(c)!.basketId);
    expect(cart?.items.map((it) => it.id)).toEqual(basketOf(c)!.items.map((it) => it.itemId));
    const normalised = JSON.parse(
      JSON.stringify(whole(otherProduct))
        .replaceAll(basketOf(c)!.basketId, '<basketId>')
        .replaceAll(basketOf(c)!.items[0].itemId, '<itemId>'),
    );
    expect(normalised).toEqual({
      status: 200,
      body: {
        data: {
          addCartItem: {
            cart: {
              id: '<basketId>',
              itemCount: 1,
              items: [
                {
                  id: '<itemId>',
                  product: { id: 'licence-dog-annual', name: 'Dog Licence (Annual)' },
                  quantity: 1,
                },
              ],
              orderTotal: { amount: '25.00', currencyCode: 'USD' },
            },
            userErrors: [IDEMPOTENCY_KEY_REUSED_ERROR],
          },
        },
      },
    });
    const otherQuantity = await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 2, idempotencyKey: key },
    });
    expect(whole(otherQuantity)).toEqual(whole(otherProduct));
    expect(JSON.stringify(basketOf(c)!.items)).toBe(snapshot);
    expect(scapiCalls('/items', 'POST')).toBe(0);
    expect(scapiCalls(undefined, 'POST')).toBe(0);

    // The identical request is still a retry: the first answer, nothing added.
    const retry = await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 1, idempotencyKey: key },
    });
    expect(retry.body.data?.addCartItem.userErrors).toEqual([]);
    expect(quantityIn(c, 'licence-dog-annual')).toBe(1);
  });

  test("addCartItem: keys are per request, so another key's add to the same line does not make a retry double it", async () => {
    const c = citizen(104);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    const add = (idempotencyKey: string) =>
      gql(stack, headers, AddCartItemDocument, {
        input: { productId: 'permit-fence', quantity: 1, idempotencyKey },
      });
    expect((await add('per-request-key-1')).body.data?.addCartItem.userErrors).toEqual([]);
    expect((await add('per-request-key-2')).body.data?.addCartItem.userErrors).toEqual([]);
    expect(quantityIn(c, 'permit-fence')).toBe(2);
    stack.emulator.log.reset();
    // Late retries of both (their first answers were lost, say): nothing more is added.
    const r1 = await add('per-request-key-1');
    const r2 = await add('per-request-key-2');
    expect(r1.body.data?.addCartItem.userErrors).toEqual([]);
    expect(r2.body.data?.addCartItem.userErrors).toEqual([]);
    expect(quantityIn(c, 'permit-fence')).toBe(2);
    expect(scapiCalls('/items', 'POST')).toBe(0);
  });

  test('checkout: the same key with other payment inputs or another cart is IDEMPOTENCY_KEY_REUSED, nothing changes', async () => {
    const c = citizen(105);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 1 },
    });
    const key = 'bound-checkout-0001';
    const placed = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment() },
    });
    expect(placed.body.data?.checkout.userErrors).toEqual([]);
    const orderNo = placed.body.data!.checkout.order!.orderNo;
    const orders = ordersOf(c).length;

    // Another payment for the same key.
    stack.emulator.log.reset();
    const otherPayment = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment('Someone Else') },
    });
    expect(whole(otherPayment)).toEqual({
      status: 200,
      body: { data: { checkout: { order: null, userErrors: [IDEMPOTENCY_KEY_REUSED_ERROR] } } },
    });
    expect(scapiCalls(undefined, 'POST')).toBe(0);

    // Another cart for the same key.
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'fee-pool-pass', quantity: 1 },
    });
    const cart = JSON.stringify(basketOf(c));
    stack.emulator.log.reset();
    const otherCart = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment() },
    });
    expect(whole(otherCart)).toEqual(CHECKOUT_REUSED);
    expect(JSON.stringify(basketOf(c))).toBe(cart);
    expect(ordersOf(c).length).toBe(orders);
    expect(scapiCalls(undefined, 'POST')).toBe(0);
    expect(scapiCalls(undefined, 'PUT')).toBe(0);
    expect(scapiCalls(undefined, 'PATCH')).toBe(0);

    // The cart emptied again, the identical request is a retry and answers the first order.
    await emptyCart(c, headers);
    const retry = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment() },
    });
    expect(retry.body.data?.checkout.userErrors).toEqual([]);
    expect(retry.body.data!.checkout.order!.orderNo).toBe(orderNo);
  });

  test('checkout: a failed attempt binds the key too; another billing address or cart on retry is refused', async () => {
    const c = citizen(106);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 1 },
    });
    const key = 'bound-checkout-0002';
    stack.emulator.faults.add({
      kind: 'status',
      family: 'scapi',
      method: 'POST',
      path: '/shopper-orders/',
      status: 503,
      count: 1,
    });
    const failed = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment() },
    });
    expect(whole(failed)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": null,
         "errors": [
           {
             "extensions": {
               "code": "UPSTREAM_UNAVAILABLE",
             },
             "message": "A Salesforce service is unavailable.",
             "path": [
               "checkout",
             ],
           },
         ],
       },
       "status": 200,
     }
    `);
    const orders = ordersOf(c).length;
    const otherAddress = await gql(stack, headers, CheckoutDocument, {
      input: {
        idempotencyKey: key,
        payment: payment(),
        billingAddress: {
          firstName: 'Mallory',
          lastName: 'Other',
          address1: '1 Elsewhere Road',
          city: 'Springfield',
          postalCode: '99999',
          countryCode: 'US',
        },
      },
    });
    expect(whole(otherAddress)).toEqual(CHECKOUT_REUSED);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'fee-pool-pass', quantity: 1 },
    });
    const otherCart = await gql(stack, headers, CheckoutDocument, {
      input: { idempotencyKey: key, payment: payment() },
    });
    expect(whole(otherCart)).toEqual(CHECKOUT_REUSED);
    expect(ordersOf(c).length).toBe(orders);
    expect(basketOf(c)!.billingAddress?.lastName).toBe(c.lastName);
  });
});

describe('checkout retries leave exactly one payment instrument', () => {
  test('two 503s on createOrder, then success: the order carries one instrument for its total', async () => {
    const c = citizen(107);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-business', quantity: 1 },
    });
    stack.emulator.faults.add({
      kind: 'status',
      family: 'scapi',
      method: 'POST',
      path: '/shopper-orders/',
      status: 503,
      count: 2,
    });
    const input = { idempotencyKey: 'pi-retry-0001', payment: payment() };
    for (let i = 0; i < 2; i++) {
      const failed = await gql(stack, headers, CheckoutDocument, { input });
      expect(failed.body.errors?.[0].extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(basketOf(c)!.payments).toHaveLength(1);
    }
    const ok = await gql(stack, headers, CheckoutDocument, { input });
    expect(ok.body.data?.checkout.userErrors).toEqual([]);
    const order = store().order(ok.body.data!.checkout.order!.orderNo)!;
    expect(order.basket.payments).toEqual([
      {
        paymentInstrumentId: expect.any(String),
        paymentMethodId: 'CREDIT_CARD',
        amount: 125,
        paymentCard: payment(),
      },
    ]);
    expect(ok.body.data?.checkout.order?.total.amount).toBe('125.00');
  });

  test('a payment instrument whose answer was lost is reused by the retry, not added again', async () => {
    const c = citizen(108);
    const headers = await signIn(c);
    await emptyCart(c, headers);
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'licence-dog-annual', quantity: 2 },
    });
    stack.emulator.faults.add({
      kind: 'lose-response',
      family: 'scapi',
      method: 'POST',
      path: '/payment-instruments',
      count: 1,
    });
    const input = { idempotencyKey: 'pi-lost-0001', payment: payment() };
    const lost = await gql(stack, headers, CheckoutDocument, { input });
    expect(lost.body.errors?.[0].extensions?.code).toMatch(/^UPSTREAM_/);
    expect(basketOf(c)!.payments).toHaveLength(1);
    stack.emulator.log.reset();
    const ok = await gql(stack, headers, CheckoutDocument, { input });
    expect(ok.body.data?.checkout.userErrors).toEqual([]);
    const order = store().order(ok.body.data!.checkout.order!.orderNo)!;
    expect(order.basket.payments).toHaveLength(1);
    expect(order.basket.payments[0].amount).toBe(50);
    expect(scapiCalls('/payment-instruments')).toBe(0);
    // The retry re-reads (basket, orders, address on file), re-sends the two addresses, asks the
    // shipment's applicable shipping methods, places the order and reads its products; the key
    // record, the shipping method and the instrument are already there.
    expect(scapiCalls(undefined, 'PATCH')).toBe(0);
    expect(scapiCalls()).toBe(8);
  });
});

describe('who is the shopper: representations mixing two citizens', () => {
  const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen {
    commerceCustomerId cart { id } orders(first: 50) { totalCount edges { node { orderNo } } } } } }`;
  const rep = (customerOf: CitizenIdentity, loginOf: CitizenIdentity | null) => ({
    __typename: 'Citizen',
    commerceCustomerId: customerOf.commerceCustomerId,
    ...(loginOf ? { commerceLogin: loginOf.email } : {}),
  });
  const agent: Principal = { kind: 'agent', clientId: 'attack-test-agent' };
  const post = async (principal: Principal, r: unknown[]) => {
    const res = await toCommerce(principal, ENTITIES, { r });
    expect(res.status).toBe(200);
    return res.body;
  };
  const nothing = (c: CitizenIdentity) => ({
    commerceCustomerId: c.commerceCustomerId,
    cart: null,
    orders: { totalCount: 0, edges: [] },
  });
  const own = (c: CitizenIdentity) => {
    const basket = basketOf(c);
    const orders = ordersOf(c);
    return {
      commerceCustomerId: c.commerceCustomerId,
      cart: basket ? { id: basket.basketId } : null,
      orders: {
        totalCount: orders.length,
        edges: orders.map((o) => ({ node: { orderNo: o.orderNo } })),
      },
    };
  };
  // A and B both have an open basket and history, so a leak would show.
  const A = () => citizen(110);
  const B = () => citizen(111);
  beforeAll(async () => {
    for (const c of [A(), B()]) {
      const headers = await signIn(c);
      await gql(stack, headers, AddCartItemDocument, {
        input: { productId: 'fee-pool-pass', quantity: 1 },
      });
      expect(basketOf(c)).toBeDefined();
    }
  });

  test("a citizen's shopper comes only from the signed principal, never from the representation", async () => {
    stack.emulator.log.reset();
    const noLogin = await post(citizenPrincipal(A(), { commerceLogin: false }), [
      rep(A(), A()),
      rep(A(), B()),
    ]);
    expect(noLogin.errors).toBeUndefined();
    expect(noLogin.data._entities).toEqual([nothing(A()), nothing(A())]);
    expect(scapiCalls()).toBe(0);

    // With the signed login, A's own key with B's login still reads A's data as A.
    const mixed = await post(citizenPrincipal(A()), [rep(A(), B()), rep(B(), A()), rep(B(), B())]);
    expect(mixed.errors).toBeUndefined();
    expect(mixed.data._entities).toEqual([own(A()), nothing(B()), nothing(B())]);
  });

  test("an agent's representation whose login belongs to another customer gets nothing", async () => {
    stack.emulator.log.reset();
    const res = await post(agent, [rep(A(), B()), rep(B(), A())]);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([nothing(A()), nothing(B())]);
    // Both logins' tokens are cached (beforeAll): no call at all, in particular no basket or
    // order read with a token of another customer.
    expect(scapiCalls('/customers/')).toBe(0);
    expect(scapiCalls()).toBe(0);

    // Mixed in one request with the honest representations: each answered on its own.
    const all = await post(agent, [rep(A(), A()), rep(A(), B()), rep(B(), B()), rep(B(), A())]);
    expect(all.errors).toBeUndefined();
    expect(all.data._entities).toEqual([own(A()), nothing(A()), own(B()), nothing(B())]);
  });
});

describe('ids that go into SCAPI paths and queries', () => {
  const BAD = [
    '..',
    '.',
    'licence/../../customers',
    'a%2Fb',
    'licence-dog-annual?x=1',
    'licence-dog-annual#x',
    'a,b',
    '/',
    'a\\b',
  ];
  let headers: Record<string, string>;
  const c = () => citizen(120);
  beforeAll(async () => {
    headers = await signIn(c());
    await gql(stack, headers, AddCartItemDocument, {
      input: { productId: 'fee-pool-pass', quantity: 1 },
    });
  });
  beforeEach(() => stack.emulator.log.reset());
  /** The whole answer to a hostile id: 200, `data` as given, one BAD_USER_INPUT at `field`. */
  const refusedId = (argument: string, field: string, data: unknown) => ({
    status: 200,
    body: {
      data,
      errors: [
        {
          message: `\`${argument}\` is not a valid id.`,
          path: [field],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    },
  });

  test('the BAD_USER_INPUT refusals as a whole (the shape clients switch on)', async () => {
    const hostile = 'licence/../../customers';
    const product = await postRaw(stack, 'query ($id: ID!) { product(id: $id) { id name } }', {
      id: hostile,
    });
    expect(whole(product)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": {
           "product": null,
         },
         "errors": [
           {
             "extensions": {
               "code": "BAD_USER_INPUT",
             },
             "message": "\`productId\` is not a valid id.",
             "path": [
               "product",
             ],
           },
         ],
       },
       "status": 200,
     }
    `);
    const products = await gql(stack, 'anonymous', ProductsDocument, {
      ids: ['licence-dog-annual', hostile],
    });
    expect(whole(products)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": null,
         "errors": [
           {
             "extensions": {
               "code": "BAD_USER_INPUT",
             },
             "message": "\`ids\` is not a valid id.",
             "path": [
               "products",
             ],
           },
         ],
       },
       "status": 200,
     }
    `);
    const add = await gql(stack, headers, AddCartItemDocument, {
      input: { productId: hostile, quantity: 1 },
    });
    expect(whole(add)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": null,
         "errors": [
           {
             "extensions": {
               "code": "BAD_USER_INPUT",
             },
             "message": "\`productId\` is not a valid id.",
             "path": [
               "addCartItem",
             ],
           },
         ],
       },
       "status": 200,
     }
    `);
    const update = await postRaw(
      stack,
      UPDATE,
      { input: { itemId: hostile, quantity: 2 } },
      headers,
    );
    expect(whole(update)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": null,
         "errors": [
           {
             "extensions": {
               "code": "BAD_USER_INPUT",
             },
             "message": "\`itemId\` is not a valid id.",
             "path": [
               "updateCartItem",
             ],
           },
         ],
       },
       "status": 200,
     }
    `);
    expect(scapiCalls()).toBe(0);
  });

  test.each(BAD)('product(id: %j) is BAD_USER_INPUT with zero SCAPI calls', async (id) => {
    const res = await postRaw(stack, 'query ($id: ID!) { product(id: $id) { id name } }', { id });
    expect(whole(res)).toEqual(refusedId('productId', 'product', { product: null }));
    expect(scapiCalls()).toBe(0);
  });

  test.each(BAD)(
    'products(ids: [good, %j]) is BAD_USER_INPUT with zero SCAPI calls',
    async (id) => {
      const res = await gql(stack, 'anonymous', ProductsDocument, {
        ids: ['licence-dog-annual', id],
      });
      expect(whole(res)).toEqual(refusedId('ids', 'products', null));
      expect(scapiCalls()).toBe(0);
    },
  );

  test.each(BAD)(
    'addCartItem(productId: %j) is BAD_USER_INPUT with zero SCAPI calls',
    async (id) => {
      const before = JSON.stringify(basketOf(c()));
      const res = await gql(stack, headers, AddCartItemDocument, {
        input: { productId: id, quantity: 1 },
      });
      expect(whole(res)).toEqual(refusedId('productId', 'addCartItem', null));
      expect(scapiCalls()).toBe(0);
      expect(JSON.stringify(basketOf(c()))).toBe(before);
    },
  );

  test.each(BAD)(
    'updateCartItem / removeCartItem(itemId: %j) are BAD_USER_INPUT with zero SCAPI calls',
    async (id) => {
      const u = await postRaw(stack, UPDATE, { input: { itemId: id, quantity: 2 } }, headers);
      expect(whole(u)).toEqual(refusedId('itemId', 'updateCartItem', null));
      const r = await postRaw(stack, REMOVE, { input: { itemId: id } }, headers);
      expect(whole(r)).toEqual(refusedId('itemId', 'removeCartItem', null));
      expect(scapiCalls()).toBe(0);
    },
  );

  test.each(BAD)(
    'Product and Order entities with id %j: BAD_USER_INPUT, zero SCAPI calls',
    async (id) => {
      const res = await sendAsGateway(
        request(stack.subgraphUrls.commerce).post(''),
        {
          kind: 'citizen',
          userId: c().userId,
          username: c().username,
          contactId: c().contactId,
          commerceCustomerId: c().commerceCustomerId,
          commerceLogin: c().email,
        },
        'commerce',
        {
          query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } ... on Order { orderNo } } }`,
          variables: {
            r: [
              { __typename: 'Product', id },
              { __typename: 'Order', orderNo: id },
            ],
          },
        },
        { secret: TEST_PRINCIPAL_SECRET },
      );
      expect(
        (res.body.errors as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code),
      ).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
      expect(scapiCalls()).toBe(0);
    },
  );

  test('a Citizen representation with a malformed commerceCustomerId reads nothing', async () => {
    const res = await sendAsGateway(
      request(stack.subgraphUrls.commerce).post(''),
      { kind: 'agent' },
      'commerce',
      {
        query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { cart { id } } } }`,
        variables: {
          r: [
            {
              __typename: 'Citizen',
              commerceCustomerId: `${c().commerceCustomerId}/../x`,
              commerceLogin: c().email,
            },
          ],
        },
      },
      { secret: TEST_PRINCIPAL_SECRET },
    );
    expect(
      (res.body.errors as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code),
    ).toEqual(['BAD_USER_INPUT']);
    expect(scapiCalls()).toBe(0);
  });
});

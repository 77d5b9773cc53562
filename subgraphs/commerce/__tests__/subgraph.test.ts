// The Commerce subgraph over HTTP with a signed principal: entity resolution and its exact SCAPI
// call counts, product batching, the cart mutations, idempotent checkout, and the access rules.
import { CATALOG } from '../../../emulator/scapi/catalog.js';
import { scapiStore } from '../../../emulator/scapi/store.js';
import { loadCommerceConfig } from '../config.js';
import { startSubgraph } from '../../../test/harness.js';
import { deferred } from '../../../test/support/disposable.js';
import type { CitizenPrincipal, Principal } from '../../../lib/principal.js';
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

const agentPrincipal: Principal = {
  kind: 'agent',
  userId: '005Hu000000000AAAA',
  username: 'sam.rivera@agency.example.gov',
};

let h: SubgraphHarness<'commerce'>;
beforeAll(async () => {
  h = await startSubgraphHarness('commerce', { citizens: 60 });
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Citizen { commerceCustomerId cart { id itemCount orderTotal { amount currencyCode } } orders(first: 5) { totalCount edges { node { orderNo total { amount } } } } } } }`;

const rep = (i: number, withLogin = true) => {
  const c = h.emu.core.world.citizens[i];
  return {
    __typename: 'Citizen',
    commerceCustomerId: c.commerceCustomerId,
    ...(withLogin ? { commerceLogin: c.email } : {}),
  };
};

test('_entities by commerceCustomerId for 10 citizens: one token, one baskets and one orders call each', async () => {
  const reps = Array.from({ length: 10 }, (_, i) => rep(i));
  const res = await h.gql(agentPrincipal, ENTITIES, { reps });
  expect(res.errors).toBeUndefined();
  expect(res.data._entities).toHaveLength(10);
  expect(
    res.data._entities.map((e: { commerceCustomerId: string }) => e.commerceCustomerId),
  ).toEqual(reps.map((r) => r.commerceCustomerId));
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(10);
  expect(h.calls('scapi', { path: '/baskets', method: 'GET' }).length).toBe(10);
  expect(h.calls('scapi', { path: '/orders', method: 'GET' }).length).toBe(10);
  expect(h.calls('scapi').length).toBe(30);
  expect(res.data._entities.some((e: { cart: unknown }) => e.cart !== null)).toBe(true);

  // The same citizens again: shopper tokens come from the long-lived cache.
  h.emu.reset();
  await h.gql(agentPrincipal, ENTITIES, { reps });
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(0);
  expect(h.calls('scapi').length).toBe(20);
});

test('products: 30 ids → 2 getProducts calls, order kept, null for unknown; > 100 ids → BAD_USER_INPUT', async () => {
  const ids = [...CATALOG.map((p) => p.id).slice(0, 29), 'no-such-product'];
  const res = await h.gql(
    { kind: 'anonymous' },
    'query($ids: [ID!]!) { products(ids: $ids) { id name price { amount currencyCode } } }',
    { ids },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.products.slice(0, 29).map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 29));
  expect(res.data.products[29]).toBeNull();
  expect(res.data.products[0]).toEqual({
    id: 'permit-building-residential',
    name: 'Residential Building Permit',
    price: { amount: '250.00', currencyCode: 'USD' },
  });
  expect(h.calls('scapi', { path: '/products' }).length).toBe(2);
  expect(h.calls('scapi', { path: '/oauth2/token' }).length).toBe(1);

  const tooMany = await h.gql(
    { kind: 'anonymous' },
    'query($ids: [ID!]!) { products(ids: $ids) { id } }',
    { ids: Array.from({ length: 101 }, (_, i) => `p${i}`) },
  );
  expect(tooMany).toMatchInlineSnapshot(`
   {
     "data": null,
     "errors": [
       {
         "extensions": {
           "code": "BAD_USER_INPUT",
         },
         "locations": [
           {
             "column": 23,
             "line": 1,
           },
         ],
         "message": "At most 100 ids may be asked for at once.",
         "path": [
           "products",
         ],
       },
     ],
   }
  `);

  const one = await h.gql(
    { kind: 'anonymous' },
    '{ product(id: "licence-dog-annual") { name description } missing: product(id: "x") { id } }',
  );
  expect(one.data).toEqual({
    product: { name: 'Dog Licence (Annual)', description: 'Annual licence for one dog.' },
    missing: null,
  });
  const entity = await h.gql(
    { kind: 'anonymous' },
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id name } } }',
    {
      r: [{ __typename: 'Product', id: 'fee-pool-pass' }],
    },
  );
  expect(entity.data._entities).toEqual([
    { id: 'fee-pool-pass', name: 'Community Pool Season Pass' },
  ]);
});

test('productSearch: one Shopper Search call and one getProducts call for the page; bounds refused before any call', async () => {
  const SEARCH = `query($q: String, $first: Int!) { productSearch(query: $q, first: $first) {
    totalCount products { id name description price { amount currencyCode } } } }`;
  const anonymous = { kind: 'anonymous' } as const;
  await h.gql(anonymous, SEARCH, { q: 'warm', first: 1 }); // the guest token
  h.emu.reset();
  const building = await h.gql(anonymous, SEARCH, { q: 'building permit', first: 10 });
  expect(building.errors).toBeUndefined();
  expect(building.data.productSearch).toEqual({
    totalCount: 2,
    products: [
      {
        id: 'permit-building-residential',
        name: 'Residential Building Permit',
        description: 'Permit for new residential construction or major alterations.',
        price: { amount: '250.00', currencyCode: 'USD' },
      },
      expect.objectContaining({ id: 'permit-building-commercial' }),
    ],
  });
  expect(h.calls('scapi', { path: '/product-search' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/products' }).length).toBe(1);
  expect(h.calls('scapi').length).toBe(2);

  // Without a query: the catalogue, `first` at a time, and how many there are in all.
  const page = await h.gql(anonymous, SEARCH, { first: 24 });
  expect(page.data.productSearch.totalCount).toBe(CATALOG.length);
  expect(page.data.productSearch.products.map((p: { id: string }) => p.id)).toEqual(
    CATALOG.slice(0, 24).map((p) => p.id),
  );
  const none = await h.gql(anonymous, SEARCH, { q: 'permit', first: 0 });
  expect(none.data.productSearch).toEqual({ totalCount: expect.any(Number), products: [] });
  expect(none.data.productSearch.totalCount).toBeGreaterThan(0);

  h.emu.reset();
  for (const [variables, field] of [
    [{ first: 25 }, 'first'],
    [{ first: -1 }, 'first'],
    [{ q: 'x'.repeat(51), first: 1 }, 'query'],
  ] as const) {
    const refused = await h.gql(anonymous, SEARCH, variables);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  }
  expect(h.calls('scapi').length).toBe(0);
});

test('access: a citizen sees only their own cart and orders, checked before any SCAPI call', async () => {
  const a = citizenPrincipal(h.emu.core.world.citizens[11]);
  const other = await h.gql(a, ENTITIES, { reps: [rep(12)] });
  expect(other.data._entities[0]).toMatchObject({
    cart: null,
    orders: { totalCount: 0, edges: [] },
  });
  const anon = await h.gql({ kind: 'anonymous' }, ENTITIES, { reps: [rep(11)] });
  expect(anon.data._entities[0]).toMatchObject({
    cart: null,
    orders: { totalCount: 0, edges: [] },
  });
  expect(h.calls('scapi').length).toBe(0);

  const own = await h.gql(a, ENTITIES, { reps: [rep(11)] });
  expect(own.errors).toBeUndefined();
  expect(h.calls('scapi', { path: '/customers/' }).length).toBe(2);
  // An agent without the shopper login cannot act for the shopper: nothing, and no call.
  h.emu.reset();
  const noLogin = await h.gql(agentPrincipal, ENTITIES, { reps: [rep(12, false)] });
  expect(noLogin.data._entities[0].cart).toBeNull();
  expect(h.calls('scapi').length).toBe(0);
});

const CART = `cart { id itemCount items { id quantity price { amount } product { id name } } productTotal { amount } }`;
const ADD = `mutation($p: ID!, $q: Int!) { addCartItem(input: { productId: $p, quantity: $q }) { ${CART} userErrors { code field message } } }`;
const UPDATE = `mutation($i: ID!, $q: Int!) { updateCartItem(input: { itemId: $i, quantity: $q }) { ${CART} userErrors { code field message } } }`;
const REMOVE = `mutation($i: ID!) { removeCartItem(input: { itemId: $i }) { ${CART} userErrors { code field message } } }`;
const CHECKOUT = `mutation($k: String!) { checkout(input: { idempotencyKey: $k, payment: { cardType: "Visa", holder: "A B", maskedNumber: "************1111", expirationMonth: 1, expirationYear: 2030 } }) {
  order { orderNo status paymentStatus total { amount currencyCode } items { quantity product { id } } } userErrors { code field message } } }`;

/** The one answer of every subgraph to an idempotency key outside 8..80 characters. */
const INVALID_KEY = {
  code: 'INVALID_IDEMPOTENCY_KEY',
  field: ['input', 'idempotencyKey'],
  message: 'The idempotency key must be 8 to 80 characters long.',
};

async function emptyCart(principal: CitizenPrincipal) {
  const res = await h.gql(
    principal,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { ${CART} } } }`,
    {
      r: [
        {
          __typename: 'Citizen',
          commerceCustomerId: principal.commerceCustomerId,
          commerceLogin: principal.commerceLogin,
        },
      ],
    },
  );
  for (const it of res.data._entities[0].cart?.items ?? [])
    await h.gql(principal, REMOVE, { i: it.id });
}

test('cart mutations: add, update, remove, and their userErrors', async () => {
  const p = citizenPrincipal(h.emu.core.world.citizens[20]);
  await emptyCart(p);
  const added = await h.gql(p, ADD, { p: 'licence-dog-annual', q: 2 });
  expect(added.errors).toBeUndefined();
  expect(added.data.addCartItem.userErrors).toEqual([]);
  const cart = added.data.addCartItem.cart;
  expect(cart).toMatchObject({ itemCount: 2, productTotal: { amount: '50.00' } });
  const itemId = cart.items[0].id;
  expect(cart.items[0]).toMatchObject({
    quantity: 2,
    price: { amount: '50.00' },
    product: { id: 'licence-dog-annual', name: 'Dog Licence (Annual)' },
  });

  const updated = await h.gql(p, UPDATE, { i: itemId, q: 3 });
  expect(updated.data.updateCartItem.cart.items[0].quantity).toBe(3);

  // A refused change answers the whole userError and leaves the cart as it was.
  const unchanged = { ...updated.data.updateCartItem.cart };
  expect((await h.gql(p, ADD, { p: 'no-such-product', q: 1 })).data.addCartItem).toEqual({
    cart: unchanged,
    userErrors: [
      {
        code: 'PRODUCT_NOT_FOUND',
        field: ['input', 'productId'],
        message: "Product 'no-such-product' is not available.",
      },
    ],
  });
  expect((await h.gql(p, ADD, { p: 'licence-dog-annual', q: 0 })).data.addCartItem).toEqual({
    cart: null,
    userErrors: [
      {
        code: 'INVALID_QUANTITY',
        field: ['input', 'quantity'],
        message: 'Quantity must be a whole number from 1 to 999.',
      },
    ],
  });
  const noItem = {
    code: 'ITEM_NOT_FOUND',
    field: ['input', 'itemId'],
    message: "There is no item 'nope' in the cart.",
  };
  expect((await h.gql(p, UPDATE, { i: 'nope', q: 1 })).data.updateCartItem).toEqual({
    cart: unchanged,
    userErrors: [noItem],
  });
  expect((await h.gql(p, REMOVE, { i: 'nope' })).data.removeCartItem).toEqual({
    cart: unchanged,
    userErrors: [noItem],
  });

  const zero = await h.gql(p, UPDATE, { i: itemId, q: 0 });
  expect(zero.data.updateCartItem.cart.items).toEqual([]);
  await h.gql(p, ADD, { p: 'fee-pool-pass', q: 1 });
  const again = await h.gql(p, ADD, { p: 'permit-fence', q: 1 });
  const removed = await h.gql(p, REMOVE, { i: again.data.addCartItem.cart.items[0].id });
  expect(
    removed.data.removeCartItem.cart.items.map((i: { product: { id: string } }) => i.product.id),
  ).toEqual(['permit-fence']);

  const empty = await h.gql(citizenPrincipal(h.emu.core.world.citizens[21]), CHECKOUT, {
    k: 'short',
  });
  expect(empty.data.checkout).toEqual({ order: null, userErrors: [INVALID_KEY] });
});

test('a key outside 8..80 characters gets the one answer of every subgraph, on addCartItem and checkout alike, with no SCAPI call', async () => {
  const p = citizenPrincipal(h.emu.core.world.citizens[22]);
  const expected = [INVALID_KEY];
  h.emu.reset();
  for (const k of ['short', 'k'.repeat(81)]) {
    const add = await h.gql(
      p,
      `mutation($k: String!) { addCartItem(input: { productId: "permit-fence", idempotencyKey: $k }) { cart { id } userErrors { code field message } } }`,
      { k },
    );
    expect(add.data.addCartItem).toEqual({ cart: null, userErrors: expected });
    const checkout = await h.gql(
      p,
      `mutation($k: String!) { checkout(input: { idempotencyKey: $k, payment: { cardType: "Visa", holder: "A B", maskedNumber: "************1111", expirationMonth: 1, expirationYear: 2030 } }) { order { orderNo } userErrors { code field message } } }`,
      { k },
    );
    expect(checkout.data.checkout).toEqual({ order: null, userErrors: expected });
  }
  expect(h.calls('scapi').length).toBe(0);
});

test('agents and anonymous callers get FORBIDDEN from mutations, with no SCAPI call', async () => {
  const forbidden = {
    code: 'FORBIDDEN',
    field: null,
    message: 'Only a signed-in citizen can change their own cart.',
  };
  for (const principal of [agentPrincipal, { kind: 'anonymous' as const }]) {
    const res = await h.gql(principal, ADD, { p: 'licence-dog-annual', q: 1 });
    expect(res).toEqual({ data: { addCartItem: { cart: null, userErrors: [forbidden] } } });
    const co = await h.gql(principal, CHECKOUT, { k: 'forbidden-key-1' });
    expect(co).toEqual({ data: { checkout: { order: null, userErrors: [forbidden] } } });
  }
  expect(h.calls('scapi').length).toBe(0);
});

test('checkout creates one order; a retry with the same key returns it; an empty cart is a userError', async () => {
  const c = h.emu.core.world.citizens[30];
  const p = citizenPrincipal(c);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'permit-building-residential', q: 1 });
  h.emu.reset();
  const first = await h.gql(p, CHECKOUT, { k: 'checkout-key-0001' });
  expect(first.errors).toBeUndefined();
  expect(first.data.checkout.userErrors).toEqual([]);
  const order = first.data.checkout.order;
  expect(order).toMatchObject({
    status: 'created',
    paymentStatus: 'not_paid',
    total: { amount: '250.00', currencyCode: 'USD' },
    items: [{ quantity: 1, product: { id: 'permit-building-residential' } }],
  });
  expect(h.calls('scapi', { path: '/orders', method: 'POST' }).length).toBe(1);
  // The shipment's applicable methods are asked; it already carries the site's default: not set again.
  expect(h.calls('scapi', { path: '/shipping-methods', method: 'GET' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/shipping-method', method: 'PUT' }).length).toBe(0);
  expect(h.calls('scapi', { path: '/payment-instruments', method: 'POST' }).length).toBe(1);
  // Baskets + orders (in parallel), customer address, key record, shipping address, shipping
  // methods, billing address, payment instrument, order, and the products of the order's lines.
  expect(h.calls('scapi').length).toBe(10);

  h.emu.log.reset();
  const retry = await h.gql(p, CHECKOUT, { k: 'checkout-key-0001' });
  expect(retry.data.checkout.order.orderNo).toBe(order.orderNo);
  // The retry only reads: baskets + orders (finds the order by its key), and the products.
  expect(h.calls('scapi', { path: '/orders', method: 'POST' }).length).toBe(0);
  expect(h.calls('scapi').length).toBe(3);

  const empty = await h.gql(p, CHECKOUT, { k: 'checkout-key-0002' });
  expect(empty.data.checkout).toMatchInlineSnapshot(`
   {
     "order": null,
     "userErrors": [
       {
         "code": "EMPTY_CART",
         "field": null,
         "message": "The cart is empty.",
       },
     ],
   }
  `);

  // The order resolves by orderNo for its owner only.
  const Q =
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderNo total { amount } } } }';
  const r = [{ __typename: 'Order', orderNo: order.orderNo }];
  expect((await h.gql(p, Q, { r })).data._entities[0]).toEqual({
    orderNo: order.orderNo,
    total: { amount: '250.00' },
  });
  expect(
    (await h.gql(citizenPrincipal(h.emu.core.world.citizens[31]), Q, { r })).data._entities[0],
  ).toBeNull();
  expect((await h.gql(agentPrincipal, Q, { r })).data._entities[0]).toBeNull();
});

test("checkout uses the site's shipping methods: the shipment's default, never a hard-coded id", async () => {
  const store = scapiStore(h.emu.core);
  const p = citizenPrincipal(h.emu.core.world.citizens[32]);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  // A site without email delivery ('001'): its only method, and default, is postal mail.
  store.setShippingMethods(['002'], '002');
  await using _restore = deferred(() => store.setShippingMethods(['001', '002'], '001'));
  h.emu.reset();
  const placed = await h.gql(p, CHECKOUT, { k: 'shipping-site-0001' });
  expect(placed.errors).toBeUndefined();
  expect(placed.data.checkout.userErrors).toEqual([]);
  expect(h.calls('scapi', { path: '/shipping-methods', method: 'GET' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/shipping-method', method: 'PUT' }).length).toBe(1);
  const order = store.order(placed.data.checkout.order.orderNo)!;
  expect(order.basket.shippingMethodId).toBe('002');
  // 25.00 licence + 4.95 postal mail.
  expect(placed.data.checkout.order.total.amount).toBe('29.95');

  // No method applies to the shipment: the request's userError, not an upstream failure.
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  store.setShippingMethods([], '');
  const none = await h.gql(p, CHECKOUT, { k: 'shipping-site-0002' });
  expect(none.errors).toBeUndefined();
  expect(none.data.checkout).toEqual({
    order: null,
    userErrors: [
      {
        code: 'SHIPPING_METHOD_REFUSED',
        field: null,
        message: 'The cart cannot be shipped: no shipping method applies to it.',
      },
    ],
  });
});

test('SCAPI_SHIPPING_METHOD_ID: set on the shipment without asking; one the site refuses is a userError', async () => {
  const p = citizenPrincipal(h.emu.core.world.citizens[33]);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  await using postal = await startSubgraph('commerce', {
    ...h.env,
    SCAPI_SHIPPING_METHOD_ID: '002',
  });
  h.emu.reset();
  const placed = (await postal.gql(p, CHECKOUT, { k: 'shipping-conf-0001' })).body;
  expect(placed.data.checkout.userErrors).toEqual([]);
  expect(placed.data.checkout.order.total.amount).toBe('29.95');
  expect(h.calls('scapi', { path: '/shipping-methods', method: 'GET' }).length).toBe(0);
  expect(h.calls('scapi', { path: '/shipping-method', method: 'PUT' }).length).toBe(1);

  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  await using bogus = await startSubgraph('commerce', {
    ...h.env,
    SCAPI_SHIPPING_METHOD_ID: 'overnight-drone',
  });
  const refused = (await bogus.gql(p, CHECKOUT, { k: 'shipping-conf-0002' })).body;
  expect(refused.errors).toBeUndefined();
  expect(refused.data.checkout).toEqual({
    order: null,
    userErrors: [expect.objectContaining({ code: 'SHIPPING_METHOD_REFUSED' })],
  });
});

test("the payment method: SCAPI_PAYMENT_METHOD_ID, or the basket's applicable card method; one the site refuses is a userError", async () => {
  const store = scapiStore(h.emu.core);
  const p = citizenPrincipal(h.emu.core.world.citizens[34]);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  // Default configuration (CREDIT_CARD): set without asking the basket.
  h.emu.reset();
  const placed = await h.gql(p, CHECKOUT, { k: 'payment-conf-0001' });
  expect(placed.data.checkout.userErrors).toEqual([]);
  expect(h.calls('scapi', { path: '/payment-methods', method: 'GET' }).length).toBe(0);
  expect(store.order(placed.data.checkout.order.orderNo)!.basket.payments[0].paymentMethodId).toBe(
    'CREDIT_CARD',
  );

  // A site that does not offer CREDIT_CARD: the configured method is refused → userError.
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  store.setPaymentMethods(['GIFT_CERTIFICATE']);
  await using _restore = deferred(() =>
    store.setPaymentMethods(['CREDIT_CARD', 'GIFT_CERTIFICATE']),
  );
  const refused = await h.gql(p, CHECKOUT, { k: 'payment-conf-0002' });
  expect(refused.errors).toBeUndefined();
  expect(refused.data.checkout).toEqual({
    order: null,
    userErrors: [
      {
        code: 'PAYMENT_METHOD_REFUSED',
        field: ['input', 'payment', 'methodId'],
        message: 'The shop does not accept this payment method.',
      },
    ],
  });

  // Blank: chosen from getPaymentMethodsForBasket; none takes a card → the same userError.
  await using asking = await startSubgraph('commerce', { ...h.env, SCAPI_PAYMENT_METHOD_ID: '' });
  h.emu.reset();
  const none = (await asking.gql(p, CHECKOUT, { k: 'payment-conf-0003' })).body;
  expect(none.data.checkout.userErrors).toEqual([
    expect.objectContaining({ code: 'PAYMENT_METHOD_REFUSED' }),
  ]);
  expect(h.calls('scapi', { path: '/payment-methods', method: 'GET' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/payment-instruments', method: 'POST' }).length).toBe(0);
  // The site offers cards again: the basket's method taking Visa is used.
  store.setPaymentMethods(['GIFT_CERTIFICATE', 'CREDIT_CARD']);
  const chosen = (await asking.gql(p, CHECKOUT, { k: 'payment-conf-0004' })).body;
  expect(chosen.data.checkout.userErrors).toEqual([]);
  expect(store.order(chosen.data.checkout.order.orderNo)!.basket.payments[0].paymentMethodId).toBe(
    'CREDIT_CARD',
  );
});

test('an order Shopper Orders only created is reported as not placed; a site whose hook places it, as placed', async () => {
  const store = scapiStore(h.emu.core);
  const p = citizenPrincipal(h.emu.core.world.citizens[35]);
  const PLACED = `mutation($k: String!) { checkout(input: { idempotencyKey: $k, payment: { cardType: "Visa", holder: "A B", maskedNumber: "************1111", expirationMonth: 1, expirationYear: 2030 } }) {
    order { orderNo status placed } userErrors { code } } }`;
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  const created = await h.gql(p, PLACED, { k: 'placement-0001' });
  expect(created.data.checkout.userErrors).toEqual([]);
  expect(created.data.checkout.order).toMatchObject({ status: 'created', placed: false });

  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  store.placesOrders = true;
  await using _restore = deferred(() => {
    store.placesOrders = false;
  });
  const placed = await h.gql(p, PLACED, { k: 'placement-0002' });
  expect(placed.data.checkout.order).toMatchObject({ status: 'new', placed: true });
});

test('a citizen without a B2C Commerce customer record gets NO_SHOPPER_ACCOUNT, not an upstream failure', async () => {
  const NO_ACCOUNT = {
    code: 'NO_SHOPPER_ACCOUNT',
    field: null,
    message: 'Your account has no shop customer record yet, so it cannot have a cart or orders.',
  };
  const c = h.emu.core.world.citizens[36];
  // A registrant: the portal app gives no shopper login (no customer record to point at).
  h.emu.reset();
  const noLogin = await h.gql(citizenPrincipal(c, { commerceLogin: false }), ADD, {
    p: 'licence-dog-annual',
    q: 1,
  });
  expect(noLogin.errors).toBeUndefined();
  expect(noLogin.data.addCartItem).toEqual({ cart: null, userErrors: [NO_ACCOUNT] });
  expect(h.calls('scapi').length).toBe(0);

  // A login B2C Commerce has no customer for: SLAS refuses trusted system on behalf (400).
  const stranger = citizenPrincipal({ ...c, email: 'registrant-0001@example.org' });
  h.emu.reset();
  const unknown = await h.gql(stranger, CHECKOUT, { k: 'no-account-0001' });
  expect(unknown.errors).toBeUndefined();
  expect(unknown.data.checkout).toEqual({ order: null, userErrors: [NO_ACCOUNT] });
  expect(h.calls('scapi', { path: '/oauth2/trusted-system/token', method: 'POST' }).length).toBe(1);
  // Such a shopper's cart and orders read as none (another login: no second login inside
  // SLAS's TSOB window).
  const other = citizenPrincipal({ ...c, email: 'registrant-0002@example.org' });
  const read = await h.gql(
    other,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { cart { itemCount } orders(first: 5) { edges { node { orderNo } } } } } }`,
    {
      r: [
        {
          __typename: 'Citizen',
          commerceCustomerId: c.commerceCustomerId,
          commerceLogin: 'registrant-0002@example.org',
        },
      ],
    },
  );
  expect(read.errors).toBeUndefined();
  expect(read.data._entities[0]).toEqual({ cart: null, orders: { edges: [] } });
});

test('checkout whose createOrder answer is lost: the retry finds the order by its key, no duplicate', async () => {
  const c = h.emu.core.world.citizens[40];
  const p = citizenPrincipal(c);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-business', q: 1 });
  h.emu.faults.add({
    kind: 'lose-response',
    family: 'scapi',
    method: 'POST',
    path: '/checkout/shopper-orders/',
    count: 1,
  });
  const lost = await h.gql(p, CHECKOUT, { k: 'lost-answer-key-1' });
  expect(lost).toMatchInlineSnapshot(`
   {
     "data": null,
     "errors": [
       {
         "extensions": {
           "code": "UPSTREAM_UNAVAILABLE",
           "upstream": "scapi",
         },
         "locations": [
           {
             "column": 25,
             "line": 1,
           },
         ],
         "message": "A Salesforce service is unavailable.",
         "path": [
           "checkout",
         ],
       },
     ],
   }
  `);
  const before = h.calls('scapi', { path: '/orders', method: 'POST' }).length;
  const retry = await h.gql(p, CHECKOUT, { k: 'lost-answer-key-1' });
  expect(retry.data.checkout.userErrors).toEqual([]);
  expect(retry.data.checkout.order.total.amount).toBe('125.00');
  expect(h.calls('scapi', { path: '/orders', method: 'POST' }).length).toBe(before);
  const orders = await h.gql(p, ENTITIES, { reps: [rep(40)] });
  const placed = orders.data._entities[0].orders.edges.filter(
    (e: { node: { orderNo: string } }) => e.node.orderNo === retry.data.checkout.order.orderNo,
  );
  expect(placed).toHaveLength(1);
});

/** The first seeded citizen with at least `min` orders (the seed gives each 0–3). */
async function citizenWithOrders(min: number) {
  const Q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { orders(first: 0) { totalCount } } } }`;
  for (const c of h.emu.core.world.citizens) {
    const r = [
      { __typename: 'Citizen', commerceCustomerId: c.commerceCustomerId, commerceLogin: c.email },
    ];
    const res = await h.gql(citizenPrincipal(c), Q, { r });
    if (res.data._entities[0].orders.totalCount >= min) return c;
  }
  throw new Error(`no seeded citizen with ${min} orders`);
}

test('orders connection pages with first/after; first > 50 uses two SCAPI pages in parallel', async () => {
  const c = await citizenWithOrders(3);
  h.emu.reset();
  const p = citizenPrincipal(c);
  const Q = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Citizen { orders(first: $first, after: $after) {
    totalCount edges { cursor node { orderNo createdAt } } pageInfo { hasNextPage endCursor } } } } }`;
  const r = [
    { __typename: 'Citizen', commerceCustomerId: c.commerceCustomerId, commerceLogin: c.email },
  ];
  const all = await h.gql(p, Q, { r, first: 100 });
  expect(all.errors).toBeUndefined();
  const conn = all.data._entities[0].orders;
  expect(conn.edges).toHaveLength(conn.totalCount);
  expect(h.calls('scapi', { path: '/orders', method: 'GET' }).length).toBe(2);
  // The seeded world gives this citizen several orders, so paging is really exercised.
  expect(conn.totalCount).toBeGreaterThan(1);
  const page1 = (await h.gql(p, Q, { r, first: 1 })).data._entities[0].orders;
  expect(page1.edges).toHaveLength(1);
  expect(page1.pageInfo.hasNextPage).toBe(true);
  const page2 = (await h.gql(p, Q, { r, first: 1, after: page1.pageInfo.endCursor })).data
    ._entities[0].orders;
  expect(page2.edges.map((e: { node: { orderNo: string } }) => e.node.orderNo)).toEqual([
    conn.edges[1].node.orderNo,
  ]);
  const last = (await h.gql(p, Q, { r, first: 100, after: conn.edges.at(-1).cursor })).data
    ._entities[0].orders;
  expect(last).toMatchObject({ edges: [], totalCount: conn.totalCount });
  expect(last.pageInfo.hasNextPage).toBe(false);
});

test('orders: first is 0..100 like every connection (101 and -1 are BAD_USER_INPUT on `first`, no call); first 0 still counts', async () => {
  const c = await citizenWithOrders(2);
  const p = citizenPrincipal(c);
  const Q = `query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on Citizen { orders(first: $first) { totalCount edges { cursor } } } } }`;
  const r = [
    { __typename: 'Citizen', commerceCustomerId: c.commerceCustomerId, commerceLogin: c.email },
  ];
  const refused = [];
  for (const first of [101, -1]) {
    h.emu.reset();
    refused.push(await h.gql(p, Q, { r, first }));
    expect(h.calls('scapi', { path: '/orders', method: 'GET' }).length).toBe(0);
  }
  // -1 gets the very answer 101 gets.
  expect(refused[1]).toEqual(refused[0]);
  expect(refused[0]).toMatchInlineSnapshot(`
   {
     "data": {
       "_entities": [
         {
           "orders": null,
         },
       ],
     },
     "errors": [
       {
         "extensions": {
           "code": "BAD_USER_INPUT",
           "field": "first",
         },
         "locations": [
           {
             "column": 86,
             "line": 1,
           },
         ],
         "message": "first must be between 0 and 100.",
         "path": [
           "_entities",
           0,
           "orders",
         ],
       },
     ],
   }
  `);
  const none = (await h.gql(p, Q, { r, first: 0 })).data._entities[0].orders;
  expect(none.edges).toEqual([]);
  expect(none.totalCount).toBeGreaterThan(1);
});

test('addCartItem with a key: the first attempt reads the basket and adds once; the identical retry only reads', async () => {
  const c = h.emu.core.world.citizens[50];
  const p = citizenPrincipal(c);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'fee-pool-pass', q: 1 }); // the basket exists
  const KEYED = `mutation($k: String) { addCartItem(input: { productId: "licence-dog-annual", quantity: 1, idempotencyKey: $k }) { cart { itemCount } userErrors { code } } }`;
  h.emu.reset();
  const first = await h.gql(p, KEYED, { k: 'subgraph-add-key-1' });
  expect(first.data.addCartItem).toEqual({ cart: { itemCount: 2 }, userErrors: [] });
  expect(h.calls('scapi', { path: '/baskets', method: 'GET' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/items', method: 'POST' }).length).toBe(1);
  expect(h.calls('scapi').length).toBe(2);
  h.emu.reset();
  const retry = await h.gql(p, KEYED, { k: 'subgraph-add-key-1' });
  expect(retry.data.addCartItem).toEqual({ cart: { itemCount: 2 }, userErrors: [] });
  expect(h.calls('scapi').length).toBe(1);
});

test('checkout sends SCAPI a masked card number only: a full one is masked to its last 4 digits', async () => {
  const p = citizenPrincipal(h.emu.core.world.citizens[55]);
  await emptyCart(p);
  await h.gql(p, ADD, { p: 'licence-dog-annual', q: 1 });
  const withCard = (maskedNumber: string) =>
    `mutation($k: String!) { checkout(input: { idempotencyKey: $k, payment: { cardType: "Visa", holder: "A B", maskedNumber: "${maskedNumber}", expirationMonth: 1, expirationYear: 2030 } }) { order { orderNo } userErrors { code field message } } }`;
  h.emu.reset();
  const none = await h.gql(p, withCard('12'), { k: 'masked-none-1' });
  expect(none.data.checkout).toEqual({
    order: null,
    userErrors: [
      {
        code: 'INVALID_INPUT',
        field: ['input', 'payment', 'maskedNumber'],
        message:
          'maskedNumber must be a masked card number with its last 4 digits, e.g. ************1111.',
      },
    ],
  });
  expect(h.calls('scapi').length).toBe(0);
  const full = await h.gql(p, withCard('4111 1111 1111 1111'), { k: 'masked-full-1' });
  expect(full.data.checkout.userErrors).toEqual([]);
  const order = scapiStore(h.emu.core).order(full.data.checkout.order.orderNo)!;
  expect(order.basket.payments.map((x) => x.paymentCard?.maskedNumber)).toEqual([
    '************1111',
  ]);
});

test('custom attribute names are configuration: c_ names, defaults c_idempotencyKey', () => {
  const base = { PRINCIPAL_SECRET: 'test-secret' };
  expect(loadCommerceConfig(base).customAttributes).toEqual({
    checkoutRecord: 'c_idempotencyKey',
    lineRecords: 'c_idempotencyKey',
  });
  expect(
    loadCommerceConfig({
      ...base,
      SCAPI_ATTR_CHECKOUT_RECORD: 'c_checkoutKey',
      SCAPI_ATTR_LINE_RECORDS: 'c_lineKeys',
    }).customAttributes,
  ).toEqual({ checkoutRecord: 'c_checkoutKey', lineRecords: 'c_lineKeys' });
  for (const bad of ['idempotencyKey', 'c_', 'c_a-b', 'c_1x'])
    expect(() => loadCommerceConfig({ ...base, SCAPI_ATTR_LINE_RECORDS: bad })).toThrow(
      /SCAPI_ATTR_LINE_RECORDS/,
    );
});

test('addCartItem writes the configured line attribute, which the org must declare', async () => {
  const store = scapiStore(h.emu.core);
  // Restores the org's declared attributes however the test ends (disposed after `own`).
  await using _declared = deferred(() =>
    store.declareCustomAttributes('ProductItem', ['c_idempotencyKey']),
  );
  await using own = await startSubgraph('commerce', {
    ...h.env,
    SCAPI_ATTR_LINE_RECORDS: 'c_lineKeys',
  });
  const p = citizenPrincipal(h.emu.core.world.citizens[56]);
  const add = async (k: string) =>
    (
      await own.gql(
        p,
        `mutation($k: String!) { addCartItem(input: { productId: "permit-fence", quantity: 1, idempotencyKey: $k }) { cart { id } userErrors { code field message } } }`,
        { k },
      )
    ).body;
  // Not declared in the org: SCAPI refuses the write, the mutation reports it.
  const refused = await add('line-key-0001');
  expect(refused.data.addCartItem).toEqual({
    cart: { id: expect.any(String) },
    userErrors: [
      { code: 'INVALID_INPUT', field: ['input'], message: 'The item could not be added.' },
    ],
  });
  store.declareCustomAttributes('ProductItem', ['c_idempotencyKey', 'c_lineKeys']);
  const ok = await add('line-key-0002');
  expect(ok.data.addCartItem.userErrors).toEqual([]);
  const basket = store.openBasketOf(p.commerceCustomerId!)!;
  const line = basket.items.find((it) => it.productId === 'permit-fence')!;
  expect(Object.keys(line.custom ?? {})).toEqual(['c_lineKeys']);
  expect(String(line.custom!.c_lineKeys)).toMatch(/^[A-Za-z0-9_-]{22}:1$/);
});

// Shopper APIs over plain HTTP: auth and siteId rules, the 24-id limit, the basket quota,
// ownership checks, order preconditions, customer paging, and seeding speed.
import request from 'supertest';
import { createEmulator } from '../server.js';
import { ScapiStore, scapiStore } from '../scapi/store.js';
import { generateWorld } from '../world.js';

const emu = createEmulator({ citizens: 30 });
const org = emu.core.settings.scapiOrganizationId;
const site = emu.core.settings.scapiSiteId;
const { clientId, clientSecret } = emu.core.world.integration;
const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
const products = `/scapi/product/shopper-products/v1/organizations/${org}`;
const search = `/scapi/search/shopper-search/v1/organizations/${org}`;
const baskets = `/scapi/checkout/shopper-baskets/v1/organizations/${org}`;
const orders = `/scapi/checkout/shopper-orders/v1/organizations/${org}`;
const customers = `/scapi/customer/shopper-customers/v1/organizations/${org}`;

const tsob = (loginId: string, usid?: string) =>
  request(emu.app)
    .post(`/scapi/shopper/auth/v1/organizations/${org}/oauth2/trusted-system/token`)
    .set('authorization', basic)
    .type('form')
    .send({
      grant_type: 'client_credentials',
      hint: 'ts_ext_on_behalf_of',
      login_id: loginId,
      idp_origin: 'ecom',
      channel_id: site,
      ...(usid ? { usid } : {}),
    });

// One trusted-system login per shopper for the whole file: a second one within 3 s answers 409.
const sessions = new Map<number, Promise<{ token: string; customerId: string }>>();
function login(index: number): Promise<{ token: string; customerId: string }> {
  let s = sessions.get(index);
  if (!s) {
    s = tsob(emu.core.world.citizens[index].email).then((res) => {
      expect(res.status).toBe(200);
      return { token: res.body.access_token as string, customerId: res.body.customer_id as string };
    });
    sessions.set(index, s);
  }
  return s;
}

const expectProblem = (res: request.Response, status: number, slug: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body.type).toBe(
    `https://api.commercecloud.salesforce.com/documentation/error/v1/errors/${slug}`,
  );
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
};

test('no or bad bearer → 401 problem; missing siteId → 400 problem', async () => {
  expectProblem(
    await request(emu.app).get(`${products}/products/licence-dog-annual?siteId=${site}`),
    401,
    'unauthorized',
  );
  expectProblem(
    await request(emu.app)
      .get(`${products}/products/licence-dog-annual?siteId=${site}`)
      .set('authorization', 'Bearer nope'),
    401,
    'unauthorized',
  );
  const { token } = await login(0);
  expectProblem(
    await request(emu.app)
      .get(`${products}/products/licence-dog-annual`)
      .set('authorization', `Bearer ${token}`),
    400,
    'bad-request',
  );
  expectProblem(
    await request(emu.app)
      .get(
        `/scapi/product/shopper-products/v1/organizations/f_ecom_nope_prd/products/x?siteId=${site}`,
      )
      .set('authorization', `Bearer ${token}`),
    404,
    'not-found',
  );
});

test('getProducts: at most 24 ids, unknown ids dropped, order kept', async () => {
  const { token } = await login(0);
  const ids = [...emu.core.world.citizens.keys()].slice(0, 25).map((i) => `p${i}`);
  expectProblem(
    await request(emu.app)
      .get(`${products}/products`)
      .query({ ids: ids.join(','), siteId: site })
      .set('authorization', `Bearer ${token}`),
    400,
    'validation',
  );
  const ok = await request(emu.app)
    .get(`${products}/products`)
    .query({ ids: 'fee-parking-annual,unknown,licence-dog-annual', siteId: site })
    .set('authorization', `Bearer ${token}`);
  expect(ok.body).toMatchObject({ limit: 2, total: 2 });
  expect(ok.body.data.map((p: { id: string }) => p.id)).toEqual([
    'fee-parking-annual',
    'licence-dog-annual',
  ]);
  expectProblem(
    await request(emu.app)
      .get(`${products}/products/unknown?siteId=${site}`)
      .set('authorization', `Bearer ${token}`),
    404,
    'product-not-found',
  );
});

test('productSearch: terms matched in id, name or description; limit/offset paging; bounds refused', async () => {
  const { token } = await login(0);
  const find = (query: Record<string, string | number>) =>
    request(emu.app)
      .get(`${search}/product-search`)
      .query({ siteId: site, ...query })
      .set('authorization', `Bearer ${token}`);
  const building = await find({ q: 'Building PERMIT' });
  expect(building.status).toBe(200);
  expect(building.body).toEqual({
    limit: 2,
    hits: [
      expect.objectContaining({
        productId: 'permit-building-residential',
        productName: 'Residential Building Permit',
        price: 250,
        currency: 'USD',
        hitType: 'product',
        representedProduct: { id: 'permit-building-residential' },
      }),
      expect.objectContaining({ productId: 'permit-building-commercial' }),
    ],
    query: 'Building PERMIT',
    refinements: [],
    searchPhraseSuggestions: {},
    sortingOptions: [],
    offset: 0,
    total: 2,
  });
  // Without q: the catalogue, a page at a time.
  const all = await find({});
  expect(all.body.total).toBe(scapiStore(emu.core).products.size);
  expect(all.body.hits).toHaveLength(Math.min(25, all.body.total));
  const page = await find({ limit: 2, offset: 1 });
  expect(page.body).toMatchObject({ limit: 2, offset: 1, total: all.body.total });
  expect(page.body.hits.map((h: { productId: string }) => h.productId)).toEqual(
    all.body.hits.slice(1, 3).map((h: { productId: string }) => h.productId),
  );
  expect((await find({ q: 'no such thing' })).body).toMatchObject({ hits: [], total: 0 });
  expectProblem(await find({ limit: 201 }), 400, 'validation');
  expectProblem(await find({ limit: 0 }), 400, 'validation');
  expectProblem(await find({ offset: -1 }), 400, 'validation');
  expectProblem(await find({ q: 'x'.repeat(51) }), 400, 'validation');
  expectProblem(
    await request(emu.app).get(`${search}/product-search?siteId=${site}`),
    401,
    'unauthorized',
  );
});

test('baskets: quota, item validation, ownership, c_ attributes, deletes', async () => {
  const a = await login(5);
  const b = await login(6);
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  // Clear any seeded basket, then create one; a second create hits the quota.
  const list = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth(a.token));
  for (const x of list.body.baskets)
    await request(emu.app)
      .delete(`${baskets}/baskets/${x.basketId}?siteId=${site}`)
      .set(auth(a.token))
      .expect(204);
  const created = await request(emu.app)
    .post(`${baskets}/baskets?siteId=${site}`)
    .set(auth(a.token))
    .send({});
  expect(created.status).toBe(200);
  const basketId = created.body.basketId;
  const second = await request(emu.app)
    .post(`${baskets}/baskets?siteId=${site}`)
    .set(auth(a.token))
    .send({});
  expectProblem(second, 400, 'customer-baskets-quota-exceeded');
  expect(second.body.basketIds).toEqual([basketId]);

  expectProblem(
    await request(emu.app)
      .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
      .set(auth(a.token))
      .send([{ productId: 'licence-dog-annual', quantity: 0 }]),
    400,
    'validation',
  );
  expectProblem(
    await request(emu.app)
      .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
      .set(auth(a.token))
      .send([{ productId: 'nope', quantity: 1 }]),
    400,
    'product-not-found',
  );
  const added = await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
    .set(auth(a.token))
    .send([{ productId: 'licence-dog-annual', quantity: 2 }]);
  expect(added.body.productItems).toHaveLength(1);
  expect(added.body).toMatchObject({
    productSubTotal: 50,
    productTotal: 50,
    shippingTotal: 0,
    taxTotal: 0,
    orderTotal: 50,
    currency: 'USD',
  });
  const itemId = added.body.productItems[0].itemId;

  // Another shopper's basket: 400 (shopper-baskets OAS, CustomerInfoJwtMismatch).
  const foreignBasket = await request(emu.app)
    .get(`${baskets}/baskets/${basketId}?siteId=${site}`)
    .set(auth(b.token));
  expectProblem(foreignBasket, 400, 'bad-request');
  expect(foreignBasket.body.detail).toBe('The customer is invalid.');

  const patched = await request(emu.app)
    .patch(`${baskets}/baskets/${basketId}?siteId=${site}`)
    .set(auth(a.token))
    .send({ c_idempotencyKey: 'key-1', currency: 'EUR' });
  expect(patched.body.c_idempotencyKey).toBe('key-1');
  const updated = await request(emu.app)
    .patch(`${baskets}/baskets/${basketId}/items/${itemId}?siteId=${site}`)
    .set(auth(a.token))
    .send({ quantity: 3 });
  expect(updated.body.productItems[0].quantity).toBe(3);

  // An order needs addresses and a payment instrument.
  expectProblem(
    await request(emu.app)
      .post(`${orders}/orders?siteId=${site}`)
      .set(auth(a.token))
      .send({ basketId }),
    400,
    'bad-request',
  );
  expectProblem(
    await request(emu.app)
      .post(`${orders}/orders?siteId=${site}`)
      .set(auth(a.token))
      .send({ basketId: 'missing' }),
    404,
    'basket-not-found',
  );

  const removed = await request(emu.app)
    .delete(`${baskets}/baskets/${basketId}/items/${itemId}?siteId=${site}`)
    .set(auth(a.token));
  expect(removed.status).toBe(200);
  expect(removed.body.productItems).toEqual([]);
});

test('order carries c_ attributes; customer orders page with limit/offset', async () => {
  const a = await login(7);
  const auth = { authorization: `Bearer ${a.token}` };
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  let basketId: string = existing.body.baskets[0]?.basketId;
  if (!basketId)
    basketId = (await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({}))
      .body.basketId;
  await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
    .set(auth)
    .send([{ productId: 'fee-pool-pass', quantity: 1 }])
    .expect(200);
  await request(emu.app)
    .patch(`${baskets}/baskets/${basketId}?siteId=${site}`)
    .set(auth)
    .send({ c_idempotencyKey: 'abc-123' })
    .expect(200);
  const address = {
    firstName: 'A',
    lastName: 'B',
    address1: '1 Main St',
    city: 'Salem',
    postalCode: '97301',
    countryCode: 'US',
  };
  await request(emu.app)
    .put(`${baskets}/baskets/${basketId}/billing-address?siteId=${site}&useAsShipping=true`)
    .set(auth)
    .send(address)
    .expect(200);
  await request(emu.app)
    .put(`${baskets}/baskets/${basketId}/customer?siteId=${site}`)
    .set(auth)
    .send({ email: 'x@example.org' })
    .expect(200);
  await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
    .set(auth)
    .send({ paymentMethodId: 'CREDIT_CARD', amount: 95 })
    .expect(200);
  const order = await request(emu.app)
    .post(`${orders}/orders?siteId=${site}`)
    .set(auth)
    .send({ basketId });
  expect(order.status).toBe(200);
  expect(order.body.c_idempotencyKey).toBe('abc-123');
  expect(order.body.orderNo).toMatch(/^\d{8}$/);
  // Shopper Orders creates the order; nothing places it on a site without an order hook:
  // "created", not yet placed (Orders API order status), not confirmed, not exported.
  expect(order.body).toMatchObject({
    status: 'created',
    confirmationStatus: 'not_confirmed',
    exportStatus: 'not_exported',
  });

  const page = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/orders?siteId=${site}&limit=1&offset=0`)
    .set(auth);
  expect(page.body).toMatchObject({ limit: 1, offset: 0 });
  expect(page.body.total).toBeGreaterThanOrEqual(1);
  expect(page.body.data[0].orderNo).toBe(order.body.orderNo);
  expectProblem(
    await request(emu.app)
      .get(`${customers}/customers/${a.customerId}/orders?siteId=${site}&limit=51`)
      .set(auth),
    400,
    'validation',
  );
  const customer = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}?siteId=${site}`)
    .set(auth);
  expect(customer.body).toMatchObject({
    customerId: a.customerId,
    authType: 'registered',
    login: emu.core.world.citizens[7].email,
  });
});

test('another customer id in a Shopper Customers path → 400 invalid-customer; their basket → 400 on createOrder', async () => {
  const a = await login(8);
  const b = await login(9);
  const invalid = {
    type: 'https://api.commercecloud.salesforce.com/documentation/error/v1/errors/invalid-customer',
    title: 'Invalid Customer',
    detail: 'The customer is invalid.',
  };
  for (const path of [
    `/customers/${a.customerId}`,
    `/customers/${a.customerId}/baskets`,
    `/customers/${a.customerId}/orders`,
  ]) {
    const res = await request(emu.app)
      .get(`${customers}${path}?siteId=${site}`)
      .set('authorization', `Bearer ${b.token}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toEqual(invalid);
  }
  // The owner still reads them.
  const own = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set('authorization', `Bearer ${a.token}`);
  expect(own.status).toBe(200);
  let basketId: string | undefined = own.body.baskets[0]?.basketId;
  if (!basketId)
    basketId = (
      await request(emu.app)
        .post(`${baskets}/baskets?siteId=${site}`)
        .set('authorization', `Bearer ${a.token}`)
        .send({})
    ).body.basketId as string;
  const order = await request(emu.app)
    .post(`${orders}/orders?siteId=${site}`)
    .set('authorization', `Bearer ${b.token}`)
    .send({ basketId });
  expectProblem(order, 400, 'bad-request');
  expect(order.body.detail).toBe('The customer is invalid.');
});

test('c_ attributes: only those the org declares per document; undeclared → 400 problem', async () => {
  const a = await login(10);
  const auth = { authorization: `Bearer ${a.token}` };
  const store = scapiStore(emu.core);
  expect(
    Object.fromEntries(Object.entries(store.customAttributes).map(([k, v]) => [k, [...v]])),
  ).toEqual({
    Basket: ['c_idempotencyKey'],
    ProductItem: ['c_idempotencyKey'],
    Order: ['c_idempotencyKey'],
  });
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  for (const x of existing.body.baskets)
    await request(emu.app).delete(`${baskets}/baskets/${x.basketId}?siteId=${site}`).set(auth);
  expectProblem(
    await request(emu.app)
      .post(`${baskets}/baskets?siteId=${site}`)
      .set(auth)
      .send({ c_notDeclared: 'x' }),
    400,
    'bad-request',
  );
  const basketId = (
    await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({})
  ).body.basketId as string;
  const undeclaredOnBasket = await request(emu.app)
    .patch(`${baskets}/baskets/${basketId}?siteId=${site}`)
    .set(auth)
    .send({ c_idempotencyKey: 'k', c_giftMessage: 'hi' });
  expectProblem(undeclaredOnBasket, 400, 'bad-request');
  expect(undeclaredOnBasket.body.detail).toBe(
    "The custom attribute 'c_giftMessage' is not defined for the object type 'Basket'.",
  );
  // Nothing of a rejected body was kept.
  const unchanged = await request(emu.app)
    .get(`${baskets}/baskets/${basketId}?siteId=${site}`)
    .set(auth);
  expect(unchanged.body.c_idempotencyKey).toBeUndefined();
  expectProblem(
    await request(emu.app)
      .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
      .set(auth)
      .send([{ productId: 'fee-pool-pass', quantity: 1, c_lineNote: 'x' }]),
    400,
    'bad-request',
  );
  const added = await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
    .set(auth)
    .send([{ productId: 'fee-pool-pass', quantity: 1, c_idempotencyKey: 'line' }]);
  expect(added.status).toBe(200);
  expect(added.body.productItems[0].c_idempotencyKey).toBe('line');
  expectProblem(
    await request(emu.app)
      .patch(
        `${baskets}/baskets/${basketId}/items/${added.body.productItems[0].itemId}?siteId=${site}`,
      )
      .set(auth)
      .send({ quantity: 2, c_lineNote: 'x' }),
    400,
    'bad-request',
  );

  // Declared on Basket but not on Order: the order does not carry it.
  store.declareCustomAttributes('Basket', ['c_idempotencyKey', 'c_basketOnly']);
  try {
    await request(emu.app)
      .patch(`${baskets}/baskets/${basketId}?siteId=${site}`)
      .set(auth)
      .send({ c_idempotencyKey: 'order-key', c_basketOnly: 'b' })
      .expect(200);
    const address = { firstName: 'A', lastName: 'B', countryCode: 'US' };
    await request(emu.app)
      .put(`${baskets}/baskets/${basketId}/billing-address?siteId=${site}&useAsShipping=true`)
      .set(auth)
      .send(address)
      .expect(200);
    await request(emu.app)
      .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
      .set(auth)
      .send({ paymentMethodId: 'CREDIT_CARD', amount: 95 })
      .expect(200);
    const order = await request(emu.app)
      .post(`${orders}/orders?siteId=${site}`)
      .set(auth)
      .send({ basketId });
    expect(order.status).toBe(200);
    expect(order.body.c_idempotencyKey).toBe('order-key');
    expect('c_basketOnly' in order.body).toBe(false);
  } finally {
    store.declareCustomAttributes('Basket', ['c_idempotencyKey']);
  }
});

test('paymentCard.maskedNumber must match the spec pattern (masked, last 4 digits at most)', async () => {
  const a = await login(11);
  const auth = { authorization: `Bearer ${a.token}` };
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  const basketId: string =
    existing.body.baskets[0]?.basketId ??
    (await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({})).body
      .basketId;
  const card = (maskedNumber: string) => ({
    paymentMethodId: 'CREDIT_CARD',
    amount: 10,
    paymentCard: {
      cardType: 'Visa',
      holder: 'A B',
      maskedNumber,
      expirationMonth: 1,
      expirationYear: 2030,
    },
  });
  for (const bad of [
    '4111111111111111',
    '4111 1111 1111 1111',
    '************11111',
    `${'*'.repeat(22)}1111`,
  ])
    expectProblem(
      await request(emu.app)
        .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
        .set(auth)
        .send(card(bad)),
      400,
      'bad-request',
    );
  const ok = await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
    .set(auth)
    .send(card('************1111'));
  expect(ok.status).toBe(200);
  const pi = ok.body.paymentInstruments.at(-1);
  expect(pi.paymentCard.maskedNumber).toBe('************1111');
  expectProblem(
    await request(emu.app)
      .patch(
        `${baskets}/baskets/${basketId}/payment-instruments/${pi.paymentInstrumentId}?siteId=${site}`,
      )
      .set(auth)
      .send(card('4111111111111111')),
    400,
    'bad-request',
  );
  const patched = await request(emu.app)
    .patch(
      `${baskets}/baskets/${basketId}/payment-instruments/${pi.paymentInstrumentId}?siteId=${site}`,
    )
    .set(auth)
    .send(card('411111******1111'));
  expect(patched.status).toBe(200);
});

test('a site whose dw.ocapi.shop.order.afterPOST hook places orders answers createOrder with status new', async () => {
  const a = await login(13);
  const auth = { authorization: `Bearer ${a.token}` };
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  const basketId: string =
    existing.body.baskets[0]?.basketId ??
    (await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({})).body
      .basketId;
  await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/items?siteId=${site}`)
    .set(auth)
    .send([{ productId: 'fee-pool-pass', quantity: 1 }])
    .expect(200);
  await request(emu.app)
    .put(`${baskets}/baskets/${basketId}/billing-address?siteId=${site}&useAsShipping=true`)
    .set(auth)
    .send({ lastName: 'B', address1: '1 Main St', city: 'Salem', countryCode: 'US' })
    .expect(200);
  await request(emu.app)
    .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
    .set(auth)
    .send({ paymentMethodId: 'CREDIT_CARD', amount: 95 })
    .expect(200);
  const store = scapiStore(emu.core);
  store.placesOrders = true;
  try {
    const order = await request(emu.app)
      .post(`${orders}/orders?siteId=${site}`)
      .set(auth)
      .send({ basketId });
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      status: 'new',
      confirmationStatus: 'confirmed',
      exportStatus: 'ready',
    });
  } finally {
    store.placesOrders = false;
  }
});

test("getPaymentMethodsForBasket lists the site's methods; a payment instrument may name only one of them", async () => {
  const a = await login(12);
  const auth = { authorization: `Bearer ${a.token}` };
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  const basketId: string =
    existing.body.baskets[0]?.basketId ??
    (await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({})).body
      .basketId;
  const methods = await request(emu.app)
    .get(`${baskets}/baskets/${basketId}/payment-methods?siteId=${site}`)
    .set(auth);
  expect(methods.status).toBe(200);
  expect(methods.body.applicablePaymentMethods.map((m: { id: string }) => m.id)).toEqual([
    'CREDIT_CARD',
    'GIFT_CERTIFICATE',
  ]);
  expect(methods.body.applicablePaymentMethods[0].cards).toContainEqual({
    cardType: 'Visa',
    name: 'Visa',
  });
  const add = (paymentMethodId: string) =>
    request(emu.app)
      .post(`${baskets}/baskets/${basketId}/payment-instruments?siteId=${site}`)
      .set(auth)
      .send({ paymentMethodId, amount: 10 });
  expectProblem(await add('PAYPAL'), 400, 'invalid-payment-method-id');
  // A site that has switched credit cards off.
  const store = scapiStore(emu.core);
  store.setPaymentMethods(['GIFT_CERTIFICATE']);
  try {
    expectProblem(await add('CREDIT_CARD'), 400, 'invalid-payment-method-id');
    const only = await request(emu.app)
      .get(`${baskets}/baskets/${basketId}/payment-methods?siteId=${site}`)
      .set(auth);
    expect(only.body.applicablePaymentMethods.map((m: { id: string }) => m.id)).toEqual([
      'GIFT_CERTIFICATE',
    ]);
  } finally {
    store.setPaymentMethods(['CREDIT_CARD', 'GIFT_CERTIFICATE']);
  }
  const ok = await add('CREDIT_CARD');
  expect(ok.status).toBe(200);
  const pi = ok.body.paymentInstruments.at(-1);
  expectProblem(
    await request(emu.app)
      .patch(
        `${baskets}/baskets/${basketId}/payment-instruments/${pi.paymentInstrumentId}?siteId=${site}`,
      )
      .set(auth)
      .send({ paymentMethodId: 'PAYPAL' }),
    400,
    'invalid-payment-method-id',
  );
});

describe('SLAS scopes: each Shopper API endpoint needs its scope in the token', () => {
  // https://developer.salesforce.com/docs/commerce/commerce-api/guide/auth-z-scope-catalog.html
  const scopes = () => emu.core.world.integration.slasScopes;
  const withScopes = async (list: string[], run: () => Promise<void>) => {
    const before = [...scopes()];
    scopes().splice(0, scopes().length, ...list);
    try {
      await run();
    } finally {
      scopes().splice(0, scopes().length, ...before);
    }
  };
  const guest = async () =>
    (
      await request(emu.app)
        .post(`/scapi/shopper/auth/v1/organizations/${org}/oauth2/token`)
        .set('authorization', basic)
        .type('form')
        .send({ grant_type: 'client_credentials', channel_id: site })
    ).body.access_token as string;
  const scp = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).scp as string;

  test("the token's scp carries the client's scopes", async () => {
    expect(scp(await guest()).split(' ')).toEqual(scopes());
  });

  test('a client without sfcc.shopper-products: getProducts 403 forbidden; other APIs still answer', async () => {
    await withScopes(
      scopes().filter((s) => s !== 'sfcc.shopper-products'),
      async () => {
        const t = await guest();
        expectProblem(
          await request(emu.app)
            .get(`${products}/products?ids=licence-dog-annual&siteId=${site}`)
            .set('authorization', `Bearer ${t}`),
          403,
          'forbidden',
        );
        const found = await request(emu.app)
          .get(`${search}/product-search?q=licence&siteId=${site}`)
          .set('authorization', `Bearer ${t}`);
        expect(found.status).toBe(200);
      },
    );
  });

  test('customer baskets and orders need their own myaccount scopes; .rw reads; sfcc.shopper-standard has them all', async () => {
    const [c, d] = [emu.core.world.citizens[20], emu.core.world.citizens[21]];
    await withScopes(['sfcc.shopper-myaccount.rw', 'sfcc.ts_ext_on_behalf_of'], async () => {
      const res = await tsob(c.email);
      expect(res.status).toBe(200);
      const auth = `Bearer ${res.body.access_token}`;
      const id = res.body.customer_id;
      const me = await request(emu.app)
        .get(`${customers}/customers/${id}?siteId=${site}`)
        .set('authorization', auth);
      expect(me.status).toBe(200);
      for (const path of ['baskets', 'orders'])
        expectProblem(
          await request(emu.app)
            .get(`${customers}/customers/${id}/${path}?siteId=${site}`)
            .set('authorization', auth),
          403,
          'forbidden',
        );
    });
    await withScopes(['sfcc.shopper-standard', 'sfcc.ts_ext_on_behalf_of'], async () => {
      const res = await tsob(d.email);
      const auth = `Bearer ${res.body.access_token}`;
      for (const path of ['baskets', 'orders'])
        expect(
          (
            await request(emu.app)
              .get(`${customers}/customers/${res.body.customer_id}/${path}?siteId=${site}`)
              .set('authorization', auth)
          ).status,
        ).toBe(200);
    });
  });

  test('trusted system on behalf needs sfcc.ts_ext_on_behalf_of on the client', async () => {
    await withScopes(
      scopes().filter((s) => s !== 'sfcc.ts_ext_on_behalf_of'),
      async () => {
        const res = await tsob(emu.core.world.citizens[22].email);
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('unauthorized_client');
      },
    );
  });
});

// Shopper Baskets getShippingMethodsForShipment:
// https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getShippingMethodsForShipment
test('getShippingMethodsForShipment: the applicable methods and the default; an inapplicable one is refused', async () => {
  const a = await login(12);
  const auth = { authorization: `Bearer ${a.token}` };
  const existing = await request(emu.app)
    .get(`${customers}/customers/${a.customerId}/baskets?siteId=${site}`)
    .set(auth);
  const basketId: string =
    existing.body.baskets[0]?.basketId ??
    (await request(emu.app).post(`${baskets}/baskets?siteId=${site}`).set(auth).send({})).body
      .basketId;
  const methods = () =>
    request(emu.app)
      .get(`${baskets}/baskets/${basketId}/shipments/me/shipping-methods?siteId=${site}`)
      .set(auth);
  const res = await methods();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    applicableShippingMethods: [
      expect.objectContaining({ id: '001', name: 'Email Delivery', price: 0 }),
      expect.objectContaining({ id: '002', name: 'Postal Mail', price: 4.95 }),
    ],
    defaultShippingMethodId: '001',
  });
  expectProblem(
    await request(emu.app)
      .get(`${baskets}/baskets/${basketId}/shipments/other/shipping-methods?siteId=${site}`)
      .set(auth),
    404,
    'shipment-not-found',
  );
  const other = await login(13);
  expectProblem(
    await request(emu.app)
      .get(`${baskets}/baskets/${basketId}/shipments/me/shipping-methods?siteId=${site}`)
      .set({ authorization: `Bearer ${other.token}` }),
    400,
    'bad-request',
  );

  // Shipping methods are site data: a site without email delivery.
  const store = scapiStore(emu.core);
  store.setShippingMethods(['002'], '002');
  try {
    expect((await methods()).body).toEqual({
      applicableShippingMethods: [expect.objectContaining({ id: '002' })],
      defaultShippingMethodId: '002',
    });
    expectProblem(
      await request(emu.app)
        .put(`${baskets}/baskets/${basketId}/shipments/me/shipping-method?siteId=${site}`)
        .set(auth)
        .send({ id: '001' }),
      400,
      'invalid-shipping-method',
    );
    const set = await request(emu.app)
      .put(`${baskets}/baskets/${basketId}/shipments/me/shipping-method?siteId=${site}`)
      .set(auth)
      .send({ id: '002' });
    expect(set.status).toBe(200);
    expect(set.body.shipments[0].shippingMethod.id).toBe('002');
  } finally {
    store.setShippingMethods(['001', '002'], '001');
  }
});

test('seeding is O(1); customer indexes and materialised data are deterministic', () => {
  const world = generateWorld({ citizens: 20_000 });
  const core = { ...emu.core, world };
  const started = performance.now();
  const a = new ScapiStore(core);
  expect(performance.now() - started).toBeLessThan(50);
  const b = new ScapiStore(core);
  const last = world.citizens[19_999];
  expect(a.citizenByLogin(last.email.toUpperCase())).toBe(last);
  const id = last.commerceCustomerId;
  const summary = (s: ScapiStore) =>
    s.ordersOf(id).map((o) => [o.orderNo, o.basket.items.map((i) => i.productId)]);
  expect(summary(a)).toEqual(summary(b));
  expect(a.openBasketOf(id)?.basketId).toEqual(b.openBasketOf(id)?.basketId);
});

// The emulator's SCAPI family driven by Salesforce's own client, commerce-sdk-isomorphic 5.6.0,
// unmodified, through its `proxy` option (docs/salesforce/scapi.md#commerce-sdk-isomorphic). Loaded
// with require: the package's ESM build does not load under Node ESM, its CJS build does (jest runs
// CJS here).
import type * as Sdk from 'commerce-sdk-isomorphic';
import { createEmulator } from '../server.js';
import { listen, type Listening } from '../../lib/http.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require('commerce-sdk-isomorphic') as typeof Sdk;

const emu = createEmulator({ citizens: 50 });
let up: Listening;
let parameters: { clientId: string; organizationId: string; shortCode: string; siteId: string };

beforeAll(async () => {
  up = await listen(emu.app);
  emu.setOrigin(up.url);
  parameters = {
    clientId: emu.core.world.integration.clientId,
    organizationId: emu.core.settings.scapiOrganizationId,
    shortCode: emu.core.settings.scapiShortCode,
    siteId: emu.core.settings.scapiSiteId,
  };
});
afterAll(() => up.close());

const config = (token?: string, throwOnBadResponse = false) => ({
  proxy: `${up.url}/scapi`,
  parameters,
  headers: (token ? { authorization: `Bearer ${token}` } : {}) as Record<string, string>,
  throwOnBadResponse,
});

async function shopperToken(index: number): Promise<{ access_token: string; customer_id: string }> {
  const c = emu.core.world.citizens[index];
  const { clientId, clientSecret } = emu.core.world.integration;
  const res = await fetch(
    `${up.url}/scapi/shopper/auth/v1/organizations/${parameters.organizationId}/oauth2/trusted-system/token`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        hint: 'ts_ext_on_behalf_of',
        login_id: c.email,
        idp_origin: 'ecom',
        channel_id: parameters.siteId,
      }),
    },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; customer_id: string };
}

test('helpers.loginGuestUserPrivate gets a guest token; getProducts answers with it', async () => {
  const slas = new sdk.ShopperLogin(config());
  const token = await sdk.helpers.loginGuestUserPrivate({
    slasClient: slas,
    parameters: {},
    credentials: { clientSecret: emu.core.world.integration.clientSecret },
  });
  expect(token.access_token.split('.')).toHaveLength(3);
  expect(token.expires_in).toBe(1800);
  const products = new sdk.ShopperProducts(config(token.access_token));
  const result = await products.getProducts({
    parameters: { ids: ['permit-building-residential', 'nope', 'licence-dog-annual'] },
  });
  expect(result.total).toBe(2);
  expect(result.data.map((p) => p.id)).toEqual([
    'permit-building-residential',
    'licence-dog-annual',
  ]);
  expect(result.data[0]).toMatchObject({
    name: 'Residential Building Permit',
    price: 250,
    currency: 'USD',
    type: { item: true },
  });
  const one = await products.getProduct({ parameters: { id: 'licence-dog-annual' } });
  expect(one.price).toBe(25);
});

test('basket → order → customer orders through the SDK', async () => {
  const index = 0;
  const token = await shopperToken(index);
  const c = emu.core.world.citizens[index];
  const customers = new sdk.ShopperCustomers(config(token.access_token));
  const baskets = new sdk.ShopperBaskets(config(token.access_token));
  const orders = new sdk.ShopperOrders(config(token.access_token));

  // A seeded basket may exist: reuse it (one open basket per shopper).
  const existing = await customers.getCustomerBaskets({
    parameters: { customerId: token.customer_id },
  });
  for (const b of existing.baskets ?? [])
    await baskets.deleteBasket({ parameters: { basketId: b.basketId! } });
  const before = await customers.getCustomerOrders({
    parameters: { customerId: token.customer_id, limit: 50 },
  });

  const basket = await baskets.createBasket({ body: {} });
  expect(basket.customerInfo?.customerId).toBe(c.commerceCustomerId);
  const withItems = await baskets.addItemToBasket({
    parameters: { basketId: basket.basketId! },
    body: [
      { productId: 'permit-building-residential', quantity: 1 },
      { productId: 'licence-dog-annual', quantity: 2 },
    ],
  });
  expect(withItems.productSubTotal).toBe(300);
  const address = {
    firstName: c.firstName,
    lastName: c.lastName,
    address1: c.street,
    city: c.city,
    postalCode: c.postalCode,
    stateCode: c.stateCode,
    countryCode: 'US',
  };
  await baskets.updateShippingAddressForShipment({
    parameters: { basketId: basket.basketId!, shipmentId: 'me' },
    body: address,
  });
  await baskets.updateShippingMethodForShipment({
    parameters: { basketId: basket.basketId!, shipmentId: 'me' },
    body: { id: '002' },
  });
  await baskets.updateBillingAddressForBasket({
    parameters: { basketId: basket.basketId! },
    body: address,
  });
  const paid = await baskets.addPaymentInstrumentToBasket({
    parameters: { basketId: basket.basketId! },
    body: {
      paymentMethodId: 'CREDIT_CARD',
      amount: 304.95,
      paymentCard: {
        cardType: 'Visa',
        maskedNumber: '************1111',
        holder: 'A B',
        expirationMonth: 1,
        expirationYear: 2030,
      },
    },
  });
  expect(paid.orderTotal).toBe(304.95);
  expect(paid.shippingTotal).toBe(4.95);
  expect(paid.taxTotal).toBe(0);

  const order = await orders.createOrder({ body: { basketId: basket.basketId! } });
  expect(order).toMatchObject({
    status: 'created',
    paymentStatus: 'not_paid',
    confirmationStatus: 'not_confirmed',
    exportStatus: 'not_exported',
    shippingStatus: 'not_shipped',
    orderTotal: 304.95,
  });
  expect((order as { basketId?: string }).basketId).toBeUndefined();
  const fetched = await orders.getOrder({ parameters: { orderNo: order.orderNo! } });
  expect(fetched.orderNo).toBe(order.orderNo);

  const after = await customers.getCustomerOrders({
    parameters: { customerId: token.customer_id, limit: 50 },
  });
  expect(after.total).toBe(before.total + 1);
  expect(after.data?.[0].orderNo).toBe(order.orderNo);
  const gone = await customers.getCustomerBaskets({
    parameters: { customerId: token.customer_id },
  });
  expect(gone.total).toBe(0);
});

test('payment instruments: the SDK updates one in place and removes another (200 + Basket)', async () => {
  const index = 1;
  const token = await shopperToken(index);
  const customers = new sdk.ShopperCustomers(config(token.access_token));
  const baskets = new sdk.ShopperBaskets(config(token.access_token));
  const existing = await customers.getCustomerBaskets({
    parameters: { customerId: token.customer_id },
  });
  for (const b of existing.baskets ?? [])
    await baskets.deleteBasket({ parameters: { basketId: b.basketId! } });
  const basket = await baskets.createBasket({ body: {} });
  const basketId = basket.basketId!;
  await baskets.addItemToBasket({
    parameters: { basketId },
    body: [{ productId: 'licence-dog-annual', quantity: 1 }],
  });
  const card = {
    cardType: 'Visa',
    maskedNumber: '************1111',
    holder: 'A B',
    expirationMonth: 1,
    expirationYear: 2030,
  };
  await baskets.addPaymentInstrumentToBasket({
    parameters: { basketId },
    body: { paymentMethodId: 'CREDIT_CARD', amount: 10, paymentCard: card },
  });
  const two = await baskets.addPaymentInstrumentToBasket({
    parameters: { basketId },
    body: { paymentMethodId: 'CREDIT_CARD', amount: 15, paymentCard: card },
  });
  const [first, second] = two.paymentInstruments!;
  const updated = await baskets.updatePaymentInstrumentInBasket({
    parameters: { basketId, paymentInstrumentId: first.paymentInstrumentId! },
    body: { paymentMethodId: 'CREDIT_CARD', amount: 25, paymentCard: { ...card, holder: 'C D' } },
  });
  expect(updated.basketId).toBe(basketId);
  expect(updated.paymentInstruments!.map((p) => [p.paymentInstrumentId, p.amount])).toEqual([
    [first.paymentInstrumentId, 25],
    [second.paymentInstrumentId, 15],
  ]);
  expect(updated.paymentInstruments![0].paymentCard).toMatchObject({ holder: 'C D' });
  const removed = await baskets.removePaymentInstrumentFromBasket({
    parameters: { basketId, paymentInstrumentId: second.paymentInstrumentId! },
  });
  expect(removed.paymentInstruments!.map((p) => p.paymentInstrumentId)).toEqual([
    first.paymentInstrumentId,
  ]);
  // Gone now: a problem+json 404 (returned as the body, throwOnBadResponse being false).
  const again = (await baskets.removePaymentInstrumentFromBasket({
    parameters: { basketId, paymentInstrumentId: second.paymentInstrumentId! },
  })) as unknown as { type: string };
  expect(again.type).toMatch(/\/errors\/[a-z-]+-not-found$/);
});

test('problem+json errors surface as ResponseError with the status', async () => {
  // Another shopper than the tests above: a second TSOB login within 3 s would answer 409.
  const token = await shopperToken(2);
  const products = new sdk.ShopperProducts(config(token.access_token, true));
  let caught: unknown;
  try {
    await products.getProduct({ parameters: { id: 'does-not-exist' } });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(sdk.ResponseError);
  const response = (caught as InstanceType<typeof sdk.ResponseError>).response;
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(((await response.json()) as { type: string }).type).toMatch(/\/product-not-found$/);

  const orders = new sdk.ShopperOrders(config(token.access_token, true));
  await expect(orders.getOrder({ parameters: { orderNo: '99999999' } })).rejects.toMatchObject({
    response: { status: 404 },
  });
});

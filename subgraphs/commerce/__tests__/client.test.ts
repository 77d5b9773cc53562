// Every ScapiClient method against the emulator, plus token caching and re-auth on 401.
import { ScapiClient } from '../client.js';
import { SlasTokenCache } from '../token-cache.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { UpstreamError } from '../../../lib/errors.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(20);
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const newClient = (tokens = new SlasTokenCache(100)) =>
  new ScapiClient(h.config, tokens, { cost: new UpstreamCost() });

test('getProducts uses one guest token (cached) and drops unknown ids', async () => {
  const client = newClient();
  const products = await client.getProducts(['licence-dog-annual', 'nope', 'fee-parking-annual']);
  expect(products.map((p) => p.id)).toEqual(['licence-dog-annual', 'fee-parking-annual']);
  await client.getProducts(['permit-fence']);
  expect(h.scapiCalls('/oauth2/token')).toBe(1);
  expect(h.scapiCalls('/products')).toBe(2);
  await expect(client.getProducts(Array.from({ length: 25 }, (_, i) => `p${i}`))).rejects.toThrow(
    /24/,
  );
});

test('customer reads with a trusted-system token per login, cached across clients', async () => {
  const tokens = new SlasTokenCache(100);
  const c = h.emu.core.world.citizens[2];
  const client = newClient(tokens);
  const customer = await client.getCustomer(c.email, c.commerceCustomerId);
  expect(customer).toMatchObject({ customerId: c.commerceCustomerId, email: c.email });
  const baskets = await client.getCustomerBaskets(c.email, c.commerceCustomerId);
  expect(Array.isArray(baskets)).toBe(true);
  const orders = await newClient(tokens).getCustomerOrders(c.email, c.commerceCustomerId, 80, 0);
  expect(orders.limit).toBeLessThanOrEqual(50);
  expect(h.scapiCalls('/trusted-system/token')).toBe(1);
  expect(h.emu.log.list({ family: 'scapi', path: '/orders' })[0].query).toContain('limit=50');
});

test('basket and order methods, getOrder 404 → null', async () => {
  const c = h.emu.core.world.citizens[3];
  const client = newClient();
  for (const b of await client.getCustomerBaskets(c.email, c.commerceCustomerId)) {
    // Start from a fresh basket: remove the seeded one's items.
    for (const it of b.productItems ?? [])
      await client.removeItemFromBasket(c.email, b.basketId, it.itemId);
  }
  const existing = (await client.getCustomerBaskets(c.email, c.commerceCustomerId))[0];
  const basket = existing ?? (await client.createBasket(c.email));
  let b = await client.addItemToBasket(c.email, basket.basketId, [
    { productId: 'permit-deck', quantity: 1 },
  ]);
  const itemId = b.productItems![0].itemId;
  b = await client.updateItemInBasket(c.email, basket.basketId, itemId, 2);
  expect(b.productItems![0].quantity).toBe(2);
  b = await client.updateBasket(c.email, basket.basketId, { c_idempotencyKey: 'client-test-1' });
  expect(b.c_idempotencyKey).toBe('client-test-1');
  const address = {
    firstName: c.firstName,
    lastName: c.lastName,
    address1: c.street,
    city: c.city,
    postalCode: c.postalCode,
    countryCode: 'US',
  };
  await client.updateShippingAddressForShipment(c.email, basket.basketId, address);
  await client.updateShippingMethodForShipment(c.email, basket.basketId, '001');
  b = await client.updateBillingAddressForBasket(c.email, basket.basketId, address);
  expect(b.orderTotal).toBe(120);
  await client.addPaymentInstrumentToBasket(c.email, basket.basketId, {
    paymentMethodId: 'CREDIT_CARD',
    amount: 120,
    paymentCard: {
      cardType: 'Visa',
      holder: 'X',
      maskedNumber: '************1111',
      expirationMonth: 1,
      expirationYear: 2030,
    },
  });
  const order = await client.createOrder(c.email, basket.basketId);
  expect(order).toMatchObject({
    status: 'created',
    orderTotal: 120,
    c_idempotencyKey: 'client-test-1',
  });
  expect((await client.getOrder(c.email, order.orderNo))?.orderNo).toBe(order.orderNo);
  expect(await client.getOrder(c.email, '99999999')).toBeNull();

  const next = await client.createBasket(c.email);
  const removed = await client.addItemToBasket(c.email, next.basketId, [
    { productId: 'permit-deck', quantity: 1 },
  ]);
  const after = await client.removeItemFromBasket(
    c.email,
    next.basketId,
    removed.productItems![0].itemId,
  );
  expect(after.productItems).toEqual([]);
  await expect(client.createBasket(c.email)).rejects.toMatchObject({
    status: 400,
    upstreamCode: 'customer-baskets-quota-exceeded',
  });
});

test('an expired token is refreshed once on 401, then the call succeeds', async () => {
  const c = h.emu.core.world.citizens[4];
  const client = newClient();
  await client.getCustomer(c.email, c.commerceCustomerId);
  h.emu.core.tokens.expireAll('slas-access');
  await client.getCustomer(c.email, c.commerceCustomerId);
  expect(h.scapiCalls('/trusted-system/token')).toBe(2);
  expect(h.emu.log.list({ family: 'scapi', path: '/customers/' }).map((x) => x.status)).toEqual([
    200, 401, 200,
  ]);
});

test('unknown shopper login → UpstreamError', async () => {
  await expect(newClient().getCustomer('nobody@example.org', 'abc')).rejects.toBeInstanceOf(
    UpstreamError,
  );
});

// Every ScapiClient method against the emulator, plus token caching, renewal by refresh token
// and SLAS's TSOB window (409 for a second login of one login_id within 3 s).
import { ScapiClient, ShopperNotFoundError } from '../client.js';
import { SKEW_MS, SlasTokenCache } from '../token-cache.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

let h: SubgraphHarness<'commerce'>;
beforeAll(async () => {
  h = await startSubgraphHarness('commerce', { citizens: 20 });
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
  expect(h.calls('scapi', { path: '/oauth2/token' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/products' }).length).toBe(2);
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
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(1);
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

/** SLAS calls as the client sent them: path, grant_type and the form fields. */
function recordingFetch() {
  const sent: Array<{ path: string; form: Record<string, string> }> = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname.includes('/shopper/auth/') && typeof init?.body === 'string')
      sent.push({
        path: url.pathname.replace(/^.*\/oauth2/, '/oauth2'),
        form: Object.fromEntries(new URLSearchParams(init.body)),
      });
    return fetch(input, init);
  };
  return { sent, fetchImpl };
}

test('an access token refused with 401 is renewed by its refresh token, not a second TSOB login', async () => {
  const c = h.emu.core.world.citizens[4];
  const { sent, fetchImpl } = recordingFetch();
  const client = new ScapiClient(h.config, new SlasTokenCache(100), {
    cost: new UpstreamCost(),
    fetch: fetchImpl,
  });
  await client.getCustomer(c.email, c.commerceCustomerId);
  h.emu.core.tokens.expireAll('slas-access');
  await client.getCustomer(c.email, c.commerceCustomerId);
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(1);
  expect(h.emu.log.list({ family: 'scapi', path: '/oauth2/token' }).map((x) => x.status)).toEqual([
    200,
  ]);
  expect(h.emu.log.list({ family: 'scapi', path: '/customers/' }).map((x) => x.status)).toEqual([
    200, 401, 200,
  ]);
  expect(sent.map((x) => [x.path, x.form.grant_type])).toEqual([
    ['/oauth2/trusted-system/token', 'client_credentials'],
    ['/oauth2/token', 'refresh_token'],
  ]);
  expect(sent[1].form.refresh_token).toBeTruthy();
});

test('a token about to expire is renewed by refresh token before the call; usid kept', async () => {
  const c = h.emu.core.world.citizens[5];
  const { sent, fetchImpl } = recordingFetch();
  // The subgraph's clock (the token cache's), moved 30 minutes on: SLAS's access token lasts 30.
  let now = Date.now();
  const client = new ScapiClient(h.config, new SlasTokenCache(100, () => now), {
    cost: new UpstreamCost(),
    fetch: fetchImpl,
  });
  await client.getCustomerBaskets(c.email, c.commerceCustomerId);
  now += 30 * 60_000;
  await client.getCustomerBaskets(c.email, c.commerceCustomerId);
  expect(sent.map((x) => [x.path, x.form.grant_type])).toEqual([
    ['/oauth2/trusted-system/token', 'client_credentials'],
    ['/oauth2/token', 'refresh_token'],
  ]);
  // No 401 on the way: the renewal came first.
  expect(h.emu.log.list({ family: 'scapi', path: '/baskets' }).map((x) => x.status)).toEqual([
    200, 200,
  ]);
});

test('concurrent calls for one login share one TSOB login, and after a 401 one refresh', async () => {
  const c = h.emu.core.world.citizens[6];
  const client = newClient();
  await Promise.all(
    Array.from({ length: 10 }, () => client.getCustomer(c.email, c.commerceCustomerId)),
  );
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(1);
  h.emu.core.tokens.expireAll('slas-access');
  await Promise.all(
    Array.from({ length: 5 }, () => client.getCustomer(c.email, c.commerceCustomerId)),
  );
  expect(h.calls('scapi', { path: '/trusted-system/token' }).length).toBe(1);
  expect(h.calls('scapi', { path: '/oauth2/token' }).length).toBe(1);
});

test('a refused refresh token means a new TSOB login with the same usid, after the 3 s window', async () => {
  const c = h.emu.core.world.citizens[7];
  const { sent, fetchImpl } = recordingFetch();
  const client = new ScapiClient(h.config, new SlasTokenCache(100), {
    cost: new UpstreamCost(),
    fetch: fetchImpl,
  });
  const started = Date.now();
  await client.getCustomer(c.email, c.commerceCustomerId);
  h.emu.core.tokens.expireAll('slas-access', 'slas-refresh');
  await client.getCustomer(c.email, c.commerceCustomerId);
  expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
  expect(
    h.emu.log
      .list({ family: 'scapi', path: '/oauth2/' })
      .map((x) => [x.path.replace(/^.*\/oauth2/, ''), x.status]),
  ).toEqual([
    ['/trusted-system/token', 200],
    ['/token', 400],
    ['/trusted-system/token', 200],
  ]);
  const logins = sent.filter((x) => x.path === '/oauth2/trusted-system/token');
  expect(logins[0].form.usid).toBeUndefined();
  expect(logins[1].form.usid).toMatch(/^[0-9a-f-]{36}$/);
}, 10_000);

test('a 409 from SLAS (another replica logged the shopper in) waits the window and logs in once more', async () => {
  const c = h.emu.core.world.citizens[8];
  const replicaA = newClient();
  const replicaB = newClient();
  const [a, b] = await Promise.all([
    replicaA.getCustomer(c.email, c.commerceCustomerId),
    replicaB.getCustomer(c.email, c.commerceCustomerId),
  ]);
  expect(a.customerId).toBe(c.commerceCustomerId);
  expect(b.customerId).toBe(c.commerceCustomerId);
  expect(
    h.emu.log.list({ family: 'scapi', path: '/trusted-system/token' }).map((x) => x.status),
  ).toEqual([200, 409, 200]);
}, 10_000);

test('the token cache decides expiry and the TSOB window on its injected clock', async () => {
  let now = 1_000_000;
  const cache = new SlasTokenCache(10, () => now);
  let fetched = 0;
  const fetchToken = async () => ({
    accessToken: `t${++fetched}`,
    customerId: 'c',
    expiresAt: now + 120_000,
  });
  expect((await cache.get('k', fetchToken)).accessToken).toBe('t1');
  now += 120_000 - SKEW_MS - 1; // still more than the skew before expiry: cached
  expect((await cache.get('k', fetchToken)).accessToken).toBe('t1');
  now += 1; // within the skew: renewed
  expect((await cache.get('k', fetchToken)).accessToken).toBe('t2');

  cache.noteLogin('shopper');
  expect(cache.loginWait('shopper', 3_000)).toBe(3_000);
  now += 2_999;
  expect(cache.loginWait('shopper', 3_000)).toBe(1);
  now += 1;
  expect(cache.loginWait('shopper', 3_000)).toBe(0);
  expect(cache.loginWait('someone else', 3_000)).toBe(0);
});

test('unknown shopper login → ShopperNotFoundError (SLAS refuses the trusted-system login)', async () => {
  await expect(newClient().getCustomer('nobody@example.org', 'abc')).rejects.toBeInstanceOf(
    ShopperNotFoundError,
  );
});

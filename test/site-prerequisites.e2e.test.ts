// End to end through the gateway: the site and org data the product assumes
// (docs/real-org.md#4b-site-prerequisites-data-and-settings-the-product-assumes), each taken away from the emulator's org or site, answered as a typed userError — never an
// upstream failure — and what the shopper sees of an order Shopper Orders only created.
import { OBJECTS } from '../emulator/crm/metadata.js';
import { scapiStore } from '../emulator/scapi/store.js';
import { gql, loginAs } from './client.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 20 });
});
afterAll(() => stack.stop());

const ADD = `mutation($p: ID!) { addCartItem(input: { productId: $p, quantity: 1 }) { cart { itemCount } userErrors { code } } }`;
const CHECKOUT = `mutation($k: String!) { checkout(input: { idempotencyKey: $k, payment: { cardType: "Visa", holder: "A B", maskedNumber: "************1111", expirationMonth: 1, expirationYear: 2030 } }) {
  order { orderNo status placed } userErrors { code field } } }`;

const signIn = (i: number) => {
  const c = stack.emulator.core.world.citizens[i];
  return loginAs(stack, c.username, stack.emulator.core.world.citizenPassword);
};

test('a Case Origin value the org deactivated: createCase answers PICKLIST_VALUE_REFUSED', async () => {
  const headers = await signIn(2);
  const web = OBJECTS.get('Case')!
    .byLower.get('origin')!
    .picklist!.values.find((v) => v.value === 'Web')!;
  web.active = false;
  try {
    const res = await gql(
      stack,
      `mutation { createCase(input: { idempotencyKey: "site-prereq-case-01", subject: "Pothole" }) { case { id } userErrors { code field } } }`,
      {},
      headers,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createCase).toEqual({
      case: null,
      userErrors: [{ code: 'PICKLIST_VALUE_REFUSED', field: ['input'] }],
    });
  } finally {
    web.active = true;
  }
});

test('checkout: a payment method the site does not offer, then an order created but not placed, then placed by the site', async () => {
  const headers = await signIn(3);
  const store = scapiStore(stack.emulator.core);
  const add = await gql(stack, ADD, { p: 'licence-dog-annual' }, headers);
  expect(add.body.data.addCartItem.userErrors).toEqual([]);
  store.setPaymentMethods(['GIFT_CERTIFICATE']);
  try {
    const refused = await gql(stack, CHECKOUT, { k: 'site-prereq-pay-01' }, headers);
    expect(refused.body.errors).toBeUndefined();
    expect(refused.body.data.checkout).toEqual({
      order: null,
      userErrors: [{ code: 'PAYMENT_METHOD_REFUSED', field: ['input', 'payment', 'methodId'] }],
    });
  } finally {
    store.setPaymentMethods(['CREDIT_CARD', 'GIFT_CERTIFICATE']);
  }
  // The same cart, now payable: Shopper Orders creates the order; nothing on the site places it.
  const created = await gql(stack, CHECKOUT, { k: 'site-prereq-pay-02' }, headers);
  expect(created.body.data.checkout).toEqual({
    order: { orderNo: expect.any(String), status: 'created', placed: false },
    userErrors: [],
  });
  // A site whose dw.ocapi.shop.order.afterPOST hook places orders.
  await gql(stack, ADD, { p: 'licence-dog-annual' }, headers);
  store.placesOrders = true;
  try {
    const placed = await gql(stack, CHECKOUT, { k: 'site-prereq-pay-03' }, headers);
    expect(placed.body.data.checkout.order).toMatchObject({ status: 'new', placed: true });
  } finally {
    store.placesOrders = false;
  }
});

test('a citizen who registered through Headless Identity has no B2C Commerce customer record: NO_SHOPPER_ACCOUNT', async () => {
  const email = 'site.prereq.registrant@example.net';
  const start = await gql(
    stack,
    `mutation($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code } } }`,
    { i: { firstName: 'Reggie', lastName: 'Strant', email, password: 'Str0ngPass!' } },
  );
  expect(start.body.data.startRegistration.userErrors).toEqual([]);
  const otp = stack.emulator.outbox.latest(email)!.otp;
  const done = await gql(
    stack,
    `mutation($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { session { accessToken } userErrors { code } } }`,
    { i: { identifier: start.body.data.startRegistration.identifier, otp } },
  );
  const token = done.body.data.completeRegistration.session.accessToken as string;
  const headers = { authorization: `Bearer ${token}` };
  stack.emulator.log.reset();
  const res = await gql(stack, ADD, { p: 'licence-dog-annual' }, headers);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.addCartItem).toEqual({
    cart: null,
    userErrors: [{ code: 'NO_SHOPPER_ACCOUNT' }],
  });
  // Answered before any SCAPI call.
  expect(stack.emulator.log.list({ family: 'scapi' })).toEqual([]);
});

// checkout: the citizen's open basket → an order, idempotently.
//
// Racing retries of one request (same shopper, same idempotencyKey) queue on the server's lock, so
// each finds what the one before it did. The request's record (idempotency.ts: key hash, inputs
// hash, cart hash) is written onto the basket (config.customAttributes.checkoutRecord) BEFORE the
// order is created, and SCAPI copies custom attributes onto the order. So a retry that finds the
// key among the customer's recent orders — e.g. the first attempt created the order but its answer
// was lost — gets that order and no second one is created; a retry that finds it on the open basket
// (an attempt that failed half way) carries on where it stopped, reusing or replacing the basket's
// payment instrument instead of adding another. The same key with other inputs, or for another
// cart, is IDEMPOTENCY_KEY_REUSED and changes nothing. While an earlier attempt's outcome is
// unknown (a write timed out after it was sent; lib/keyed-lock.ts), a retry only looks for the
// order: found, it answers; not yet, IDEMPOTENCY_KEY_IN_USE.
import { checkIdempotencyKey } from '../../../lib/graphql/index.js';
import { reconcilable, type Attempt } from '../../../lib/keyed-lock.js';
import type { AddressInput, CheckoutInput } from '../__generated__/resolvers-types.js';
import { actingShopper } from '../access.js';
import { MAX_ORDERS_PAGE, type PaymentInstrumentRequest } from '../client.js';
import type { Context } from '../context.js';
import {
  cartDigest,
  digest,
  formatCheckoutRecord,
  keyHash,
  lockKey,
  parseCheckoutRecord,
  type CheckoutRecord,
} from '../idempotency.js';
import type { ShopperKey } from '../loaders.js';
import type { OrderModel } from '../mappers.js';
import { currentBasket, remember } from '../open-basket.js';
import { scapiRejection } from '../scapi-rejection.js';
import type { ScapiAddress, ScapiBasket, ScapiPaymentInstrument } from '../upstream-types.js';
import { UserErrors, type UserError } from '../user-errors.js';

/** The schema's CheckoutPayload, with the order as its model. */
type CheckoutPayload = { order: OrderModel | null; userErrors: UserError[] };

/** The order carrying this key among the customer's most recent orders (one page, newest first). */
async function orderWithKey(ctx: Context, who: ShopperKey, key: string, hash: string) {
  const attribute = ctx.config.customAttributes.checkoutRecord;
  const page = await ctx.scapi.getCustomerOrders(who.login, who.customerId, MAX_ORDERS_PAGE, 0);
  for (const o of page.data ?? []) {
    const record = parseCheckoutRecord(o[attribute]);
    if (record?.keyHash === hash) return { order: o, record };
    // Orders placed before records were hashed carry the raw key and no fingerprint.
    if (o[attribute] === key) return { order: o, record: null };
  }
  return null;
}

async function addressFor(
  ctx: Context,
  who: ShopperKey,
  input: AddressInput | null | undefined,
): Promise<ScapiAddress | null> {
  if (input) return { ...input, stateCode: input.stateCode ?? undefined };
  const profile = await ctx.scapi.getCustomer(who.login, who.customerId);
  const a = profile.addresses?.find((x) => x.preferred) ?? profile.addresses?.[0];
  if (!a) return null;
  const { firstName, lastName, address1, city, postalCode, stateCode, countryCode, phone } = a;
  return { firstName, lastName, address1, city, postalCode, stateCode, countryCode, phone };
}

/**
 * SCAPI's OrderPaymentCardRequest.maskedNumber: `^[0-9 -]{0,7}\D{6,15}\d{0,4}$`, at most 25
 * characters (commerce-sdk-isomorphic apis/shopper-baskets-oas-1.11.0, e.g. '*********4422').
 */
const MASKED_NUMBER = /^[0-9 -]{0,7}\D{6,15}\d{0,4}$/;

/**
 * The card number as SCAPI takes it: a conforming masked number as given; anything else with at
 * least 4 digits (e.g. a full card number) as `************` and its last 4 digits, so no more
 * than those ever leaves this service; null when there are no 4 digits to keep.
 */
export function maskedCardNumber(value: string): string | null {
  if (value.length <= 25 && MASKED_NUMBER.test(value)) return value;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 4 ? `************${digits.slice(-4)}` : null;
}

/**
 * The request's inputs in a fixed shape (what a retry must repeat exactly). A request naming no
 * payment method counts as naming the configured one (SCAPI_PAYMENT_METHOD_ID; '' when chosen
 * from the basket's applicable methods).
 */
function inputsDigest(input: CheckoutInput, maskedNumber: string, configuredMethod: string) {
  const p = input.payment;
  const a = input.billingAddress;
  return digest([
    [p.methodId ?? configuredMethod, p.cardType, p.holder, maskedNumber],
    [p.expirationMonth, p.expirationYear],
    a ? [a.firstName, a.lastName, a.address1, a.city, a.postalCode, a.stateCode ?? null] : null,
    a ? a.countryCode : null,
  ]);
}

function paymentFor(
  input: CheckoutInput,
  methodId: string,
  maskedNumber: string,
  amount: number,
): PaymentInstrumentRequest {
  const p = input.payment;
  return {
    paymentMethodId: methodId,
    amount,
    paymentCard: {
      cardType: p.cardType,
      holder: p.holder,
      maskedNumber,
      expirationMonth: p.expirationMonth,
      expirationYear: p.expirationYear,
    },
  };
}

const samePayment = (have: ScapiPaymentInstrument, want: PaymentInstrumentRequest) =>
  have.paymentMethodId === want.paymentMethodId &&
  have.amount === want.amount &&
  have.paymentCard?.cardType === want.paymentCard.cardType &&
  have.paymentCard?.holder === want.paymentCard.holder &&
  have.paymentCard?.maskedNumber === want.paymentCard.maskedNumber &&
  have.paymentCard?.expirationMonth === want.paymentCard.expirationMonth &&
  have.paymentCard?.expirationYear === want.paymentCard.expirationYear;

/**
 * Exactly one payment instrument for the basket's total: the one already there when it matches
 * (an earlier attempt added it), else that one updated, extras removed, or a new one.
 */
async function payWithOneInstrument(
  ctx: Context,
  who: ShopperKey,
  basket: ScapiBasket,
  want: PaymentInstrumentRequest,
): Promise<void> {
  const [first, ...extra] = basket.paymentInstruments ?? [];
  const id = basket.basketId;
  for (const pi of extra)
    await ctx.scapi.removePaymentInstrumentFromBasket(who.login, id, pi.paymentInstrumentId);
  if (!first) await ctx.scapi.addPaymentInstrumentToBasket(who.login, id, want);
  else if (!samePayment(first, want))
    await ctx.scapi.updatePaymentInstrumentInBasket(who.login, id, first.paymentInstrumentId, want);
}

/**
 * Sets the shipment's shipping method: SCAPI_SHIPPING_METHOD_ID when configured, else the
 * shipment's default applicable method (getShippingMethodsForShipment — asked after the address
 * is set, since applicability depends on it). Shipping methods are site data. Nothing is written
 * when the shipment already has it. A method the site refuses (or none applicable) is the
 * request's userError, not an upstream failure. Returns that userError, or null.
 * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getShippingMethodsForShipment
 */
async function chooseShippingMethod(
  ctx: Context,
  who: ShopperKey,
  basket: ScapiBasket,
): Promise<UserError | null> {
  let methodId = ctx.config.shippingMethodId;
  if (!methodId) {
    const result = await ctx.scapi.getShippingMethodsForShipment(who.login, basket.basketId);
    const applicable = result.applicableShippingMethods ?? [];
    methodId =
      result.defaultShippingMethodId &&
      applicable.some((m) => m.id === result.defaultShippingMethodId)
        ? result.defaultShippingMethodId
        : applicable[0]?.id;
    if (!methodId) return UserErrors.shippingMethodRefused();
  }
  if (basket.shipments?.[0]?.shippingMethod?.id === methodId) return null;
  try {
    await ctx.scapi.updateShippingMethodForShipment(who.login, basket.basketId, methodId);
    return null;
  } catch (err) {
    const code = scapiRejection(err);
    if (code && code !== 'basket-not-found') return UserErrors.shippingMethodRefused();
    throw err;
  }
}

/**
 * The payment method of the card payment: the request's, else SCAPI_PAYMENT_METHOD_ID, else the
 * basket's first applicable method that takes the card's type (or any card), from
 * getPaymentMethodsForBasket. Payment methods are site data (Business Manager → Merchant Tools →
 * Ordering → Payment Methods). Null when the basket has no method for a card.
 * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getPaymentMethodsForBasket
 */
async function choosePaymentMethod(
  ctx: Context,
  who: ShopperKey,
  basket: ScapiBasket,
  input: CheckoutInput,
): Promise<string | null> {
  const named = input.payment.methodId ?? ctx.config.paymentMethodId;
  if (named) return named;
  // An earlier attempt of this request already chose: keep its method.
  const chosen = basket.paymentInstruments?.[0]?.paymentMethodId;
  const result = await ctx.scapi.getPaymentMethodsForBasket(who.login, basket.basketId);
  const methods = (result.applicablePaymentMethods ?? []).filter((m) => m.cards?.length);
  if (chosen && methods.some((m) => m.id === chosen)) return chosen;
  const type = input.payment.cardType.toLowerCase();
  return (
    methods.find((m) => m.cards!.some((c) => c.cardType.toLowerCase() === type))?.id ??
    methods[0]?.id ??
    null
  );
}

export async function checkout(ctx: Context, input: CheckoutInput): Promise<CheckoutPayload> {
  const who = actingShopper(ctx.principal);
  if (!who) return { order: null, userErrors: [UserErrors.forbidden()] };
  const key = input.idempotencyKey;
  const badKey = checkIdempotencyKey(key);
  if (badKey) return { order: null, userErrors: [badKey] };
  const maskedNumber = maskedCardNumber(input.payment.maskedNumber);
  if (maskedNumber === null)
    return {
      order: null,
      userErrors: [UserErrors.invalidMaskedNumber()],
    };
  return ctx.lock.run(lockKey(who, key), (attempt) =>
    checkoutOnce(ctx, who, key, input, maskedNumber, attempt),
  );
}

async function checkoutOnce(
  ctx: Context,
  who: ShopperKey,
  key: string,
  input: CheckoutInput,
  maskedNumber: string,
  attempt: Attempt,
): Promise<CheckoutPayload> {
  const hash = keyHash(who, key);
  const inputs = inputsDigest(input, maskedNumber, ctx.config.paymentMethodId);
  // Independent reads, in parallel: the open basket and an earlier order with this key.
  const [basket, earlier] = await Promise.all([
    currentBasket(ctx, who),
    orderWithKey(ctx, who, key, hash),
  ]);
  if (earlier) {
    // The order consumed its basket: an open cart with items now is another cart.
    if ((earlier.record && earlier.record.inputs !== inputs) || basket?.productItems?.length)
      return { order: null, userErrors: [UserErrors.idempotencyKeyReused()] };
    return { order: earlier.order, userErrors: [] };
  }
  // An earlier attempt sent a write and got no answer (its order may still be created): no
  // order with the key yet, so nothing is written beside it.
  if (attempt.outcomeUnknown) throw attempt.inUse();
  if (!basket || !basket.productItems?.length)
    return {
      order: null,
      userErrors: [UserErrors.emptyCart()],
    };

  const record: CheckoutRecord = { keyHash: hash, inputs, cart: cartDigest(basket.productItems) };
  const attribute = ctx.config.customAttributes.checkoutRecord;
  const onBasket = parseCheckoutRecord(basket[attribute]);
  if (
    onBasket?.keyHash === hash &&
    (onBasket.inputs !== record.inputs || onBasket.cart !== record.cart)
  )
    return { order: null, userErrors: [UserErrors.idempotencyKeyReused()] };

  const address = await addressFor(ctx, who, input.billingAddress);
  if (!address)
    return {
      order: null,
      userErrors: [UserErrors.missingAddress()],
    };

  // Basket writes run one after another: they change the same basket, and SCAPI recalculates it
  // on each; the last answer carries the total and the instruments the payment must square with.
  // What an earlier attempt of this request already wrote is not written again.
  // They are reconcilable (lib/keyed-lock.ts): a retry re-reads the basket and squares them, so
  // a lost answer here leaves no unknown outcome; only the order's creation can.
  const id = basket.basketId;
  const refused = await reconcilable(async () => {
    if (basket[attribute] !== formatCheckoutRecord(record))
      await ctx.scapi.updateBasket(who.login, id, { [attribute]: formatCheckoutRecord(record) });
    const shipped = await ctx.scapi.updateShippingAddressForShipment(who.login, id, address);
    const refusal = await chooseShippingMethod(ctx, who, shipped);
    if (refusal) return refusal;
    const billed = await ctx.scapi.updateBillingAddressForBasket(who.login, id, address);
    const methodId = await choosePaymentMethod(ctx, who, billed, input);
    if (!methodId) return UserErrors.paymentMethodRefused();
    try {
      await payWithOneInstrument(
        ctx,
        who,
        billed,
        paymentFor(input, methodId, maskedNumber, billed.orderTotal ?? 0),
      );
    } catch (err) {
      // The site does not offer the method (400 invalid-payment-method-id, the spec's
      // InvalidPaymentMethodIdException): the request's userError, not an upstream failure.
      const code = scapiRejection(err);
      if (code && code !== 'basket-not-found') return UserErrors.paymentMethodRefused();
      throw err;
    }
    return undefined;
  });
  if (refused) return { order: null, userErrors: [refused] };
  try {
    const order = await ctx.scapi.createOrder(who.login, id);
    remember(ctx, who, null);
    return { order, userErrors: [] };
  } catch (err) {
    const code = scapiRejection(err);
    if (code && code !== 'basket-not-found')
      return {
        order: null,
        userErrors: [UserErrors.checkoutRejected()],
      };
    throw err;
  }
}

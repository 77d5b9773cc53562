// checkout: the citizen's open basket → an order, idempotently.
//
// The client's idempotencyKey is written onto the basket (c_idempotencyKey) BEFORE the order is
// created, and SCAPI copies custom attributes onto the order. So when a retry finds the key among
// the customer's recent orders — e.g. the first attempt created the order but its answer was
// lost — that order is returned and no second one is created.
import type { ScapiAddress } from './scapi-types.js';
import type { Context } from './context.js';
import type { ShopperKey } from './loaders.js';
import { actingShopper } from './access.js';
import { MAX_ORDERS_PAGE } from './client.js';
import { currentBasket, remember } from './mutations.js';
import type { AddressInput, MutationResolvers } from './__generated__/resolvers-types.js';
import { forbidden, scapiRejection, userError } from './user-errors.js';

const KEY_ATTRIBUTE = 'c_idempotencyKey';
/** The site's default shipping method (digital delivery for permits and licences). */
const SHIPPING_METHOD_ID = '001';

/** The order carrying this key among the customer's most recent orders (one page, newest first). */
async function orderWithKey(ctx: Context, who: ShopperKey, key: string) {
  const page = await ctx.scapi.getCustomerOrders(who.login, who.customerId, MAX_ORDERS_PAGE, 0);
  return (page.data ?? []).find((o) => o[KEY_ATTRIBUTE] === key) ?? null;
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

export const checkout: NonNullable<MutationResolvers['checkout']> = async (
  _root,
  { input },
  ctx,
) => {
  const who = actingShopper(ctx.principal);
  if (!who) return { order: null, userErrors: [forbidden()] };
  const key = input.idempotencyKey;
  if (key.length < 8 || key.length > 80)
    return {
      order: null,
      userErrors: [
        userError('INVALID_IDEMPOTENCY_KEY', 'idempotencyKey must have 8 to 80 characters.', [
          'input',
          'idempotencyKey',
        ]),
      ],
    };

  // Independent reads, in parallel: the open basket and an earlier order with this key.
  const [basket, earlier] = await Promise.all([
    currentBasket(ctx, who),
    orderWithKey(ctx, who, key),
  ]);
  if (earlier) return { order: earlier, userErrors: [] };
  if (!basket || !basket.productItems?.length)
    return { order: null, userErrors: [userError('EMPTY_CART', 'The cart is empty.')] };

  const address = await addressFor(ctx, who, input.billingAddress);
  if (!address)
    return {
      order: null,
      userErrors: [
        userError('MISSING_ADDRESS', 'A billing address is required.', ['input', 'billingAddress']),
      ],
    };

  // Basket writes run one after another: they change the same basket, and SCAPI recalculates it
  // on each; the last answer carries the total the payment instrument must cover.
  const id = basket.basketId;
  await ctx.scapi.updateBasket(who.login, id, { [KEY_ATTRIBUTE]: key });
  await ctx.scapi.updateShippingAddressForShipment(who.login, id, address);
  await ctx.scapi.updateShippingMethodForShipment(who.login, id, SHIPPING_METHOD_ID);
  const billed = await ctx.scapi.updateBillingAddressForBasket(who.login, id, address);
  const p = input.payment;
  await ctx.scapi.addPaymentInstrumentToBasket(who.login, id, {
    paymentMethodId: p.methodId ?? 'CREDIT_CARD',
    amount: billed.orderTotal ?? 0,
    paymentCard: {
      cardType: p.cardType,
      holder: p.holder,
      maskedNumber: p.maskedNumber,
      expirationMonth: p.expirationMonth,
      expirationYear: p.expirationYear,
    },
  });
  try {
    const order = await ctx.scapi.createOrder(who.login, id);
    remember(ctx, who, null);
    return { order, userErrors: [] };
  } catch (err) {
    const code = scapiRejection(err);
    if (code && code !== 'basket-not-found')
      return {
        order: null,
        userErrors: [userError('CHECKOUT_REJECTED', 'The order could not be placed.')],
      };
    throw err;
  }
};

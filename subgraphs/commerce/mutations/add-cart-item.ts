// addCartItem: a product into the signed-in citizen's open basket, which it creates when there
// is none. With an idempotencyKey, idempotent per (shopper, key): the request's record
// (idempotency.ts) is written on the product item atomically with the add, so a retry that
// finds its record on a line is answered with the basket as it is and adds nothing; the same
// key on another product or with another quantity is IDEMPOTENCY_KEY_REUSED. While an earlier
// attempt's outcome is unknown (its add timed out after it was sent; lib/keyed-lock.ts), a retry
// only looks for its record: found, it answers; not yet, IDEMPOTENCY_KEY_IN_USE.
import { checkIdempotencyKey } from '../../../lib/graphql/index.js';
import { reconcilable, type Attempt } from '../../../lib/keyed-lock.js';
import type { AddCartItemInput } from '../__generated__/resolvers-types.js';
import { actingShopper } from '../access.js';
import { MAX_QUANTITY, validQuantity } from '../cart-quantity.js';
import type { Context } from '../context.js';
import { keyHash, lineRecords, lockKey, withLineRecord, type LineRecord } from '../idempotency.js';
import { scapiId } from '../ids.js';
import type { ShopperKey } from '../loaders.js';
import { currentBasket, remember, type CartPayload } from '../open-basket.js';
import { scapiRejection } from '../scapi-rejection.js';
import { UserErrors } from '../user-errors.js';

export async function addCartItem(ctx: Context, input: AddCartItemInput): Promise<CartPayload> {
  const productId = scapiId('productId', input.productId);
  const who = actingShopper(ctx.principal);
  if (!who) return { cart: null, userErrors: [UserErrors.forbidden()] };
  const quantity = input.quantity ?? 1;
  if (!validQuantity(quantity, 1))
    return { cart: null, userErrors: [UserErrors.invalidQuantity(1, MAX_QUANTITY)] };
  const key = input.idempotencyKey ?? undefined;
  if (key === undefined) return addOnce(ctx, who, productId, quantity, null);
  const badKey = checkIdempotencyKey(key);
  if (badKey) return { cart: null, userErrors: [badKey] };
  // Racing retries of this request queue here, so each finds what the one before it wrote.
  return ctx.lock.run(lockKey(who, key), (attempt) =>
    addOnce(ctx, who, productId, quantity, { keyHash: keyHash(who, key), quantity }, attempt),
  );
}

async function addOnce(
  ctx: Context,
  who: ShopperKey,
  productId: string,
  quantity: number,
  record: LineRecord | null,
  attempt?: Attempt,
): Promise<CartPayload> {
  const attribute = ctx.config.customAttributes.lineRecords;
  let basket = await currentBasket(ctx, who);
  if (record) {
    // Has this key added to a line already (an earlier attempt whose answer was lost)?
    for (const it of basket?.productItems ?? []) {
      const earlier = lineRecords(it[attribute]).find((r) => r.keyHash === record.keyHash);
      if (!earlier) continue;
      if (it.productId === productId && earlier.quantity === record.quantity)
        return { cart: basket, userErrors: [] };
      return { cart: basket, userErrors: [UserErrors.idempotencyKeyReused()] };
    }
    // An earlier attempt sent its add and got no answer: SCAPI may still apply it, and nothing
    // in SCAPI refuses a second add. Not on a line yet: IDEMPOTENCY_KEY_IN_USE, no write.
    if (attempt?.outcomeUnknown) throw attempt.inUse();
  }
  if (!basket) {
    try {
      // One open basket per shopper: a retry finds the one a lost answer created (reconcilable).
      basket = await reconcilable(() => ctx.scapi.createBasket(who.login));
    } catch (err) {
      // Another request created it meanwhile (one open basket per shopper): use that one.
      if (scapiRejection(err) !== 'customer-baskets-quota-exceeded') throw err;
      ctx.loaders.cartByCustomer.clear(who);
      basket = await currentBasket(ctx, who);
      if (!basket) throw err;
    }
  }
  // The record travels as a custom attribute of the product item, written atomically with the
  // add; on a line that already exists the earlier requests' records are kept beside it.
  const line = basket.productItems?.find((it) => it.productId === productId);
  const item = record
    ? { productId, quantity, [attribute]: withLineRecord(line?.[attribute], record) }
    : { productId, quantity };
  try {
    const updated = await ctx.scapi.addItemToBasket(who.login, basket.basketId, [item]);
    return { cart: remember(ctx, who, updated), userErrors: [] };
  } catch (err) {
    const code = scapiRejection(err);
    if (code === 'product-not-found' || code === 'product-item-not-available')
      return { cart: basket, userErrors: [UserErrors.productNotAvailable(productId)] };
    if (code) return { cart: basket, userErrors: [UserErrors.itemNotAdded()] };
    throw err;
  }
}

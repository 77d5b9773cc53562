// Cart mutations for the signed-in citizen: add, update (0 removes), remove. The cart is the
// shopper's one open basket; addCartItem creates it when there is none.
import type { Context } from './context.js';
import type { ShopperKey } from './loaders.js';
import { actingShopper } from './access.js';
import type { CartModel } from './mappers.js';
import type { MutationResolvers } from './__generated__/resolvers-types.js';
import { scapiId } from './ids.js';
import { keyHash, lineRecords, lockKey, withLineRecord, type LineRecord } from './idempotency.js';
import { scapiRejection } from './scapi-rejection.js';
import { UserErrors } from './user-errors.js';
import { checkIdempotencyKey, userError } from '../../lib/graphql/index.js';

export const MAX_QUANTITY = 999;

const validQuantity = (q: number, min: number) =>
  Number.isInteger(q) && q >= min && q <= MAX_QUANTITY;

/** The shopper's open basket (through the loader, so a later Citizen.cart in the same request reuses it). */
export const currentBasket = (ctx: Context, who: ShopperKey) =>
  ctx.loaders.cartByCustomer.load(who);

/** Keeps the loader in step with a mutation's result. */
export function remember(
  ctx: Context,
  who: ShopperKey,
  basket: CartModel | null,
): CartModel | null {
  ctx.loaders.cartByCustomer.clear(who).prime(who, basket);
  return basket;
}

export const addCartItem: NonNullable<MutationResolvers['addCartItem']> = async (
  _root,
  { input },
  ctx,
) => {
  const productId = scapiId('productId', input.productId);
  const who = actingShopper(ctx.principal);
  if (!who) return { cart: null, userErrors: [UserErrors.forbidden()] };
  const quantity = input.quantity ?? 1;
  if (!validQuantity(quantity, 1))
    return {
      cart: null,
      userErrors: [
        userError({
          code: 'INVALID_QUANTITY',
          field: ['input', 'quantity'],
          message: `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`,
        }),
      ],
    };
  const key = input.idempotencyKey ?? undefined;
  if (key === undefined) return addOnce(ctx, who, productId, quantity, null);
  const badKey = checkIdempotencyKey(key);
  if (badKey) return { cart: null, userErrors: [badKey] };
  // Racing retries of this request queue here, so each finds what the one before it wrote.
  return ctx.lock.run(lockKey(who, key), () =>
    addOnce(ctx, who, productId, quantity, { keyHash: keyHash(who, key), quantity }),
  );
};

async function addOnce(
  ctx: Context,
  who: ShopperKey,
  productId: string,
  quantity: number,
  record: LineRecord | null,
) {
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
  }
  if (!basket) {
    try {
      basket = await ctx.scapi.createBasket(who.login);
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
      return {
        cart: basket,
        userErrors: [
          userError({
            code: 'PRODUCT_NOT_FOUND',
            field: ['input', 'productId'],
            message: `Product '${productId}' is not available.`,
          }),
        ],
      };
    if (code)
      return {
        cart: basket,
        userErrors: [
          userError({
            code: 'INVALID_INPUT',
            field: ['input'],
            message: 'The item could not be added.',
          }),
        ],
      };
    throw err;
  }
}

async function withItem(ctx: Context, who: ShopperKey, itemId: string) {
  const basket = await currentBasket(ctx, who);
  const item = basket?.productItems?.find((it) => it.itemId === itemId);
  return { basket, item };
}

const itemNotFound = (itemId: string) =>
  userError({
    code: 'ITEM_NOT_FOUND',
    field: ['input', 'itemId'],
    message: `There is no item '${itemId}' in the cart.`,
  });

export const updateCartItem: NonNullable<MutationResolvers['updateCartItem']> = async (
  _root,
  { input },
  ctx,
) => {
  const itemId = scapiId('itemId', input.itemId);
  const who = actingShopper(ctx.principal);
  if (!who) return { cart: null, userErrors: [UserErrors.forbidden()] };
  if (!validQuantity(input.quantity, 0))
    return {
      cart: null,
      userErrors: [
        userError({
          code: 'INVALID_QUANTITY',
          field: ['input', 'quantity'],
          message: `Quantity must be a whole number from 0 to ${MAX_QUANTITY}.`,
        }),
      ],
    };
  const { basket, item } = await withItem(ctx, who, itemId);
  if (!basket || !item) return { cart: basket ?? null, userErrors: [itemNotFound(itemId)] };
  const updated =
    input.quantity === 0
      ? await ctx.scapi.removeItemFromBasket(who.login, basket.basketId, item.itemId)
      : await ctx.scapi.updateItemInBasket(who.login, basket.basketId, item.itemId, input.quantity);
  return { cart: remember(ctx, who, updated), userErrors: [] };
};

export const removeCartItem: NonNullable<MutationResolvers['removeCartItem']> = async (
  _root,
  { input },
  ctx,
) => {
  const itemId = scapiId('itemId', input.itemId);
  const who = actingShopper(ctx.principal);
  if (!who) return { cart: null, userErrors: [UserErrors.forbidden()] };
  const { basket, item } = await withItem(ctx, who, itemId);
  if (!basket || !item) return { cart: basket ?? null, userErrors: [itemNotFound(itemId)] };
  const updated = await ctx.scapi.removeItemFromBasket(who.login, basket.basketId, item.itemId);
  return { cart: remember(ctx, who, updated), userErrors: [] };
};

// The shopper's one open basket as this request sees it: read through the per-request loader,
// so a later Citizen.cart in the same request reuses it, and kept in step with each write.
import type { Context } from './context.js';
import type { ShopperKey } from './loaders.js';
import type { CartModel } from './mappers.js';
import type { UserError } from './user-errors.js';

/** What every cart mutation answers (the schema's CartPayload, with the cart as its model). */
export type CartPayload = { cart: CartModel | null; userErrors: UserError[] };

/** The shopper's open basket, or null when there is none. */
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

/** The open basket and its line `itemId` (either may be missing). */
export async function basketWithItem(ctx: Context, who: ShopperKey, itemId: string) {
  const basket = await currentBasket(ctx, who);
  const item = basket?.productItems?.find((it) => it.itemId === itemId);
  return { basket, item };
}

// updateCartItem: a new quantity for a line of the signed-in citizen's open basket; 0 removes
// the line (removeCartItem is this with 0).
import type { UpdateCartItemInput } from '../__generated__/resolvers-types.js';
import { actingShopper } from '../access.js';
import { MAX_QUANTITY, validQuantity } from '../cart-quantity.js';
import type { Context } from '../context.js';
import { scapiId } from '../ids.js';
import { basketWithItem, remember, type CartPayload } from '../open-basket.js';
import { UserErrors } from '../user-errors.js';

export const updateCartItem = (ctx: Context, input: UpdateCartItemInput) =>
  setItemQuantity(ctx, input.itemId, input.quantity);

/** The cart line `itemId` set to `quantity` (0 removes it), or ITEM_NOT_FOUND when there is none. */
export async function setItemQuantity(
  ctx: Context,
  rawItemId: string,
  quantity: number,
): Promise<CartPayload> {
  const itemId = scapiId('itemId', rawItemId);
  const who = actingShopper(ctx.principal);
  if (!who) return { cart: null, userErrors: [UserErrors.forbidden()] };
  if (!validQuantity(quantity, 0))
    return { cart: null, userErrors: [UserErrors.invalidQuantity(0, MAX_QUANTITY)] };
  const { basket, item } = await basketWithItem(ctx, who, itemId);
  if (!basket || !item)
    return { cart: basket ?? null, userErrors: [UserErrors.itemNotFound(itemId)] };
  const updated =
    quantity === 0
      ? await ctx.scapi.removeItemFromBasket(who.login, basket.basketId, item.itemId)
      : await ctx.scapi.updateItemInBasket(who.login, basket.basketId, item.itemId, quantity);
  return { cart: remember(ctx, who, updated), userErrors: [] };
}

// removeCartItem: a line out of the signed-in citizen's open basket. The same checks, answers
// and SCAPI call as updateCartItem with quantity 0.
import type { RemoveCartItemInput } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { setItemQuantity } from './update-cart-item.js';

export const removeCartItem = (ctx: Context, input: RemoveCartItemInput) =>
  setItemQuantity(ctx, input.itemId, 0);

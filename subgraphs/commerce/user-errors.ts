// The stable userErrors codes of the Commerce subgraph (frontends switch on `code`), one
// catalogue built with lib/graphql's userError. The idempotency-key answers are lib/graphql's,
// the same code and message in every subgraph.
import { idempotencyKeyReused, userError, type UserError } from '../../lib/graphql/index.js';

export type { UserError };

const err = (code: string, message: string, field: string[] | null = null): UserError =>
  userError({ code, field, message });

export const UserErrors = {
  /** Anyone but a signed-in citizen with a shopper login: agents read carts, never change them. */
  forbidden: () => err('FORBIDDEN', 'Only a signed-in citizen can change their own cart.'),
  invalidQuantity: (min: number, max: number) =>
    err('INVALID_QUANTITY', `Quantity must be a whole number from ${min} to ${max}.`, [
      'input',
      'quantity',
    ]),
  /**
   * A citizen without a B2C Commerce customer record: no shopper login on the principal, or one
   * SLAS does not know (ShopperNotFoundError).
   */
  noShopperAccount: () =>
    err(
      'NO_SHOPPER_ACCOUNT',
      'Your account has no shop customer record yet, so it cannot have a cart or orders.',
    ),
  /** SCAPI knows no such product, or it cannot be sold now. */
  productNotAvailable: (productId: string) =>
    err('PRODUCT_NOT_FOUND', `Product '${productId}' is not available.`, ['input', 'productId']),
  /** SCAPI refused the add for another reason of the request's own. */
  itemNotAdded: () => err('INVALID_INPUT', 'The item could not be added.', ['input']),
  itemNotFound: (itemId: string) =>
    err('ITEM_NOT_FOUND', `There is no item '${itemId}' in the cart.`, ['input', 'itemId']),
  /** No 4 digits to keep of the card number (mutations/checkout.ts, maskedCardNumber). */
  invalidMaskedNumber: () =>
    err(
      'INVALID_INPUT',
      'maskedNumber must be a masked card number with its last 4 digits, e.g. ************1111.',
      ['input', 'payment', 'maskedNumber'],
    ),
  emptyCart: () => err('EMPTY_CART', 'The cart is empty.'),
  /** No billing address given and none on the shopper's profile. */
  missingAddress: () =>
    err('MISSING_ADDRESS', 'A billing address is required.', ['input', 'billingAddress']),
  /** SCAPI refused to turn the basket into an order. */
  checkoutRejected: () => err('CHECKOUT_REJECTED', 'The order could not be placed.'),
  /** The site has no shipping method for the cart, or refused the one configured (SCAPI_SHIPPING_METHOD_ID). */
  shippingMethodRefused: () =>
    err('SHIPPING_METHOD_REFUSED', 'The cart cannot be shipped: no shipping method applies to it.'),
  /**
   * The site does not offer the payment method (the request's methodId, SCAPI_PAYMENT_METHOD_ID),
   * or no applicable method takes a card.
   */
  paymentMethodRefused: () =>
    err('PAYMENT_METHOD_REFUSED', 'The shop does not accept this payment method.', [
      'input',
      'payment',
      'methodId',
    ]),
  idempotencyKeyReused,
};

// How many of a product one cart line may hold.
export const MAX_QUANTITY = 999;

/** A whole number from `min` (1 to add, 0 to update: 0 removes the line) to MAX_QUANTITY. */
export const validQuantity = (q: number, min: number) =>
  Number.isInteger(q) && q >= min && q <= MAX_QUANTITY;

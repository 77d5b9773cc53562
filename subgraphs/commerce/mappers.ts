// Models behind the GraphQL types (codegen mappers): the SCAPI shapes as they arrive, plus the
// few derived values the resolvers need. Money is a decimal string, never a float.
import type { ScapiBasket, ScapiOrder, ScapiProduct, ScapiProductItem } from './upstream-types.js';

/** A Citizen representation: the key and, through @requires, the shopper login. */
export interface CitizenModel {
  commerceCustomerId: string;
  commerceLogin?: string | null;
}

export type ProductModel = ScapiProduct;
/** A productSearch answer: the total and the ids of the page, in the search's order. */
export interface ProductSearchModel {
  totalCount: number;
  productIds: string[];
}
export type CartModel = ScapiBasket;
export type OrderModel = ScapiOrder;
/** A basket or order line with the currency of its container (lines carry none of their own). */
export type LineItemModel = ScapiProductItem & { currency: string };

export interface MoneyModel {
  amount: string;
  currencyCode: string;
}

export function money(
  amount: number | null | undefined,
  currency: string | undefined,
): MoneyModel | null {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return null;
  return { amount: amount.toFixed(2), currencyCode: currency ?? 'USD' };
}

export function lineItems(container: {
  productItems?: ScapiProductItem[];
  currency?: string;
}): LineItemModel[] {
  return (container.productItems ?? []).map((it) => ({
    ...it,
    currency: container.currency ?? 'USD',
  }));
}

/** Order connection cursors (lib/graphql codec): an order's position in the customer's list. */
export const ORDER_CURSOR = 'order';

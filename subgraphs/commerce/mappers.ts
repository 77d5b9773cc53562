// Models behind the GraphQL types (codegen mappers): the SCAPI shapes as they arrive, plus the
// few derived values the resolvers need. Money is a decimal string, never a float.
import type { ScapiBasket, ScapiOrder, ScapiProduct, ScapiProductItem } from './scapi-types.js';

/** A Citizen representation: the key and, through @requires, the shopper login. */
export interface CitizenModel {
  commerceCustomerId: string;
  commerceLogin?: string | null;
}

export type ProductModel = ScapiProduct;
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

/** Opaque cursor of an order connection: its offset in the customer's order list. */
export const orderCursor = (offset: number) => Buffer.from(`order:${offset}`).toString('base64url');

export function parseOrderCursor(cursor: string): number | null {
  const m = /^order:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

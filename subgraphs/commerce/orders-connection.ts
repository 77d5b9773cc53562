// Citizen.orders as a Relay connection over getCustomerOrders (offset paging, ≤ 50 per call):
// a page of up to 100 needs two calls, which run in parallel.
import { graphqlError } from '../../lib/errors.js';
import { MAX_ORDERS_PAGE } from './client.js';
import type { Context } from './context.js';
import type { ShopperKey } from './loaders.js';
import { orderCursor, parseOrderCursor, type OrderModel } from './mappers.js';

export const MAX_FIRST = 100;

export interface OrderConnectionModel {
  edges: Array<{ cursor: string; node: OrderModel }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number;
}

export const emptyOrders = (): OrderConnectionModel => ({
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
});

export async function loadOrders(
  ctx: Context,
  who: ShopperKey,
  first: number,
  after?: string | null,
): Promise<OrderConnectionModel> {
  if (!Number.isInteger(first) || first < 0)
    throw graphqlError('BAD_USER_INPUT', '`first` must be between 0 and 100.');
  const size = Math.min(first, MAX_FIRST);
  let start = 0;
  if (after) {
    const at = parseOrderCursor(after);
    if (at === null) throw graphqlError('BAD_USER_INPUT', '`after` is not a valid cursor.');
    start = at + 1;
  }
  const chunks: Array<{ offset: number; limit: number }> = [];
  for (let o = 0; o < Math.max(size, 1); o += MAX_ORDERS_PAGE)
    chunks.push({ offset: start + o, limit: Math.min(MAX_ORDERS_PAGE, Math.max(size, 1) - o) });
  const pages = await Promise.all(
    chunks.map((c) => ctx.loaders.ordersByCustomer.load({ ...who, ...c })),
  );
  const nodes = pages.flatMap((p) => p.data ?? []).slice(0, size);
  const total = pages[0]?.total ?? 0;
  const edges = nodes.map((node, i) => ({ cursor: orderCursor(start + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: start + nodes.length < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: total,
  };
}

// Citizen.orders as a Relay connection over getCustomerOrders (offset paging, ≤ 50 per call):
// a page of up to 100 needs two calls, which run in parallel. `first`/`after` are checked by
// lib/graphql's parsePage (the same rule as every connection) before this runs.
import { connectionFromSlice, type Connection, type Page } from '../../lib/graphql/index.js';
import { MAX_ORDERS_PAGE } from './client.js';
import type { Context } from './context.js';
import type { ShopperKey } from './loaders.js';
import { ORDER_CURSOR, type OrderModel } from './mappers.js';

export async function loadOrders(
  ctx: Context,
  who: ShopperKey,
  page: Page,
): Promise<Connection<OrderModel>> {
  // first: 0 still reads one order, for totalCount.
  const want = Math.max(page.first, 1);
  const chunks: Array<{ offset: number; limit: number }> = [];
  for (let o = 0; o < want; o += MAX_ORDERS_PAGE)
    chunks.push({ offset: page.offset + o, limit: Math.min(MAX_ORDERS_PAGE, want - o) });
  const pages = await Promise.all(
    chunks.map((c) => ctx.loaders.ordersByCustomer.load({ ...who, ...c })),
  );
  const nodes = pages.flatMap((p) => p.data ?? []).slice(0, page.first);
  return connectionFromSlice(nodes, {
    kind: ORDER_CURSOR,
    offset: page.offset,
    totalCount: pages[0]?.total ?? 0,
  });
}

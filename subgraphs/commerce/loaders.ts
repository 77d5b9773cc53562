// Per-request DataLoaders. Products batch into getProducts (≤ 24 ids, the real limit). Baskets and
// orders have no batch endpoint: the loaders dedupe per customer and run the per-customer calls
// concurrently with a bound (p-limit), never one after another.
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import { MAX_PRODUCT_IDS, type ScapiClient } from './client.js';
import type { ScapiBasket, ScapiOrder, ScapiPage, ScapiProduct } from './upstream-types.js';

export interface ShopperKey {
  customerId: string;
  login: string;
}

export interface OrdersKey extends ShopperKey {
  limit: number;
  offset: number;
}

export interface Loaders {
  productById: DataLoader<string, ScapiProduct | null>;
  cartByCustomer: DataLoader<ShopperKey, ScapiBasket | null, string>;
  ordersByCustomer: DataLoader<OrdersKey, ScapiPage<ScapiOrder>, string>;
}

const shopperCacheKey = (k: ShopperKey) => `${k.customerId}\n${k.login.toLowerCase()}`;

const settle = <T>(p: Promise<T>): Promise<T | Error> =>
  p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));

export function createLoaders(client: ScapiClient, concurrency: number): Loaders {
  const limit = pLimit(Math.max(1, concurrency));
  return {
    productById: new DataLoader(
      async (ids) => {
        const found = new Map((await client.getProducts(ids)).map((p) => [p.id, p]));
        return ids.map((id) => found.get(id) ?? null);
      },
      { maxBatchSize: MAX_PRODUCT_IDS },
    ),
    cartByCustomer: new DataLoader(
      async (keys) =>
        Promise.all(
          keys.map((k) =>
            settle(
              limit(() =>
                client.getCustomerBaskets(k.login, k.customerId).then((b) => b[0] ?? null),
              ),
            ),
          ),
        ),
      // Keyed by customer AND login: a representation whose login is another customer's must not
      // share (or spoil) the answer of an honest one for the same customer id.
      { cacheKeyFn: shopperCacheKey },
    ),
    ordersByCustomer: new DataLoader(
      async (keys) =>
        Promise.all(
          keys.map((k) =>
            settle(limit(() => client.getCustomerOrders(k.login, k.customerId, k.limit, k.offset))),
          ),
        ),
      { cacheKeyFn: (k) => `${shopperCacheKey(k)}\n${k.limit}:${k.offset}` },
    ),
  };
}

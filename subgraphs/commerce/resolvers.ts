// Commerce subgraph resolvers: catalogue (public), Citizen.cart / Citizen.orders (owner or agent),
// Order by orderNo (owner only), and the cart mutations (mutations/<field>.ts).
import { graphqlError } from '../../lib/errors.js';
import { emptyConnection, parsePage } from '../../lib/graphql/connection.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { actingShopper, readableShopper } from './access.js';
import { MAX_PRODUCT_IDS, ShopperMismatchError, ShopperNotFoundError } from './client.js';
import { scapiId } from './ids.js';
import { lineItems, money, ORDER_CURSOR } from './mappers.js';
import { addCartItem } from './mutations/add-cart-item.js';
import { updateCartItem } from './mutations/update-cart-item.js';
import { removeCartItem } from './mutations/remove-cart-item.js';
import { checkout } from './mutations/checkout.js';
import { loadOrders } from './orders-connection.js';
import type { Context } from './context.js';
import { UserErrors } from './user-errors.js';

export const MAX_PRODUCTS = 100;
/** Shopper Search's limit on a lexical query phrase. */
export const MAX_SEARCH_QUERY = 50;

const rethrow = <T>(v: T | Error): T => {
  if (v instanceof Error) throw v;
  return v;
};

/** A representation whose login is another customer's reads as "nothing there". */
const unlessMismatch = async <T>(read: Promise<T>, nothing: T): Promise<T> => {
  try {
    return await read;
  } catch (err) {
    // No customer record in B2C Commerce (a registrant the site never created one for): no cart,
    // no orders.
    if (err instanceof ShopperMismatchError || err instanceof ShopperNotFoundError) return nothing;
    throw err;
  }
};

/**
 * A citizen without a B2C Commerce customer record — no shopper login on the principal (the
 * portal app's commerceCustomerId/commerceLogin attributes are empty), or one SLAS does not know
 * — gets NO_SHOPPER_ACCOUNT from a cart or checkout mutation, never an upstream failure.
 */
async function asShopper<P extends { userErrors: unknown[] }>(
  ctx: Context,
  empty: Omit<P, 'userErrors'>,
  run: () => Promise<P>,
): Promise<P> {
  const noAccount = () => ({ ...empty, userErrors: [UserErrors.noShopperAccount()] }) as P;
  if (ctx.principal.kind === 'citizen' && !actingShopper(ctx.principal)) return noAccount();
  try {
    return await run();
  } catch (err) {
    if (err instanceof ShopperNotFoundError) return noAccount();
    throw err;
  }
}

export const resolvers: Resolvers = {
  Query: {
    product: (_root, { id }, ctx) => ctx.loaders.productById.load(scapiId('productId', id)),
    products: async (_root, { ids }, ctx) => {
      if (ids.length > MAX_PRODUCTS)
        throw graphqlError(
          'BAD_USER_INPUT',
          `At most ${MAX_PRODUCTS} ids may be asked for at once.`,
        );
      // One malformed id refuses the whole list, before any call.
      for (const id of ids) scapiId('productId', id, 'ids');
      return (await ctx.loaders.productById.loadMany(ids)).map(rethrow);
    },
    productSearch: async (_root, { query, first }, ctx) => {
      if (!Number.isInteger(first) || first < 0 || first > MAX_PRODUCT_IDS)
        throw graphqlError('BAD_USER_INPUT', `first must be between 0 and ${MAX_PRODUCT_IDS}.`, {
          field: 'first',
        });
      const q = (query ?? '').trim();
      if (q.length > MAX_SEARCH_QUERY)
        throw graphqlError(
          'BAD_USER_INPUT',
          `query must be at most ${MAX_SEARCH_QUERY} characters.`,
          { field: 'query' },
        );
      // SCAPI's limit is at least 1: for first: 0 the one hit is only counted.
      const found = await ctx.scapi.searchProducts(q, Math.max(1, first));
      return {
        totalCount: found.total,
        productIds: (found.hits ?? []).slice(0, first).map((h) => h.productId),
      };
    },
  },
  ProductSearchResult: {
    totalCount: (r) => r.totalCount,
    // One getProducts call for the page (first ≤ 24); a hit the catalogue no longer has is left out.
    products: async (r, _a, ctx) =>
      (await ctx.loaders.productById.loadMany(r.productIds))
        .map(rethrow)
        .filter((p): p is NonNullable<typeof p> => p !== null),
  },
  Mutation: {
    addCartItem: (_root, { input }, ctx) =>
      asShopper(ctx, { cart: null }, () => addCartItem(ctx, input)),
    updateCartItem: (_root, { input }, ctx) =>
      asShopper(ctx, { cart: null }, () => updateCartItem(ctx, input)),
    removeCartItem: (_root, { input }, ctx) =>
      asShopper(ctx, { cart: null }, () => removeCartItem(ctx, input)),
    checkout: (_root, { input }, ctx) =>
      asShopper(ctx, { order: null }, () => checkout(ctx, input)),
  },
  Citizen: {
    // The representation carries the key and, through @requires, the shopper login.
    __resolveReference: (ref) => ({
      commerceCustomerId: ref.commerceCustomerId,
      commerceLogin: 'commerceLogin' in ref ? ref.commerceLogin : null,
    }),
    cart: (citizen, _args, ctx) => {
      const who = readableShopper(ctx.principal, citizen);
      return who ? unlessMismatch(ctx.loaders.cartByCustomer.load(who), null) : null;
    },
    orders: (citizen, { first, after }, ctx) => {
      // The same `first` rule as every connection (0..100, else BAD_USER_INPUT), checked first.
      const page = parsePage({ first, after }, { kind: ORDER_CURSOR, default: 10 });
      const who = readableShopper(ctx.principal, citizen);
      return who
        ? unlessMismatch(loadOrders(ctx, who, page), emptyConnection())
        : emptyConnection();
    },
  },
  Product: {
    // async: a malformed id rejects its own entity, not the whole _entities list.
    __resolveReference: async (ref, ctx) =>
      ctx.loaders.productById.load(scapiId('productId', ref.id)),
    name: (p) => p.name ?? p.id,
    description: (p) => p.shortDescription ?? null,
    price: (p) => money(p.price, p.currency),
  },
  Cart: {
    id: (b) => b.basketId,
    items: (b) => lineItems(b),
    itemCount: (b) => (b.productItems ?? []).reduce((n, it) => n + Math.round(it.quantity), 0),
    productTotal: (b) => money(b.productTotal, b.currency),
    orderTotal: (b) => money(b.orderTotal, b.currency),
  },
  CartItem: {
    id: (it) => it.itemId,
    product: (it, _args, ctx) => ctx.loaders.productById.load(it.productId),
    quantity: (it) => Math.round(it.quantity),
    price: (it) => money(it.price, it.currency),
  },
  Order: {
    // Only the shopper who placed it can read an order through SCAPI, so only they get it here.
    __resolveReference: async (ref, ctx) => {
      scapiId('orderNo', ref.orderNo);
      const who = actingShopper(ctx.principal);
      if (!who) return null;
      const order = await ctx.scapi.getOrder(who.login, ref.orderNo);
      return order && order.customerInfo?.customerId === who.customerId ? order : null;
    },
    createdAt: (o) => o.creationDate,
    // Orders API order status: created = "created in the system but not yet placed"; placing
    // sets new; failed orders were never placed. Anything else is past placement.
    // https://developer.salesforce.com/docs/commerce/commerce-api/references/orders?meta=updateOrderStatus
    placed: (o) => !!o.status && o.status !== 'created' && o.status !== 'failed',
    paymentStatus: (o) => o.paymentStatus ?? null,
    total: (o) => money(o.orderTotal ?? 0, o.currency)!,
    items: (o) => lineItems(o),
  },
  OrderItem: {
    id: (it) => it.itemId,
    product: (it, _args, ctx) => ctx.loaders.productById.load(it.productId),
    quantity: (it) => Math.round(it.quantity),
    price: (it) => money(it.price, it.currency),
  },
};

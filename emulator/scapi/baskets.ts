// Shopper Baskets v1 (reference §3.5). Every mutation answers 200 with the full Basket; deleting
// the basket answers 204. Only the token's shopper may touch its basket.
import express, { Router, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { SHIPPING_METHODS } from './catalog.js';
import { renderBasket } from './render.js';
import { customAttributes, forbidden, requireShopper, shopperOf } from './shopper-auth.js';
import type { OrderAddress, ScapiStore, StoredBasket } from './store.js';

const validQuantity = (q: unknown): q is number =>
  typeof q === 'number' && Number.isFinite(q) && q >= 0.01 && q <= 999;

export function createBasketsRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(requireShopper(core), express.json());
  const send = (res: Response, b: StoredBasket) => {
    b.lastModified = new Date();
    res.json(renderBasket(b, store.products));
  };

  /** The basket of the path, if it exists and belongs to the caller; otherwise answers and returns undefined. */
  const own = (res: Response, basketId: string): StoredBasket | undefined => {
    const b = store.basket(basketId);
    if (!b) {
      sendProblem(
        res,
        404,
        'basket-not-found',
        'Basket Not Found',
        `No basket with ID '${basketId}' could be found.`,
        { basketId },
      );
      return undefined;
    }
    if (b.customerId !== shopperOf(res).customerId) {
      forbidden(res);
      return undefined;
    }
    return b;
  };

  const badItem = (res: Response, productId: unknown) =>
    sendProblem(
      res,
      400,
      'product-not-found',
      'Product Not Found',
      `No product with ID '${String(productId)}' for site '${core.settings.scapiSiteId}' could be found.`,
      {
        productId,
        siteId: core.settings.scapiSiteId,
      },
    );

  r.post('/baskets', (req, res) => {
    const shopper = shopperOf(res);
    const open = store.openBasketOf(shopper.customerId);
    if (open)
      return sendProblem(
        res,
        400,
        'customer-baskets-quota-exceeded',
        'Customer Baskets Quota Exceeded',
        'You reached the limit of 1 open baskets per customer.',
        {
          basketIds: [open.basketId],
        },
      );
    const b = store.createBasket(shopper.customerId, shopper.guest);
    Object.assign(b.custom, customAttributes(req.body));
    res.json(renderBasket(b, store.products));
  });

  r.get('/baskets/:basketId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (b) res.json(renderBasket(b, store.products));
  });

  r.patch('/baskets/:basketId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    Object.assign(b.custom, customAttributes(req.body));
    send(res, b);
  });

  r.delete('/baskets/:basketId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    store.deleteBasket(b);
    res.status(204).end();
  });

  r.post('/baskets/:basketId/items', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const items = req.body as Array<{ productId?: unknown; quantity?: unknown }>;
    if (!Array.isArray(items) || !items.length)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        'The request body must be a non-empty array of product items.',
      );
    for (const it of items) {
      if (!validQuantity(it?.quantity))
        return sendProblem(
          res,
          400,
          'validation',
          'Validation Error',
          "The value of 'quantity' must be between 0.01 and 999.",
        );
      if (typeof it.productId !== 'string' || !store.products.has(it.productId))
        return badItem(res, it?.productId);
    }
    for (const it of items) {
      // Custom attributes (c_*) travel with the item; on a merge the latest values win.
      const custom = Object.fromEntries(Object.entries(it).filter(([k]) => k.startsWith('c_')));
      const existing = b.items.find((x) => x.productId === it.productId);
      if (existing) {
        existing.quantity = Math.min(999, existing.quantity + (it.quantity as number));
        if (Object.keys(custom).length) existing.custom = { ...existing.custom, ...custom };
      } else
        b.items.push({
          itemId: store.newId('it'),
          productId: it.productId as string,
          quantity: it.quantity as number,
          ...(Object.keys(custom).length ? { custom } : {}),
        });
    }
    send(res, b);
  });

  r.patch('/baskets/:basketId/items/:itemId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const item = b.items.find((x) => x.itemId === req.params.itemId);
    if (!item)
      return sendProblem(
        res,
        404,
        'item-not-found',
        'Item Not Found',
        `No product item with ID '${req.params.itemId}' in the basket.`,
      );
    const q = (req.body as { quantity?: unknown })?.quantity;
    if (q === 0) b.items = b.items.filter((x) => x !== item);
    else if (!validQuantity(q))
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The value of 'quantity' must be between 0.01 and 999.",
      );
    else item.quantity = q;
    send(res, b);
  });

  r.delete('/baskets/:basketId/items/:itemId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    if (!b.items.some((x) => x.itemId === req.params.itemId))
      return sendProblem(
        res,
        404,
        'item-not-found',
        'Item Not Found',
        `No product item with ID '${req.params.itemId}' in the basket.`,
      );
    b.items = b.items.filter((x) => x.itemId !== req.params.itemId);
    send(res, b);
  });

  const address = (body: unknown): OrderAddress | undefined => {
    const a = body as OrderAddress | undefined;
    if (!a || typeof a !== 'object' || !a.lastName || !a.countryCode) return undefined;
    return { ...a, fullName: a.fullName ?? [a.firstName, a.lastName].filter(Boolean).join(' ') };
  };

  r.put('/baskets/:basketId/shipments/:shipmentId/shipping-address', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    if (req.params.shipmentId !== 'me')
      return sendProblem(
        res,
        404,
        'shipment-not-found',
        'Shipment Not Found',
        `No shipment with ID '${req.params.shipmentId}'.`,
      );
    const a = address(req.body);
    if (!a)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "An address needs at least 'lastName' and 'countryCode'.",
      );
    b.shippingAddress = a;
    if (req.query.useAsBilling === 'true') b.billingAddress = { ...a };
    send(res, b);
  });

  r.put('/baskets/:basketId/shipments/:shipmentId/shipping-method', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    if (req.params.shipmentId !== 'me')
      return sendProblem(
        res,
        404,
        'shipment-not-found',
        'Shipment Not Found',
        `No shipment with ID '${req.params.shipmentId}'.`,
      );
    const id = (req.body as { id?: unknown })?.id;
    if (!SHIPPING_METHODS.some((m) => m.id === id))
      return sendProblem(
        res,
        400,
        'invalid-shipping-method',
        'Invalid Shipping Method',
        `The shipping method '${String(id)}' is not applicable.`,
      );
    b.shippingMethodId = id as string;
    send(res, b);
  });

  r.put('/baskets/:basketId/billing-address', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const a = address(req.body);
    if (!a)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "An address needs at least 'lastName' and 'countryCode'.",
      );
    b.billingAddress = a;
    if (req.query.useAsShipping === 'true') b.shippingAddress = { ...a };
    send(res, b);
  });

  r.put('/baskets/:basketId/customer', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const email = (req.body as { email?: unknown })?.email;
    if (typeof email !== 'string' || !email.includes('@'))
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The field 'email' is required.",
      );
    b.email = email;
    send(res, b);
  });

  r.post('/baskets/:basketId/payment-instruments', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const body = req.body as {
      paymentMethodId?: unknown;
      amount?: unknown;
      paymentCard?: Record<string, unknown>;
    };
    if (typeof body?.paymentMethodId !== 'string' || !body.paymentMethodId)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The field 'paymentMethodId' is required.",
      );
    b.payments.push({
      paymentInstrumentId: store.newId('pi'),
      paymentMethodId: body.paymentMethodId,
      amount: typeof body.amount === 'number' ? body.amount : undefined,
      paymentCard: body.paymentCard,
    });
    send(res, b);
  });

  // updatePaymentInstrumentInBasket (PATCH) and removePaymentInstrumentFromBasket (DELETE) on
  // /baskets/{basketId}/payment-instruments/{paymentInstrumentId}: both answer 200 with the full
  // Basket (commerce-sdk-isomorphic 5.6.0 ShopperBaskets: "Updates payment instrument of an
  // existing basket." → Basket; reference §3.1: deleting a basket sub-resource → 200 + Basket).
  // The PATCH body is a BasketPaymentInstrumentRequest; the fields it sends replace the stored ones.
  const payment = (res: Response, b: StoredBasket, id: string) => {
    const p = b.payments.find((x) => x.paymentInstrumentId === id);
    if (!p)
      sendProblem(
        res,
        404,
        'payment-instrument-not-found',
        'Payment Instrument Not Found',
        `No payment instrument with ID '${id}' in the basket.`,
      );
    return p;
  };

  r.patch('/baskets/:basketId/payment-instruments/:paymentInstrumentId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    const p = payment(res, b, req.params.paymentInstrumentId);
    if (!p) return;
    const body = (req.body ?? {}) as {
      paymentMethodId?: unknown;
      amount?: unknown;
      paymentCard?: Record<string, unknown>;
    };
    if (body.paymentMethodId !== undefined) {
      if (typeof body.paymentMethodId !== 'string' || !body.paymentMethodId)
        return sendProblem(
          res,
          400,
          'validation',
          'Validation Error',
          "The field 'paymentMethodId' must be a non-empty string.",
        );
      p.paymentMethodId = body.paymentMethodId;
    }
    if (typeof body.amount === 'number') p.amount = body.amount;
    if (body.paymentCard && typeof body.paymentCard === 'object') p.paymentCard = body.paymentCard;
    send(res, b);
  });

  r.delete('/baskets/:basketId/payment-instruments/:paymentInstrumentId', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    if (!payment(res, b, req.params.paymentInstrumentId)) return;
    b.payments = b.payments.filter((x) => x.paymentInstrumentId !== req.params.paymentInstrumentId);
    send(res, b);
  });

  return r;
}

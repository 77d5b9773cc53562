// Shopper Orders v1 (docs/salesforce/scapi.md#shopper-orders): createOrder consumes the basket;
// getOrder by order number.
import express, { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { renderOrder } from './render.js';
import { customerMismatch, requireShopper, shopperOf } from './shopper-auth.js';
import type { ScapiStore } from './store.js';

export function createOrdersRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(requireShopper(core), express.json());
  const siteId = core.settings.scapiSiteId;

  r.post('/orders', (req, res) => {
    const basketId = (req.body as { basketId?: unknown })?.basketId;
    if (typeof basketId !== 'string' || !basketId)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The field 'basketId' is required.",
      );
    const b = store.basket(basketId);
    if (!b)
      return sendProblem(
        res,
        404,
        'basket-not-found',
        'Basket Not Found',
        `No basket with ID '${basketId}' could be found.`,
        { basketId },
      );
    if (b.customerId !== shopperOf(res).customerId) return customerMismatch(res);
    const missing = !b.items.length
      ? 'The basket has no product items.'
      : !b.shippingAddress
        ? 'The basket has no shipping address.'
        : !b.billingAddress
          ? 'The basket has no billing address.'
          : !b.payments.length
            ? 'The basket has no payment instrument.'
            : undefined;
    if (missing)
      return sendProblem(
        res,
        400,
        'bad-request',
        'Bad Request',
        `The order could not be created: ${missing}`,
        { basketId },
      );
    res.json(renderOrder(store.placeOrder(b), store.products, siteId));
  });

  r.get('/orders/:orderNo', (req, res) => {
    const o = store.order(req.params.orderNo);
    // Another shopper's order is reported as missing, as a real org does for order lookups.
    if (!o || o.basket.customerId !== shopperOf(res).customerId)
      return sendProblem(
        res,
        404,
        'order-not-found',
        'Order Not Found',
        `No order with number '${req.params.orderNo}' could be found.`,
        {
          orderNo: req.params.orderNo,
        },
      );
    res.json(renderOrder(o, store.products, siteId));
  });
  return r;
}

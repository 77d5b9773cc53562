// Shopper Baskets v1 (docs/salesforce/scapi.md#shopper-baskets). Every mutation answers 200 with
// the full Basket; deleting the basket answers 204. Only the token's shopper may touch its basket
// (another customer's basket: 400, CustomerInfoJwtMismatch). Custom attributes (c_*) must be
// declared on the document (store.customAttributes); payment card numbers must be masked.
import express, { Router, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { renderBasket } from './render.js';
import { customAttributes, customerMismatch, requireShopper, shopperOf } from './shopper-auth.js';
import type { CustomAttributeObject, OrderAddress, ScapiStore, StoredBasket } from './store.js';

const validQuantity = (q: unknown): q is number =>
  typeof q === 'number' && Number.isFinite(q) && q >= 0.01 && q <= 999;

/**
 * OrderPaymentCardRequest.maskedNumber: `pattern: ^[0-9 -]{0,7}\D{6,15}\d{0,4}$`, `maxLength: 25`
 * (commerce-sdk-isomorphic apis/shopper-baskets-oas-1.11.0/shopper-baskets-oas-v1-public.yaml,
 * example '*********4422'): at most 7 leading digits, 6 to 15 mask characters, at most the last
 * 4 digits. A full card number does not match.
 */
export const MASKED_NUMBER = /^[0-9 -]{0,7}\D{6,15}\d{0,4}$/;
export const MASKED_NUMBER_MAX_LENGTH = 25;

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
      customerMismatch(res);
      return undefined;
    }
    return b;
  };

  /** The basket of the path and its one shipment (`me`, the default shipment's id); as `own`. */
  const ownShipment = (
    res: Response,
    basketId: string,
    shipmentId: string,
  ): StoredBasket | undefined => {
    const b = own(res, basketId);
    if (!b) return undefined;
    if (shipmentId === 'me') return b;
    sendProblem(
      res,
      404,
      'shipment-not-found',
      'Shipment Not Found',
      `No shipment with ID '${shipmentId}'.`,
    );
    return undefined;
  };

  /**
   * Rejects a body with a custom attribute the org does not declare on `object`. Whether SCAPI
   * rejects or silently drops an undeclared c_ attribute is undocumented
   * (docs/salesforce/scapi.md#custom-attributes); the emulator rejects with a problem+json 400
   * `bad-request` (the baskets spec's generic 400 type).
   * UNCONFIRMED: status, type and detail text against a real org.
   */
  const undeclared = (res: Response, object: CustomAttributeObject, body: unknown): boolean => {
    const name = store.undeclaredAttribute(object, body);
    if (name === undefined) return false;
    sendProblem(
      res,
      400,
      'bad-request',
      'Bad Request',
      `The custom attribute '${name}' is not defined for the object type '${object}'.`,
    );
    return true;
  };

  /** Rejects a paymentCard whose maskedNumber breaks the spec's pattern; true when it answered. */
  const badCard = (res: Response, card: unknown): boolean => {
    const masked = (card as { maskedNumber?: unknown } | undefined)?.maskedNumber;
    if (
      masked === undefined ||
      (typeof masked === 'string' &&
        masked.length <= MASKED_NUMBER_MAX_LENGTH &&
        MASKED_NUMBER.test(masked))
    )
      return false;
    // Detail text UNCONFIRMED; type and status as the spec's BadRequest example.
    sendProblem(
      res,
      400,
      'bad-request',
      'Bad Request',
      `The value of the property with path '$.paymentCard.maskedNumber' does not match the pattern '${MASKED_NUMBER.source}' or is longer than ${MASKED_NUMBER_MAX_LENGTH} characters.`,
    );
    return true;
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
    if (undeclared(res, 'Basket', req.body)) return;
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
    if (undeclared(res, 'Basket', req.body)) return;
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
      if (undeclared(res, 'ProductItem', it)) return;
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
    if (undeclared(res, 'ProductItem', req.body)) return;
    const q = (req.body as { quantity?: unknown })?.quantity;
    if (q !== 0 && !validQuantity(q))
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The value of 'quantity' must be between 0.01 and 999.",
      );
    if (q === 0) b.items = b.items.filter((x) => x !== item);
    else {
      item.quantity = q;
      const custom = customAttributes(req.body);
      if (Object.keys(custom).length) item.custom = { ...item.custom, ...custom };
    }
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
    const b = ownShipment(res, req.params.basketId, req.params.shipmentId);
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
    b.shippingAddress = a;
    if (req.query.useAsBilling === 'true') b.billingAddress = { ...a };
    send(res, b);
  });

  // getShippingMethodsForShipment: ShippingMethodResult {applicableShippingMethods: [ShippingMethod
  // {id, name, description, price, …}], defaultShippingMethodId}.
  // https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getShippingMethodsForShipment
  // https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=type%3AShippingMethodResult
  r.get('/baskets/:basketId/shipments/:shipmentId/shipping-methods', (req, res) => {
    const b = ownShipment(res, req.params.basketId, req.params.shipmentId);
    if (!b) return;
    res.json({
      applicableShippingMethods: store
        .applicableShippingMethods()
        .map(({ id, name, description, price }) => ({ id, name, description, price })),
      defaultShippingMethodId: store.defaultShippingMethodId,
    });
  });

  // updateShippingMethodForShipment: a method not applicable to the shipment is refused.
  // https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=updateShippingMethodForShipment
  r.put('/baskets/:basketId/shipments/:shipmentId/shipping-method', (req, res) => {
    const b = ownShipment(res, req.params.basketId, req.params.shipmentId);
    if (!b) return;
    const id = (req.body as { id?: unknown })?.id;
    if (!store.applicableShippingMethods().some((m) => m.id === id))
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

  // getPaymentMethodsForBasket: "Gets applicable payment methods for an existing basket
  // considering the open payment amount only" → PaymentMethodResult { applicablePaymentMethods:
  // [{ id, name, cards, paymentProcessorId }] }, the site's active methods (Business Manager →
  // Merchant Tools → Ordering → Payment Methods).
  // https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getPaymentMethodsForBasket
  r.get('/baskets/:basketId/payment-methods', (req, res) => {
    const b = own(res, req.params.basketId);
    if (!b) return;
    res.json({ applicablePaymentMethods: store.applicablePaymentMethods() });
  });

  /**
   * A payment instrument naming a method the site does not offer: 400 (the spec's
   * InvalidPaymentMethodIdException, "the provided payment method is invalid or not
   * applicable"). Problem type and detail UNCONFIRMED against a real site. True when it answered.
   * https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=addPaymentInstrumentToBasket
   */
  const badMethod = (res: Response, id: string): boolean => {
    if (store.applicablePaymentMethods().some((m) => m.id === id)) return false;
    sendProblem(
      res,
      400,
      'invalid-payment-method-id',
      'Invalid Payment Method Id',
      `The payment method '${id}' is unknown or not applicable.`,
    );
    return true;
  };

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
    if (badCard(res, body.paymentCard) || badMethod(res, body.paymentMethodId)) return;
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
  // existing basket." → Basket; docs/salesforce/scapi.md#urls-and-encoding: deleting a basket
  // sub-resource → 200 + Basket). The PATCH body is a BasketPaymentInstrumentRequest; the fields it
  // sends replace the stored ones.
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
    if (badCard(res, body.paymentCard)) return;
    if (body.paymentMethodId !== undefined) {
      if (typeof body.paymentMethodId !== 'string' || !body.paymentMethodId)
        return sendProblem(
          res,
          400,
          'validation',
          'Validation Error',
          "The field 'paymentMethodId' must be a non-empty string.",
        );
      if (badMethod(res, body.paymentMethodId)) return;
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

// Shopper Customers v1 (docs/salesforce/scapi.md#shopper-customers): the registered customer, their
// orders (paged) and baskets. The path's customerId must be the token's customer (400
// invalid-customer otherwise).
import { Router, type Request, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { renderBasket, renderCustomer, renderOrder } from './render.js';
import { invalidCustomer, requireShopper, shopperOf } from './shopper-auth.js';
import type { ScapiStore } from './store.js';

export function createCustomersRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(requireShopper(core));
  const mine = (req: Request, res: Response) => {
    if (req.params.customerId !== shopperOf(res).customerId) {
      invalidCustomer(res);
      return false;
    }
    return true;
  };

  r.get('/customers/:customerId', (req, res) => {
    if (!mine(req, res)) return;
    const c = store.citizenById(req.params.customerId as string);
    if (!c)
      return sendProblem(
        res,
        404,
        'customer-not-found',
        'Customer Not Found',
        `No customer with ID '${req.params.customerId}' could be found.`,
      );
    res.json(renderCustomer(c, core.world.now));
  });

  r.get('/customers/:customerId/orders', (req, res) => {
    if (!mine(req, res)) return;
    const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The query parameter 'limit' must be between 1 and 50.",
      );
    if (!Number.isInteger(offset) || offset < 0)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The query parameter 'offset' must be 0 or greater.",
      );
    const all = store.ordersOf(req.params.customerId as string);
    const data = all
      .slice(offset, offset + limit)
      .map((o) => renderOrder(o, store.products, core.settings.scapiSiteId));
    res.json({ limit: data.length, offset, total: all.length, data });
  });

  r.get('/customers/:customerId/baskets', (req, res) => {
    if (!mine(req, res)) return;
    const b = store.openBasketOf(req.params.customerId as string);
    const baskets = b ? [renderBasket(b, store.products)] : [];
    res.json({ baskets, total: baskets.length });
  });
  return r;
}

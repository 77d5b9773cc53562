// B2C Commerce SCAPI family (docs/salesforce/scapi.md): SLAS plus the Shopper Products, Baskets,
// Orders and Customers APIs at their real paths
// `/{family}/{api}/v1/organizations/{organizationId}/...`.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { createBasketsRouter } from './baskets.js';
import { createCustomersRouter } from './customers.js';
import { createOrdersRouter } from './orders.js';
import { createProductsRouter } from './products.js';
import { createSearchRouter } from './search.js';
import { createSlasRouter } from './slas.js';
import { SHOPPER_API_SCOPES, requireScope } from './scopes.js';
import { ScapiStore, scapiStore, setScapiStore } from './store.js';

/** Creates the store; customer indexes, orders and baskets are built lazily on first use. */
export function seedScapi(core: EmulatorCore): void {
  setScapiStore(core, new ScapiStore(core));
}

export function createScapiRouter(core: EmulatorCore): Router {
  const store = scapiStore(core);
  const r = Router();
  const knownOrg = (req: Request, res: Response, next: NextFunction) => {
    if (req.params.organizationId !== core.settings.scapiOrganizationId)
      return sendProblem(
        res,
        404,
        'not-found',
        'Not Found',
        `The organization '${req.params.organizationId}' is unknown.`,
      );
    next();
  };
  const at = (api: string) => `/${api}/v1/organizations/:organizationId`;
  r.use(at('shopper/auth'), knownOrg, createSlasRouter(core, store));
  const scoped = (api: string) => requireScope(core, SHOPPER_API_SCOPES[api]);
  r.use(
    at('product/shopper-products'),
    knownOrg,
    scoped('product/shopper-products'),
    createProductsRouter(core, store),
  );
  r.use(
    at('search/shopper-search'),
    knownOrg,
    scoped('search/shopper-search'),
    createSearchRouter(core, store),
  );
  r.use(
    at('checkout/shopper-baskets'),
    knownOrg,
    scoped('checkout/shopper-baskets'),
    createBasketsRouter(core, store),
  );
  r.use(
    at('checkout/shopper-orders'),
    knownOrg,
    scoped('checkout/shopper-orders'),
    createOrdersRouter(core, store),
  );
  r.use(
    at('customer/shopper-customers'),
    knownOrg,
    scoped('customer/shopper-customers'),
    createCustomersRouter(core, store),
  );
  r.use((req, res) =>
    sendProblem(res, 404, 'not-found', 'Not Found', `No resource at ${req.method} ${req.path}.`),
  );
  // Malformed bodies: a problem+json 400 rather than express's HTML error page.
  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 400 && status < 500)
      return sendProblem(
        res,
        400,
        'bad-request',
        'Bad Request',
        'The request body could not be parsed.',
      );
    sendProblem(
      res,
      500,
      'internal-server-error',
      'Internal Server Error',
      'An unexpected error occurred.',
    );
  });
  return r;
}

// Shopper Products v1 (docs/salesforce/scapi.md#shopper-products): getProducts (ids ≤ 24, unknown
// ids dropped) and getProduct.
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { renderProduct } from './render.js';
import { requireShopper } from './shopper-auth.js';
import type { ScapiStore } from './store.js';

export const MAX_PRODUCT_IDS = 24;

export function createProductsRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(requireShopper(core));

  r.get('/products', (req, res) => {
    const raw = typeof req.query.ids === 'string' ? req.query.ids : '';
    const ids = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!ids.length)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The query parameter 'ids' is required.",
      );
    if (ids.length > MAX_PRODUCT_IDS)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        `The query parameter 'ids' must not contain more than ${MAX_PRODUCT_IDS} values.`,
      );
    const data = ids.flatMap((id) => {
      const p = store.products.get(id);
      return p ? [renderProduct(p)] : [];
    });
    res.json({ limit: data.length, total: data.length, data });
  });

  r.get('/products/:id', (req, res) => {
    const p = store.products.get(req.params.id);
    if (!p)
      return sendProblem(
        res,
        404,
        'product-not-found',
        'Product Not Found',
        `No product with ID '${req.params.id}' for site '${core.settings.scapiSiteId}' could be found.`,
        {
          productId: req.params.id,
          siteId: core.settings.scapiSiteId,
        },
      );
    res.json(renderProduct(p));
  });
  return r;
}

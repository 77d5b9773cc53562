// Shopper Search v1: productSearch, GET /search/shopper-search/v1/organizations/{organizationId}/product-search
// https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-search?meta=productSearch
// Parameters: siteId (required), q (lexical queries at most 50 characters), limit (1–200,
// default 25), offset (default 0). The answer is a ProductSearchResult: hits (productId,
// productName, price, currency, hitType, productType, representedProduct, orderable), query,
// refinements, searchPhraseSuggestions, sortingOptions, offset, limit (the hits returned), total.
// Matching here is a plain case-insensitive match of every term of `q` in a product's id, name or
// description (the real engine ranks and stems); an empty or absent `q` lists the catalogue
// (UNCONFIRMED: a real site answers that according to its search preferences).
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import type { CatalogEntry } from './catalog.js';
import { requireShopper } from './shopper-auth.js';
import type { ScapiStore } from './store.js';

export const MAX_SEARCH_LIMIT = 200;
export const DEFAULT_SEARCH_LIMIT = 25;
export const MAX_QUERY_LENGTH = 50;

const matches = (p: CatalogEntry, terms: string[]) => {
  const text = `${p.id} ${p.name} ${p.description}`.toLowerCase();
  return terms.every((t) => text.includes(t));
};

function hit(p: CatalogEntry) {
  return {
    currency: 'USD',
    hitType: 'product',
    orderable: true,
    price: p.price,
    productId: p.id,
    productName: p.name,
    productType: { item: true },
    representedProduct: { id: p.id },
  };
}

export function createSearchRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(requireShopper(core));

  r.get('/product-search', (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q.length > MAX_QUERY_LENGTH)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        `The query parameter 'q' must not be longer than ${MAX_QUERY_LENGTH} characters.`,
      );
    const limit = req.query.limit === undefined ? DEFAULT_SEARCH_LIMIT : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        `The query parameter 'limit' must be an integer between 1 and ${MAX_SEARCH_LIMIT}.`,
      );
    const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
    if (!Number.isInteger(offset) || offset < 0)
      return sendProblem(
        res,
        400,
        'validation',
        'Validation Error',
        "The query parameter 'offset' must be a non-negative integer.",
      );
    const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    const found = [...store.products.values()].filter((p) => matches(p, terms));
    const hits = found.slice(offset, offset + limit).map(hit);
    res.json({
      limit: hits.length,
      hits,
      query: q,
      refinements: [],
      searchPhraseSuggestions: {},
      sortingOptions: [],
      offset,
      total: found.length,
    });
  });
  return r;
}

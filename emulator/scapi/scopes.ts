// SLAS scopes: each Shopper API endpoint needs one in the access token's `scp` claim, else 403.
// Scopes are `sfcc.{family}[.rw]`: the `.rw` scope also reads; `sfcc.shopper-standard` stands
// for its documented set. Which endpoint needs which scope: the Authorization Scopes Catalog.
// https://developer.salesforce.com/docs/commerce/commerce-api/guide/auth-z-scope-catalog.html
// https://developer.salesforce.com/docs/commerce/commerce-api/guide/standard-shopper-scope.html
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { bearerToken } from '../core/tokens.js';

/** The scopes `sfcc.shopper-standard` includes (Standard Shopper Scope). */
export const SHOPPER_STANDARD = [
  'sfcc.shopper-baskets-orders.rw',
  'sfcc.shopper-categories',
  'sfcc.shopper-customers.login',
  'sfcc.shopper-customers.register',
  'sfcc.shopper-gift-certificates',
  'sfcc.shopper-myaccount.addresses.rw',
  'sfcc.shopper-myaccount.baskets',
  'sfcc.shopper-myaccount.orders',
  'sfcc.shopper-myaccount.paymentinstruments.rw',
  'sfcc.shopper-myaccount.productlists.rw',
  'sfcc.shopper-myaccount.rw',
  'sfcc.shopper-configurations',
  'sfcc.shopper-product-search',
  'sfcc.shopper-productlists',
  'sfcc.shopper-products',
  'sfcc.shopper-promotions',
  'sfcc.shopper-stores',
  'sfcc.shopper-experience',
];

/** Whether the scopes `granted` (space-separated, as in `scp`) allow `needed`. */
export function grants(granted: string | undefined, needed: string): boolean {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  if (have.has('sfcc.shopper-standard')) for (const s of SHOPPER_STANDARD) have.add(s);
  return have.has(needed) || (!needed.endsWith('.rw') && have.has(`${needed}.rw`));
}

/**
 * 403 when the request's SLAS access token lacks the scope `needed(req)` names. A missing or
 * dead token is left to the API's own 401.
 */
export function requireScope(core: EmulatorCore, needed: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const record = core.tokens.lookup(bearerToken(req.headers.authorization), 'slas-access');
    if (!record) return next();
    const scope = needed(req);
    if (grants(record.scope, scope)) return next();
    sendProblem(
      res,
      403,
      'forbidden',
      'Forbidden',
      `The access token does not have the scope ${scope} this endpoint requires.`,
    );
  };
}

const read = (req: Request) => req.method === 'GET' || req.method === 'HEAD';

/** The scope each Shopper API the emulator serves needs, by API and request. */
export const SHOPPER_API_SCOPES: Record<string, (req: Request) => string> = {
  'product/shopper-products': () => 'sfcc.shopper-products',
  'search/shopper-search': () => 'sfcc.shopper-product-search',
  'checkout/shopper-baskets': (req) =>
    read(req) ? 'sfcc.shopper-baskets-orders' : 'sfcc.shopper-baskets-orders.rw',
  'checkout/shopper-orders': (req) =>
    read(req) ? 'sfcc.shopper-baskets-orders' : 'sfcc.shopper-baskets-orders.rw',
  'customer/shopper-customers': (req) =>
    /\/customers\/[^/]+\/baskets\/?$/.test(req.path)
      ? 'sfcc.shopper-myaccount.baskets'
      : /\/customers\/[^/]+\/orders\/?$/.test(req.path)
        ? 'sfcc.shopper-myaccount.orders'
        : read(req)
          ? 'sfcc.shopper-myaccount'
          : 'sfcc.shopper-myaccount.rw',
};

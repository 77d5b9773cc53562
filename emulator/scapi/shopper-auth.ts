// What every Shopper API call shares: the required `siteId` query parameter and a live SLAS
// access token (docs/salesforce/scapi.md#urls-and-encoding). The token's shopper is left in
// res.locals.shopper.
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendProblem } from '../core/error-bodies.js';
import { bearerToken } from '../core/tokens.js';

export interface ShopperLocals {
  customerId: string;
  usid: string;
  guest: boolean;
}

export function requireShopper(core: EmulatorCore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const record = core.tokens.lookup(bearerToken(req.headers.authorization), 'slas-access');
    if (!record)
      return sendProblem(
        res,
        401,
        'unauthorized',
        'Unauthorized',
        'Your access token is invalid or expired and can’t be used to identify a user.',
      );
    const siteId = req.query.siteId;
    if (typeof siteId !== 'string' || !siteId)
      return sendProblem(
        res,
        400,
        'bad-request',
        'Bad Request',
        "The query parameter 'siteId' is required.",
      );
    if (siteId !== core.settings.scapiSiteId)
      return sendProblem(
        res,
        400,
        'bad-request',
        'Bad Request',
        `The site '${siteId}' is unknown.`,
      );
    const shopper: ShopperLocals = {
      customerId: String(record.subject.customerId),
      usid: String(record.subject.usid),
      guest: record.subject.guest === true,
    };
    res.locals.shopper = shopper;
    next();
  };
}

export const shopperOf = (res: Response) => res.locals.shopper as ShopperLocals;

/**
 * A Shopper Customers path whose {customerId} is not the token's customer: 400 invalid-customer.
 * commerce-sdk-isomorphic apis/shopper-customers-oas-1.8.0/shopper-customers-oas-v1-public.yaml,
 * getCustomer / getCustomerBaskets / getCustomerOrders: "400 CustomerId URL parameter does not
 * match the verified customer represented by the JWT token." (example registerCustomer400).
 */
export const invalidCustomer = (res: Response) =>
  sendProblem(res, 400, 'invalid-customer', 'Invalid Customer', 'The customer is invalid.');

/**
 * A basket (or the basket of createOrder) of another customer than the token's: 400 bad-request.
 * apis/shopper-baskets-oas-1.11.0/shopper-baskets-oas-v1-public.yaml: "400 The customer assigned
 * to the basket does not match the verified customer represented by the JSON Web Token (JWT)."
 * (example CustomerInfoJwtMismatch); shopper-orders-oas-1.15.0 createOrder lists the same 400.
 */
export const customerMismatch = (res: Response) =>
  sendProblem(res, 400, 'bad-request', 'Bad Request', 'The customer is invalid.');

/** c_* custom attributes of a request body. */
export function customAttributes(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body && typeof body === 'object' && !Array.isArray(body))
    for (const [k, v] of Object.entries(body)) if (k.startsWith('c_')) out[k] = v;
  return out;
}

// What every Shopper API call shares: the required `siteId` query parameter and a live SLAS
// access token (reference §3.1). The token's shopper is left in res.locals.shopper.
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

export const forbidden = (res: Response) =>
  sendProblem(res, 403, 'forbidden', 'Forbidden', 'You are not allowed to access this resource.');

/** c_* custom attributes of a request body. */
export function customAttributes(body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body && typeof body === 'object' && !Array.isArray(body))
    for (const [k, v] of Object.entries(body)) if (k.startsWith('c_')) out[k] = v;
  return out;
}

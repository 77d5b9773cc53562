// Shared by every core REST route (CRM REST and Connect ssot): a live core access token, the
// daily API allowance, and the Sforce-Limit-Info header on every answer.
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorCore } from './emulator-core.js';
import { sendCrmError } from './error-bodies.js';
import { bearerToken } from './tokens.js';

export function requireCoreSession(core: EmulatorCore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const record = core.tokens.lookup(bearerToken(req.headers.authorization), 'core-access');
    if (!record) return sendCrmError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (!core.apiUsage.spend()) {
      res.setHeader('Sforce-Limit-Info', core.apiUsage.header());
      return sendCrmError(res, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    res.setHeader('Sforce-Limit-Info', core.apiUsage.header());
    res.locals.session = record;
    next();
  };
}

// Request ids and the access log: a request id is taken from `x-request-id` (when it looks like
// one) or generated, returned in the response, forwarded to subgraphs, and written on one access
// line per request with the operation, status, duration and upstream calls.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { log } from './log.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface AccessInfo {
  requestId: string;
  operation?: string;
  /** Salesforce calls of the request, per family. */
  upstreamCalls?: Record<string, number>;
}

/** The request's access info, filled in by the GraphQL layer as the request runs. */
export const accessInfo = (res: Response): AccessInfo => res.locals.access as AccessInfo;

export function accessLog(service: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.header(REQUEST_ID_HEADER);
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.access = { requestId } satisfies AccessInfo;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = performance.now();
    res.on('finish', () => {
      const a = accessInfo(res);
      log().info(
        {
          service,
          requestId: a.requestId,
          method: req.method,
          // Never the query string: a GET carries the document and variables there.
          path: req.originalUrl.split('?')[0],
          operation: a.operation,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          upstreamCalls: a.upstreamCalls,
        },
        'request',
      );
    });
    next();
  };
}

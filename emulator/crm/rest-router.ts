// Core CRM REST (/services/data): the versions root, then everything below vXX.X behind a
// live core session, dispatched through one transport-free function that Composite reuses.
import express, { Router, type Request, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { requireCoreSession } from '../core/core-auth.js';
import { sendCrmError } from '../core/error-bodies.js';
import type { TokenRecord } from '../core/tokens.js';
import { ApiError, notFound, type ApiCall, type ApiResult } from './api-call.js';
import { collectionsRoute } from './collections-api.js';
import { compositeRoute } from './composite-api.js';
import { oauthTokens } from './oauth-tokens.js';
import { QueryLocators, queryRoute } from './query-api.js';
import { sobjectsRoute } from './sobjects-api.js';

const LATEST = 66;

/** Release label of an API version: v66.0 = Spring '26, v65.0 = Winter '26, v64.0 = Summer '25, … */
function releaseLabel(v: number): string {
  const back = LATEST - v;
  const season = ['Spring', 'Winter', 'Summer'][back % 3];
  const year = 26 - Math.floor(back / 3) - (season === 'Summer' ? 1 : 0);
  return `${season} '${String(year).padStart(2, '0')}`;
}

export function createDispatcher(core: EmulatorCore) {
  const locators = new QueryLocators(core.clock);
  const dispatch = (call: ApiCall): ApiResult => {
    const parts = call.path.split('/').filter(Boolean);
    try {
      switch (parts[0]) {
        case 'limits':
          if (parts.length !== 1 || call.method !== 'GET') throw notFound();
          return { status: 200, body: limits(core) };
        case 'sobjects':
          return sobjectsRoute(core, call, parts.slice(1));
        case 'query':
        case 'queryAll':
          return queryRoute(core, call, locators, parts.slice(1));
        case 'composite':
          if (parts[1] === 'sobjects') return collectionsRoute(core, call, parts.slice(2));
          if (parts.length === 1) return compositeRoute(core.sobjects, call, dispatch);
          throw notFound();
        default:
          throw notFound();
      }
    } catch (err) {
      if (err instanceof ApiError) return err.toResult();
      throw err;
    }
  };
  return dispatch;
}

function limits(core: EmulatorCore) {
  const { max, used } = core.apiUsage;
  return {
    ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
    DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
    DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
    DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
    DataStorageMB: { Max: 1024, Remaining: 1020 },
    FileStorageMB: { Max: 1024, Remaining: 1024 },
  };
}

export function createRestRouter(core: EmulatorCore): Router {
  const r = Router();
  const dispatch = createDispatcher(core);

  r.get('/services/data', (_req, res) => {
    const out = [];
    for (let v = 31; v <= LATEST; v++)
      out.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    res.json(out);
  });

  const versioned = Router({ mergeParams: true });
  versioned.use(express.json({ limit: '50mb', type: () => true }));
  versioned.use((req: Request, res: Response) => {
    const version = (req.params as Record<string, string>).version;
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
    const qs = req.originalUrl.includes('?')
      ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
      : '';
    // OauthToken rows follow the grants, which end by revocation anywhere in the org.
    oauthTokens(core).sync();
    const result = dispatch({
      method: req.method,
      path: req.path,
      version,
      query: new URLSearchParams(qs),
      body: req.body,
      headers,
      userId: String((res.locals.session as TokenRecord).subject.userId ?? ''),
    });
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
    if (result.body === undefined) return res.status(result.status).end();
    res
      .status(result.status)
      .type('application/json;charset=UTF-8')
      .send(JSON.stringify(result.body));
  });

  r.use(
    '/services/data/:version',
    (req, res, next) => {
      if (!/^v\d+\.\d+$/.test(String(req.params.version)))
        return sendCrmError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
      next();
    },
    requireCoreSession(core),
    versioned,
  );
  // Malformed JSON bodies: the CRM envelope, not express's HTML page.
  r.use(
    (
      err: { status?: number; type?: string; message?: string },
      _req: Request,
      res: Response,
      next: (e?: unknown) => void,
    ) => {
      if (res.headersSent) return next(err);
      if (err.status && err.status < 500)
        return sendCrmError(
          res,
          400,
          'JSON_PARSER_ERROR',
          `Unexpected character: ${err.message ?? ''}`,
        );
      next(err);
    },
  );
  return r;
}

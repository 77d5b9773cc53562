// The Data Cloud family: token exchange and Connect segments on the core host, and the tenant
// endpoint (TSE) with the Query, Profile, Calculated Insights, Data Graph and Universal ID
// lookup APIs. Data is seeded from the shared world (see seed.ts).
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendDataCloudError } from '../core/error-bodies.js';
import { bearerToken } from '../core/tokens.js';
import { createConnectRouter } from './connect-api.js';
import { createDataGraphRouter } from './data-graph-api.js';
import { createExchangeRouter } from './exchange.js';
import { createProfileRouter } from './profile-api.js';
import { createQueryRouter } from './query-api.js';
import { seedDataCloudDb } from './seed.js';
import type { DataCloudDb } from './tables.js';

export function seedDataCloud(core: EmulatorCore): void {
  core.families.dataCloud = seedDataCloudDb(core.world);
}

/** The seeded Data Cloud data of a core (seeding it on first use). */
export function dataCloudDb(core: EmulatorCore): DataCloudDb {
  return (core.families.dataCloud ??= seedDataCloudDb(core.world));
}

function requireDataCloudToken(core: EmulatorCore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const record = core.tokens.lookup(bearerToken(req.headers.authorization), 'datacloud');
    if (!record)
      return sendDataCloudError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    res.locals.session = record;
    next();
  };
}

export function createDataCloudRouters(core: EmulatorCore): {
  exchange: Router;
  connect: Router;
  tse: Router;
} {
  const db = () => dataCloudDb(core);
  const tse = Router();
  tse.use(requireDataCloudToken(core));
  tse.use(createQueryRouter(db, core.clock));
  tse.use(createProfileRouter(db));
  tse.use(createDataGraphRouter(db));
  tse.use((_req, res) =>
    sendDataCloudError(res, 404, 'NOT_FOUND', 'The requested resource does not exist'),
  );
  tse.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 400 && status < 500)
      return sendDataCloudError(
        res,
        status,
        'INVALID_ARGUMENT',
        'The request body is not valid JSON.',
      );
    sendDataCloudError(res, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
  });
  return { exchange: createExchangeRouter(core), connect: createConnectRouter(core, db), tse };
}

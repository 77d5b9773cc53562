// createEmulator: one HTTP app with one path prefix per API family and the real Salesforce
// paths below it, plus test hooks under /__emulator. Imports nothing from the rest of the repo.
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { ApiUsage } from './core/api-usage.js';
import { EmulatorClock } from './core/clock.js';
import { CallLog, type Family } from './core/call-log.js';
import type { EmulatorCore, EmulatorSettings } from './core/emulator-core.js';
import { FaultInjector } from './core/faults.js';
import { Outbox } from './core/outbox.js';
import { bearerToken, TokenStore, type TokenKind } from './core/tokens.js';
import { SObjectStore } from './crm/sobject-store.js';
import { createCrmRouter, seedCrm } from './crm/index.js';
import { createDataCloudRouters, seedDataCloud } from './data-cloud/index.js';
import { DataCloudLimits, type DataCloudApi, type DataCloudApiLimit } from './data-cloud/limits.js';
import { createScapiRouter, seedScapi } from './scapi/index.js';
import { createIdentityRouter, seedIdentity } from './identity/index.js';
import { createHooksRouter } from './hooks.js';
import { generateWorld, type WorldOptions } from './world.js';
import { EventBus } from './pubsub/event-bus.js';
import {
  CDC_OVERFLOW_THRESHOLD,
  createChangePublisher,
  defineTopics,
} from './pubsub/change-events.js';
import { defineCitizenTopic } from './pubsub/citizen-events.js';
import { startPubSubServer, type PubSubServer, type PubSubServerOptions } from './pubsub/server.js';

export interface EmulatorOptions extends WorldOptions {
  dailyApiLimit?: number;
  /**
   * Serve the test hooks under /__emulator (demo credentials, passcodes, faults, reseed). Default
   * true (the tests drive the emulator through them); a started emulator decides by
   * EMULATOR_TEST_HOOKS, off unless development or set.
   */
  testHooks?: boolean;
  settings?: Partial<EmulatorSettings>;
  /** The clock of every expiry window; tests pass one they freeze and advance. */
  clock?: EmulatorClock;
  /**
   * Data Cloud's daily allowance and concurrency per API class (data-cloud/limits.ts; default:
   * the Enterprise edition's documented limits).
   */
  dataCloudLimits?: Partial<Record<DataCloudApi, Partial<DataCloudApiLimit>>>;
}

/** Where each family lives. Paths below the prefix are the real ones. */
export const FAMILY_PREFIX: Record<Family, string> = {
  crm: '/crm',
  datacloud: '/datacloud',
  scapi: '/scapi',
  identity: '/identity',
};

const FAMILY_TOKENS: Record<Family, TokenKind[]> = {
  crm: ['core-access'],
  datacloud: ['datacloud'],
  scapi: ['slas-access'],
  identity: ['core-access'],
};

interface Routers {
  crm: Router;
  dataCloudExchange: Router;
  dataCloudConnect: Router;
  dataCloud: Router;
  scapi: Router;
  identity: Router;
}

export function createEmulator(options: EmulatorOptions = {}) {
  const log = new CallLog();
  const outbox = new Outbox();
  const apiUsage = new ApiUsage(options.dailyApiLimit ?? 15_000);
  const clock = options.clock ?? new EmulatorClock();
  const dataCloudLimits = new DataCloudLimits(clock, options.dataCloudLimits);
  let origin = 'http://127.0.0.1:4010';
  const settings: EmulatorSettings = {
    coreTokenTtlSeconds: 7200,
    dataCloudTokenTtlSeconds: 7199,
    slasTokenTtlSeconds: 1800,
    scapiOrganizationId: 'f_ecom_zzxy_prd',
    scapiSiteId: 'CityServices',
    scapiShortCode: 'kv7kzm78',
    publicOrigin: () => origin,
    ...options.settings,
  };

  let core: EmulatorCore;
  let routers: Routers;
  // The Pub/Sub API's event bus outlives a reseed (events already published stay retained).
  const bus = new EventBus(10_000, () => clock.now());
  defineTopics(bus);
  defineCitizenTopic(bus);
  const cdc = createChangePublisher(bus, clock);

  const faults = new FaultInjector((family) => core.tokens.expireAll(...FAMILY_TOKENS[family]));

  function seed(worldOptions: WorldOptions) {
    const world = generateWorld(worldOptions);
    core = {
      world,
      settings,
      sobjects: new SObjectStore(),
      tokens: new TokenStore(world.orgId, () => clock.now()),
      log,
      faults,
      apiUsage,
      outbox,
      clock,
      families: {},
    };
    // Order matters: Identity reads the User and Contact records CRM seeds.
    seedCrm(core);
    seedDataCloud(core);
    seedScapi(core);
    seedIdentity(core);
    // Seeding wrote without a transaction (no events); from here every committed write publishes.
    core.sobjects.onCommit(cdc.publish);
    const dc = createDataCloudRouters(core);
    routers = {
      crm: createCrmRouter(core),
      dataCloudExchange: dc.exchange,
      dataCloudConnect: dc.connect,
      dataCloud: dc.tse,
      scapi: createScapiRouter(core),
      identity: createIdentityRouter(core),
    };
  }
  seed(options);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');

  /**
   * Logs the call under its family, applies the family's own limits (`limits`), then injected
   * faults, before the real handler.
   */
  const family = (
    name: Family,
    prefix: string,
    pick: (r: Routers) => Router,
    limits: express.RequestHandler = (_req, _res, next) => next(),
  ) => [
    (req: Request, res: Response, next: NextFunction) => {
      const started = performance.now();
      const path = req.originalUrl.split('?')[0].slice(prefix.length) || '/';
      const query = req.originalUrl.includes('?')
        ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
        : '';
      let logged = false;
      const done = () => {
        if (logged) return;
        logged = true;
        log.record({
          family: name,
          method: req.method,
          path,
          query,
          status: res.writableFinished ? res.statusCode : 0,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          at: new Date().toISOString(),
          ...(res.locals.dataCloudInFlight === undefined
            ? {}
            : { inFlight: res.locals.dataCloudInFlight as number }),
        });
      };
      res.on('finish', done);
      res.on('close', done);
      next();
    },
    limits,
    (req: Request, res: Response, next: NextFunction) => faults.middleware(name)(req, res, next),
    (req: Request, res: Response, next: NextFunction) => pick(routers)(req, res, next),
  ];

  // Data Cloud endpoints that live on the core org host: the token exchange and Connect /ssot.
  app.use('/crm/services/a360', ...family('datacloud', '/crm', (r) => r.dataCloudExchange));
  app.use(
    /^\/crm\/services\/data\/v\d+\.\d+\/ssot/,
    ...family('datacloud', '/crm', (r) => r.dataCloudConnect),
  );
  app.use(FAMILY_PREFIX.crm, ...family('crm', FAMILY_PREFIX.crm, (r) => r.crm));
  app.use(
    FAMILY_PREFIX.datacloud,
    ...family(
      'datacloud',
      FAMILY_PREFIX.datacloud,
      (r) => r.dataCloud,
      dataCloudLimits.middleware(
        (req) => !!core.tokens.lookup(bearerToken(req.headers.authorization), 'datacloud'),
      ),
    ),
  );
  app.use(FAMILY_PREFIX.scapi, ...family('scapi', FAMILY_PREFIX.scapi, (r) => r.scapi));
  app.use(FAMILY_PREFIX.identity, ...family('identity', FAMILY_PREFIX.identity, (r) => r.identity));

  const emulator = {
    app,
    get core() {
      return core;
    },
    log,
    faults,
    outbox,
    apiUsage,
    /** Data Cloud's daily allowances and concurrency per API (data-cloud/limits.ts). */
    dataCloudLimits,
    /** The one clock of every expiry window: freeze and advance it instead of sleeping. */
    clock,
    /** The Pub/Sub API's event bus (Case change events, Case_Comment__e, Citizen_Profile_Changed__e). */
    bus,
    /** Change Data Capture's publisher: gap events, the overflow threshold. */
    cdc,
    /** Serves the Pub/Sub API (gRPC over TLS) on its own port; port 0 picks one. */
    startPubSub(
      listen: { port: number; host: string },
      pubSubOptions?: PubSubServerOptions,
    ): Promise<PubSubServer> {
      return startPubSubServer(() => core, bus, listen, pubSubOptions);
    },
    /** Tell the emulator the origin it is reachable at (after listening on port 0). */
    setOrigin(url: string) {
      origin = url.replace(/\/+$/, '');
    },
    /** Clears the call log, faults and outbox; data stays. */
    reset() {
      cdc.overflowThreshold = CDC_OVERFLOW_THRESHOLD;
      log.reset();
      faults.reset();
      outbox.reset();
    },
    /** Rebuilds all data from a seed (deterministic). */
    reseed(
      worldOptions: WorldOptions = { citizens: core.world.citizens.length, seed: core.world.seed },
    ) {
      seed(worldOptions);
      apiUsage.reset();
      dataCloudLimits.reset();
    },
  };
  const hooks = options.testHooks ?? true;
  if (hooks) app.use('/__emulator', createHooksRouter(emulator));
  app.get('/', (_req, res) => {
    res.json({
      emulator: 'Salesforce Customer 360 emulator',
      families: FAMILY_PREFIX,
      hooks: hooks ? '/__emulator' : null,
      citizens: core.world.citizens.length,
    });
  });
  return emulator;
}

export type Emulator = ReturnType<typeof createEmulator>;

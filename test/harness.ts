// The test kit's servers, each on its own port 0 in this process: startEmulator(),
// startSubgraph(name, env), startGateway(env, urls), and startStack() (the emulator, the four
// subgraphs and the gateway). Each is disposable (`await using`) and stoppable (afterAll). Tests
// talk HTTP to the gateway and count upstream calls in the emulator's log.
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { createEmulator, type Emulator } from '../emulator/server.js';
import { listen, type Listening } from '../lib/http.js';
import type { SubgraphServer, SubgraphWebSocket } from '../lib/subgraph-server.js';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway/server.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { createCustomerServer } from '../subgraphs/customer/server.js';
import { loadCustomerConfig } from '../subgraphs/customer/config.js';
import type { CitizenChangeListener } from '../subgraphs/customer/citizen-events.js';
import { createCaseServer } from '../subgraphs/case/server.js';
import { loadCaseConfig } from '../subgraphs/case/config.js';
import { createCommerceServer } from '../subgraphs/commerce/server.js';
import { loadCommerceConfig } from '../subgraphs/commerce/config.js';
import { createSessionServer } from '../subgraphs/session/server.js';
import { loadSessionConfig } from '../subgraphs/session/config.js';
import type { Redis } from 'ioredis';
import { createReadCache } from '../lib/read-cache/read-cache.js';
import type { ReadCacheConfig } from '../lib/read-cache/config.js';
import type { KeyedLock } from '../lib/keyed-lock.js';
import type { RateLimiter } from '../lib/rate-limit.js';
import { loadSharedStateConfig, sharedStateOn } from '../lib/shared-state.js';
import { RedisGrantStore, type GrantStore } from '../subgraphs/session/session-grants.js';
import { print } from 'graphql';
import request from 'supertest';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Principal } from '../lib/principal.js';
import { gatewayRequest } from './support/principals.js';
import type { GraphQLBody } from './client.js';
import { PUBSUB_TEST_CERT_PATH, type PubSubServer } from '../emulator/pubsub/server.js';
import { attachGatewaySubscriptions } from '../gateway/subscriptions/index.js';
import { budget } from './support/budget.js';
import { waitFor } from './support/wait-for.js';

/** State a set of replicas shares (Redis-backed in the shared-state tests; in memory otherwise). */
export interface SharedDeps {
  limiter?: RateLimiter;
  lock?: KeyedLock;
  /** The shared-state Redis itself (reported by each subgraph's /readyz). */
  redis?: Redis;
  /** The session subgraph's access-token → refresh-token memory (logout). */
  grants?: GrantStore;
  /** The case and customer subgraphs' change events consumed once for the fleet through this Redis. */
  eventsRedis?: Redis;
  /** The customer subgraph's hook, called for each citizen change before subscribers get it. */
  onCitizenChanged?: CitizenChangeListener;
  /** The read caches' clock (lib/read-cache), when a test drives their TTLs. */
  readCacheNow?: () => number;
}

/** A subgraph's read cache on the test's clock, or undefined (the server makes its own). */
const readCacheOn = (config: { readCache: ReadCacheConfig }, deps?: SharedDeps) =>
  deps?.readCacheNow ? createReadCache(config.readCache, deps.redis, deps.readCacheNow) : undefined;

/** name → how to build that subgraph from an environment (kept here so schema/subgraphs.ts stays pure data). */
export const FACTORIES: Record<
  string,
  (env: NodeJS.ProcessEnv, deps?: SharedDeps) => Promise<SubgraphServer>
> = {
  customer: (env, deps) => {
    const config = loadCustomerConfig(env);
    return createCustomerServer(config, {
      redis: deps?.redis,
      eventsRedis: deps?.eventsRedis ?? null,
      onCitizenChanged: deps?.onCitizenChanged,
      readCache: readCacheOn(config, deps),
    });
  },
  case: (env, deps) =>
    createCaseServer(loadCaseConfig(env), {
      lock: deps?.lock,
      redis: deps?.redis,
      readCache: readCacheOn(loadCaseConfig(env), deps),
      // The fleet's change-event consumer only where a test asks for it (null: none).
      eventsRedis: deps?.eventsRedis ?? null,
    }),
  commerce: (env, deps) =>
    createCommerceServer(loadCommerceConfig(env), {
      lock: deps?.lock,
      redis: deps?.redis,
      readCache: readCacheOn(loadCommerceConfig(env), deps),
    }),
  session: (env, deps) =>
    createSessionServer(loadSessionConfig(env), {
      limiter: deps?.limiter,
      grants: deps?.grants,
      redis: deps?.redis,
      readCache: readCacheOn(loadSessionConfig(env), deps),
    }),
};

export const TEST_PRINCIPAL_SECRET = 'test-principal-secret';

/**
 * What every server a test starts can do: `stop()` for beforeAll/afterAll users, and
 * `[Symbol.asyncDispose]` for `await using x = await start…()`, so a test whose assertion throws
 * still closes what it opened.
 */
export interface Stoppable extends AsyncDisposable {
  stop(): Promise<void>;
}

/** Adds `[Symbol.asyncDispose]` (= stop, run once) to a thing with a stop. */
function disposable<T extends { stop(): Promise<void> }>(thing: T): T & Stoppable {
  const stopOnce = thing.stop.bind(thing);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopOnce());
  return Object.assign(thing, { stop, [Symbol.asyncDispose]: stop });
}

/** Runs `closers` in order, every one even if one throws; rethrows the first failure. */
async function closeAll(closers: Array<() => Promise<void> | void>) {
  let first: unknown;
  for (const close of closers) {
    try {
      await close();
    } catch (err) {
      first ??= err;
    }
  }
  if (first !== undefined) throw first;
}

export interface RunningEmulator extends Stoppable {
  emulator: Emulator;
  /** Origin of the emulator's HTTP families (CRM, Data Cloud, SCAPI, Identity). */
  url: string;
  /** The upstream part of a subgraph's environment: each family's URL on this emulator. */
  env: NodeJS.ProcessEnv;
  /** With `pubsub`: the emulator's Pub/Sub API (gRPC) server. */
  pubsub?: PubSubServer;
}

/** The emulator on port 0 (and its Pub/Sub API with `pubsub`), its log and world fresh. */
export async function startEmulator(
  options: { citizens?: number; pubsub?: boolean } = {},
): Promise<RunningEmulator> {
  const emulator = createEmulator({ citizens: options.citizens ?? 600 });
  const up = await listen(emulator.app);
  emulator.setOrigin(up.url);
  let pubsub: PubSubServer | undefined;
  try {
    pubsub = options.pubsub
      ? await emulator.startPubSub({ port: 0, host: '127.0.0.1' }, { keepaliveMs: 200 })
      : undefined;
  } catch (err) {
    await up.close();
    throw err;
  }
  return disposable({
    emulator,
    url: up.url,
    pubsub,
    env: {
      // A stack of the test kit runs in test mode, also under scripts (soak, cost table) that
      // tsx starts without NODE_ENV (production otherwise: lib/config/registry.ts).
      NODE_ENV: 'test',
      // The read cache (lib/read-cache) is off in tests unless one asks for it (READ_CACHE in
      // its env): the suite's exact Salesforce call counts stay about the code that makes them.
      READ_CACHE: 'off',
      ...(pubsub
        ? {
            PUBSUB_URL: `127.0.0.1:${pubsub.port}`,
            PUBSUB_CA_FILE: PUBSUB_TEST_CERT_PATH,
            PUBSUB_RETRY_MS: '200',
          }
        : {}),
      CRM_LOGIN_URL: `${up.url}/crm`,
      DATA_CLOUD_TENANT_URL: `${up.url}/datacloud`,
      SCAPI_BASE_URL: `${up.url}/scapi`,
      IDENTITY_SITE_URL: `${up.url}/identity`,
    },
    stop: () => closeAll([() => emulator.reset(), () => pubsub?.close(), () => up.close()]),
  });
}

export interface RunningSubgraph extends Stoppable {
  name: string;
  server: SubgraphServer;
  http: Listening;
  /** The subgraph's GraphQL endpoint (what the gateway is given). */
  url: string;
  /** With `live`: its GraphQL over WebSocket server. */
  ws?: SubgraphWebSocket;
  /** Sends an operation as the gateway would: `principal` signed into x-c360-principal. */
  gql<R = any, V = Record<string, unknown>>(
    principal: Principal,
    document: TypedDocumentNode<R, V> | string,
    variables?: V | Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody<R> }>;
}

/**
 * One subgraph (`customer`, `case`, `commerce`, `session`) built from `env` and listening on port
 * 0; with `live`, its GraphQL over WebSocket too. `env` needs the upstream URLs (an emulator's
 * `env`) and PRINCIPAL_SECRET.
 */
export async function startSubgraph(
  name: string,
  env: NodeJS.ProcessEnv,
  options: { deps?: SharedDeps; live?: boolean } = {},
): Promise<RunningSubgraph> {
  const factory = FACTORIES[name];
  if (!factory) throw new Error(`no subgraph named ${name}`);
  const server = await factory(env, options.deps);
  const http = await listen(server.app);
  const ws = options.live ? server.attachWebSocket(http.server) : undefined;
  // Open WebSocket connections (the gateway's upstream subscriptions, with `live`).
  const sockets = new Set<Duplex>();
  if (ws)
    http.server.on('upgrade', (_req, socket: Duplex) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  const secret = env.PRINCIPAL_SECRET ?? TEST_PRINCIPAL_SECRET;
  const gql: RunningSubgraph['gql'] = async (principal, document, variables = {}, headers = {}) => {
    const signed = gatewayRequest(
      principal,
      name,
      { query: typeof document === 'string' ? document : print(document), variables },
      { secret },
    );
    const res = await request(http.url)
      .post('/graphql')
      .set(signed.headers)
      .set(headers)
      .send(signed.body);
    return { status: res.status, body: res.body };
  };
  return disposable({
    name,
    server,
    http,
    url: `${http.url}/graphql`,
    ws,
    gql,
    stop: () =>
      closeAll([
        // A client still connecting when its server goes away (1001) makes graphql-ws's
        // dispose() reject, unhandled in the gateway: the gateway's upstream connections close
        // first (bounded), then the server.
        // Teardown waits are bounded and never fail (the test's own result stands).
        async () => {
          await waitFor(() => sockets.size === 0, {
            what: "the gateway's sockets to close",
            timeoutMs: 2000,
            onTimeout: 'return',
          });
        },
        () => ws?.close(),
        () => server.stop(),
        () => http.close(),
      ]),
  });
}

export interface RunningGateway extends Stoppable {
  gateway: Gateway;
  http: Listening;
  url: string;
}

/** A gateway on `subgraphUrls` with the configuration `env` gives, listening on port 0. */
export async function startGateway(
  env: NodeJS.ProcessEnv,
  subgraphUrls: Record<string, string>,
  options: {
    beforeGraphql?: GatewayOptions['beforeGraphql'];
    redis?: Redis;
    subgraphBreakers?: GatewayOptions['subgraphBreakers'];
  } = {},
): Promise<RunningGateway> {
  const gateway = await createGateway({
    ...loadGatewayConfig(env),
    subgraphUrls,
    redis: options.redis,
    subgraphBreakers: options.subgraphBreakers,
    beforeGraphql: options.beforeGraphql,
    supergraphSdl: readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'),
  });
  let http: Listening;
  try {
    http = await listen(gateway.app);
  } catch (err) {
    await gateway.stop();
    throw err;
  }
  return disposable({
    gateway,
    http,
    url: http.url,
    stop: () => closeAll([() => gateway.stop(), () => http.close()]),
  });
}

export interface Stack extends Stoppable {
  emulator: Emulator;
  gateway: Gateway;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  /** Environment the subgraphs were built from (upstream URLs of the emulator). */
  env: NodeJS.ProcessEnv;
  /** With `live`: the emulator's Pub/Sub API server. */
  pubsub?: PubSubServer;
}

/** The emulator, the four subgraphs and the gateway, each on its own port 0, in this process. */
export async function startStack(
  options: {
    citizens?: number;
    env?: NodeJS.ProcessEnv;
    beforeGraphql?: GatewayOptions['beforeGraphql'];
    /** Share limits, locks, tokens and APQ through this Redis (as several replicas would). */
    redis?: Redis;
    /**
     * Live updates: the emulator's Pub/Sub API, subgraph WebSockets and the gateway's
     * subscription transports (gateway/subscriptions), re-checking tokens every `recheckMs`.
     */
    live?: { recheckMs?: number };
    /** The customer subgraph's citizen change hook (citizen-events.ts onCitizenChanged). */
    onCitizenChanged?: CitizenChangeListener;
    /** The subgraphs' read caches on this clock (tests of TTLs and stale reads). */
    readCacheNow?: () => number;
  } = {},
): Promise<Stack> {
  const upstream = await startEmulator({ citizens: options.citizens, pubsub: !!options.live });
  const env: NodeJS.ProcessEnv = {
    ...upstream.env,
    PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
    // Test files sign in and query far faster than a person: generous per-minute call budgets
    // (the budget's own tests set small ones).
    UPSTREAM_CALLS_PER_MINUTE_CITIZEN: '100000',
    UPSTREAM_CALLS_PER_MINUTE_AGENT: '100000',
    UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: '100000',
    // Deadlines from the suite's time budget, not production's seconds: on a loaded machine a
    // cold first request is slow, not failed (tests of a deadline set a short one themselves).
    REQUEST_DEADLINE_MS: String(budget(0.4)),
    SUBGRAPH_TIMEOUT_MS: String(budget(0.4) - 2_000),
    IDENTITY_TIMEOUT_MS: String(budget(0.2)),
    UPSTREAM_TIMEOUT_MS: String(budget(0.2)),
    ...options.env,
  };
  let replica: Replica;
  try {
    replica = await startReplica(env, options);
  } catch (err) {
    await upstream.stop();
    throw err;
  }
  return disposable({
    emulator: upstream.emulator,
    gateway: replica.gateway,
    gatewayUrl: replica.gatewayUrl,
    subgraphUrls: replica.subgraphUrls,
    env,
    pubsub: upstream.pubsub,
    stop: () => closeAll([() => replica.stop(), () => upstream.stop()]),
  });
}

export interface Replica extends Stoppable {
  gateway: Gateway;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
}

/** The four subgraphs and a gateway on `env`'s upstreams: one replica of the deployment. */
export async function startReplica(
  env: NodeJS.ProcessEnv,
  options: {
    beforeGraphql?: GatewayOptions['beforeGraphql'];
    redis?: Redis;
    live?: { recheckMs?: number };
    onCitizenChanged?: CitizenChangeListener;
    readCacheNow?: () => number;
  } = {},
): Promise<Replica> {
  // As a started process builds them (lib/shared-state.ts), on the test's connection.
  const deps: SharedDeps = {
    ...(options.redis
      ? {
          ...sharedStateOn(options.redis, {
            unknownOutcomeMs: loadSharedStateConfig(env).unknownOutcomeMs,
          }),
          grants: new RedisGrantStore(options.redis),
        }
      : {}),
    onCitizenChanged: options.onCitizenChanged,
    readCacheNow: options.readCacheNow,
  };
  // Everything started so far, stopped in reverse if a later start fails.
  const started: Stoppable[] = [];
  const stopStarted = () =>
    closeAll(
      started
        .splice(0)
        .reverse()
        .map((s) => () => s.stop()),
    );
  try {
    const subgraphs: RunningSubgraph[] = [];
    for (const s of SUBGRAPHS) {
      const sub = await startSubgraph(s.name, env, { deps, live: !!options.live });
      started.push(sub);
      subgraphs.push(sub);
    }
    const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
    const gw = await startGateway(env, subgraphUrls, options);
    started.push(gw);
    const config = loadGatewayConfig(env);
    const live = options.live
      ? attachGatewaySubscriptions(
          gw.http.server,
          gw.gateway,
          { ...config, subgraphUrls },
          { recheckMs: options.live.recheckMs },
        )
      : undefined;
    // The gateway's subscriptions end first (and with them its upstream connections to the
    // case subgraph), then the gateway, then the subgraphs.
    if (live) started.push({ stop: () => live.close(), [Symbol.asyncDispose]: () => live.close() });
    return disposable({
      gateway: gw.gateway,
      gatewayUrl: gw.url,
      subgraphUrls,
      stop: stopStarted,
    });
  } catch (err) {
    await stopStarted();
    throw err;
  }
}

/** Upstream calls per family since the last reset, e.g. { datacloud: 3, crm: 1 }. */
export function callsByFamily(emulator: Emulator) {
  return emulator.log.countByFamily();
}

/**
 * Who sends a request to the gateway: a bearer token, the headers `loginAs`/`agentHeaders` give
 * (`{ authorization: 'Bearer …' }`), or `'anonymous'` (no authorization header at all).
 */
export type Caller = string | Record<string, string> | 'anonymous';

/** What the gateway answered: the HTTP status, the typed GraphQL body and the response headers. */
export interface GatewayAnswer<R> {
  status: number;
  body: GraphQLBody<R>;
  headers: Record<string, string>;
}

/**
 * Sends a canonical operation (a typed document from gql/) to a gateway as `caller`: the caller
 * comes first so no test can forget who is asking, and the document's variables and result are
 * typed. Hostile or malformed requests (raw strings, broken bodies) go through supertest or
 * test/client.ts's `gql` instead, on purpose.
 */
export async function gql<R, V>(
  gateway: Stack | RunningGateway | string,
  caller: Caller,
  document: TypedDocumentNode<R, V>,
  variables: V,
  headers: Record<string, string> = {},
): Promise<GatewayAnswer<R>> {
  const url =
    typeof gateway === 'string'
      ? gateway
      : 'gatewayUrl' in gateway
        ? gateway.gatewayUrl
        : gateway.url;
  const auth: Record<string, string> =
    caller === 'anonymous'
      ? {}
      : typeof caller === 'string'
        ? { authorization: `Bearer ${caller}` }
        : caller;
  const res = await request(url)
    .post('/graphql')
    .set({ ...auth, ...headers })
    .send({ query: print(document), variables });
  return { status: res.status, body: res.body, headers: res.headers as Record<string, string> };
}

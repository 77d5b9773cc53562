// startStack(): the emulator, the four subgraphs and the gateway, each on its own port 0, in
// this process. Tests talk HTTP to the gateway and count upstream calls in the emulator's log.
import { readFileSync } from 'node:fs';
import { createEmulator, type Emulator } from '../emulator/server.js';
import { listen, type Listening } from '../lib/http.js';
import type { SubgraphServer } from '../lib/subgraph-server.js';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway/server.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { createCustomerServer } from '../subgraphs/customer/server.js';
import { loadCustomerConfig } from '../subgraphs/customer/config.js';
import { createCaseServer } from '../subgraphs/case/server.js';
import { loadCaseConfig } from '../subgraphs/case/config.js';
import { createCommerceServer } from '../subgraphs/commerce/server.js';
import { loadCommerceConfig } from '../subgraphs/commerce/config.js';
import { createSessionServer } from '../subgraphs/session/server.js';
import { loadSessionConfig } from '../subgraphs/session/config.js';
import type { Redis } from 'ioredis';
import type { KeyedLock } from '../lib/keyed-lock.js';
import type { RateLimiter } from '../lib/rate-limit.js';
import { RedisKeyedLock } from '../lib/redis/keyed-lock.js';
import { RedisRateLimiter } from '../lib/redis/rate-limiter.js';
import { buildSchema } from 'graphql';
import { PUBSUB_TEST_CERT_PATH, type PubSubServer } from '../emulator/pubsub/server.js';
import { attachSubscriptions } from '../gateway/subscriptions/index.js';

/** State a set of replicas shares (Redis-backed in the shared-state tests; in memory otherwise). */
export interface SharedDeps {
  limiter?: RateLimiter;
  lock?: KeyedLock;
}

/** name → how to build that subgraph from an environment (kept here so schema/subgraphs.ts stays pure data). */
export const FACTORIES: Record<
  string,
  (env: NodeJS.ProcessEnv, deps?: SharedDeps) => Promise<SubgraphServer>
> = {
  customer: (env) => createCustomerServer(loadCustomerConfig(env)),
  case: (env, deps) => createCaseServer(loadCaseConfig(env), { lock: deps?.lock }),
  commerce: (env, deps) => createCommerceServer(loadCommerceConfig(env), { lock: deps?.lock }),
  session: (env, deps) => createSessionServer(loadSessionConfig(env), { limiter: deps?.limiter }),
};

export const TEST_PRINCIPAL_SECRET = 'test-principal-secret';

export interface Stack {
  emulator: Emulator;
  gateway: Gateway;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  /** Environment the subgraphs were built from (upstream URLs of the emulator). */
  env: NodeJS.ProcessEnv;
  /** With `live`: the emulator's Pub/Sub API server. */
  pubsub?: PubSubServer;
  stop(): Promise<void>;
}

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
  } = {},
): Promise<Stack> {
  const emulator = createEmulator({ citizens: options.citizens ?? 600 });
  const up = await listen(emulator.app);
  emulator.setOrigin(up.url);
  const pubsub = options.live
    ? await emulator.startPubSub({ port: 0, host: '127.0.0.1' }, { keepaliveMs: 200 })
    : undefined;
  const env: NodeJS.ProcessEnv = {
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
    PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
    // Test files sign in and query far faster than a person: generous per-minute call budgets
    // (the budget's own tests set small ones).
    UPSTREAM_CALLS_PER_MINUTE_CITIZEN: '100000',
    UPSTREAM_CALLS_PER_MINUTE_AGENT: '100000',
    UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: '100000',
    ...options.env,
  };
  const replica = await startReplica(env, options);
  return {
    emulator,
    ...replica,
    env,
    pubsub,
    async stop() {
      await replica.stop();
      emulator.reset();
      await pubsub?.close();
      await up.close();
    },
  };
}

export interface Replica {
  gateway: Gateway;
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  stop(): Promise<void>;
}

/** The four subgraphs and a gateway on `env`'s upstreams: one replica of the deployment. */
export async function startReplica(
  env: NodeJS.ProcessEnv,
  options: {
    beforeGraphql?: GatewayOptions['beforeGraphql'];
    redis?: Redis;
    live?: { recheckMs?: number };
  } = {},
): Promise<Replica> {
  const deps: SharedDeps = options.redis
    ? { limiter: new RedisRateLimiter(options.redis), lock: new RedisKeyedLock(options.redis) }
    : {};
  const servers: Array<{
    name: string;
    srv: SubgraphServer;
    http: Listening;
    ws?: { close(): Promise<void> };
  }> = [];
  for (const s of SUBGRAPHS) {
    const srv = await FACTORIES[s.name](env, deps);
    const http = await listen(srv.app);
    servers.push({
      name: s.name,
      srv,
      http,
      ws: options.live ? srv.attachWebSocket(http.server) : undefined,
    });
  }
  const subgraphUrls = Object.fromEntries(servers.map((s) => [s.name, `${s.http.url}/graphql`]));
  const config = loadGatewayConfig(env);
  const gateway = await createGateway({
    ...config,
    subgraphUrls,
    redis: options.redis,
    beforeGraphql: options.beforeGraphql,
    supergraphSdl: readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'),
  });
  const gw = await listen(gateway.app);
  const live = options.live
    ? attachSubscriptions(gw.server, {
        schema: buildSchema(
          readFileSync(new URL('../schema/api-schema.graphql', import.meta.url), 'utf8'),
        ),
        resolvePrincipal: (authorization) => gateway.principals.resolve(authorization),
        caseSubgraphWsUrl: subgraphUrls.case.replace(/^http/, 'ws'),
        principalSecret: config.principalSecret,
        execute: gateway.execute,
        trusted: gateway.trusted,
        maxDepth: config.limits.maxDepth,
        recheckMs: options.live.recheckMs ?? config.subscriptionRecheckMs,
        limits: {
          perConnection: config.limits.subscriptionsPerConnection,
          perPrincipal: config.limits.subscriptionsPerPrincipal,
        },
      })
    : undefined;
  return {
    gateway,
    gatewayUrl: gw.url,
    subgraphUrls,
    async stop() {
      await live?.close();
      await gateway.stop();
      await gw.close();
      for (const s of servers) {
        await s.ws?.close();
        await s.srv.stop();
        await s.http.close();
      }
    },
  };
}

/** Upstream calls per family since the last reset, e.g. { datacloud: 3, crm: 1 }. */
export function callsByFamily(emulator: Emulator) {
  return emulator.log.countByFamily();
}

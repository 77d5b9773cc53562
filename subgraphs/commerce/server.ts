// Commerce subgraph server: schema + resolvers + per-request context; the SLAS token cache and
// the idempotency lock are long-lived (one per server instance): shopper tokens survive across
// requests until they expire, and racing retries of one write queue on the same lock.
import type { Redis } from 'ioredis';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { InMemoryKeyedLock, type KeyedLock } from '../../lib/keyed-lock.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import type { CommerceConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';
import { SlasTokenCache } from './token-cache.js';
import { ScapiClient } from './client.js';
import { createReadCache, type ReadCache } from '../../lib/read-cache/read-cache.js';

export interface CommerceDeps {
  tokens?: SlasTokenCache;
  /**
   * Serialises idempotent writes per (shopper, idempotency key). The in-process default covers
   * one replica; several replicas need a shared lock (e.g. Redis-backed) here.
   */
  lock?: KeyedLock;
  /** The process's shared-state Redis (REDIS_URL), reported by /readyz. */
  redis?: Redis;
  /** The read cache (lib/read-cache); default: from config.readCache, on `redis` when set. */
  readCache?: ReadCache;
}

export async function createCommerceServer(
  config: CommerceConfig,
  deps: CommerceDeps = {},
): Promise<SubgraphServer> {
  const tokens = deps.tokens ?? new SlasTokenCache(config.shopperTokenCacheSize);
  const lock =
    deps.lock ?? new InMemoryKeyedLock({ unknownOutcomeMs: config.idempotencyUnknownOutcomeMs });
  const readCache = deps.readCache ?? createReadCache(config.readCache, deps.redis);
  const server = await createSubgraphServer<Context>({
    name: 'commerce',
    typeDefs: loadSubgraphTypeDefs('commerce'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    redis: deps.redis,
    readiness: (transport) => new ScapiClient(config, tokens, transport).checkCredentials(),
    createContext: createContextFactory(config, tokens, lock, readCache),
  });
  readCache.observe(server.metrics.readCache);
  return server;
}

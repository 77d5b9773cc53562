// The Session subgraph server: long-lived pieces (the integration token cache) live here,
// per-request ones in the context factory.
import type { Redis } from 'ioredis';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import { CoreTokenCache } from './client.js';
import type { SessionConfig } from './config.js';
import { createContextFactory, type Context, type SessionClock } from './context.js';
import { resolvers } from './resolvers.js';
import { createReadCache, type ReadCache } from '../../lib/read-cache/read-cache.js';
import { InMemoryRateLimiter, type RateLimiter } from '../../lib/rate-limit.js';
import { KeyedFlight } from '../../lib/keyed-flight.js';
import { SessionLimits } from './session-limits.js';
import type { TokenResponse } from './client.js';
import { InMemoryGrantStore, SessionGrants, type GrantStore } from './session-grants.js';

export interface SessionServerOptions {
  /** Where the abuse limits are booked (in memory by default; Redis to share them across replicas). */
  limiter?: RateLimiter;
  /** Where each handed-out access token's refresh token is remembered (memory by default; Redis). */
  grants?: GrantStore;
  /** Time (tests inject one; the system clock by default). */
  clock?: SessionClock;
  /** The process's shared-state Redis (REDIS_URL), reported by /readyz. */
  redis?: Redis;
  /** The read cache (lib/read-cache); default: from config.readCache, on `redis` when set. */
  readCache?: ReadCache;
}

export async function createSessionServer(
  config: SessionConfig,
  o: SessionServerOptions = {},
): Promise<SubgraphServer> {
  const tokens = new CoreTokenCache(config);
  // Long-lived on purpose: attempts must be counted across requests.
  const limits = new SessionLimits(o.limiter ?? new InMemoryRateLimiter(), config.limits);
  // Refreshes of one refresh token share an answer only while it is in flight. None is kept
  // after: a spent refresh token presented later goes to Salesforce, whose rotation reuse
  // detection then revokes the whole grant (handing a late replay the victim's new tokens would
  // hide the theft).
  const refreshes = new KeyedFlight<TokenResponse | null>();
  const grants = new SessionGrants(
    o.grants ?? new InMemoryGrantStore(),
    config.sessionTtlSeconds * 1000,
  );
  const readCache = o.readCache ?? createReadCache(config.readCache, o.redis);
  const server = await createSubgraphServer<Context>({
    name: 'session',
    typeDefs: loadSubgraphTypeDefs('session'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    redis: o.redis,
    readiness: async (transport) => {
      await tokens.get(transport);
    },
    createContext: createContextFactory(
      config,
      tokens,
      limits,
      refreshes,
      grants,
      o.clock,
      readCache,
    ),
  });
  readCache.observe(server.metrics.readCache);
  return server;
}

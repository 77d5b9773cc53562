// createCustomerServer: the Customer subgraph over Data Cloud. The token cache lives here (one
// per process); clients and loaders are created per request in the context factory.
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import { DataCloudAuth } from './auth.js';
import type { CustomerConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { DataCloudGate } from './data-cloud-gate.js';
import { resolvers } from './resolvers.js';
import type { Redis } from 'ioredis';
import { createReadCache, type ReadCache } from '../../lib/read-cache/read-cache.js';

export interface CustomerServerOptions {
  /** The process's shared-state Redis (REDIS_URL): the read cache lives there when set. */
  redis?: Redis;
  /** The read cache (lib/read-cache); default: from config.readCache. */
  readCache?: ReadCache;
}

export async function createCustomerServer(
  config: CustomerConfig,
  /** The process's bound on Data Cloud calls (tests pass one to watch it). */
  gate = new DataCloudGate(config.maxConcurrency, config.throttleCooldownMs),
  options: CustomerServerOptions = {},
): Promise<SubgraphServer> {
  const auth = new DataCloudAuth(config);
  const readCache = options.readCache ?? createReadCache(config.readCache, options.redis);
  const server = await createSubgraphServer<Context>({
    name: 'customer',
    typeDefs: loadSubgraphTypeDefs('customer'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    readiness: async (transport) => {
      await auth.dataCloudToken(transport);
    },
    redis: options.redis,
    createContext: createContextFactory(config, auth, gate, readCache),
  });
  readCache.observe(server.metrics.readCache);
  return server;
}

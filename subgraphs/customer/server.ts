// createCustomerServer: the Customer subgraph over Data Cloud. The token cache lives here (one
// per process); clients and loaders are created per request in the context factory.
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import { DataCloudAuth } from './auth.js';
import type { CustomerConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { DataCloudGate } from './data-cloud-gate.js';
import { resolvers } from './resolvers.js';

export async function createCustomerServer(
  config: CustomerConfig,
  /** The process's bound on Data Cloud calls (tests pass one to watch it). */
  gate = new DataCloudGate(config.maxConcurrency, config.throttleCooldownMs),
): Promise<SubgraphServer> {
  const auth = new DataCloudAuth(config);
  return createSubgraphServer<Context>({
    name: 'customer',
    typeDefs: loadSubgraphTypeDefs('customer'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    readiness: async (transport) => {
      await auth.dataCloudToken(transport);
    },
    createContext: createContextFactory(config, auth, gate),
  });
}

// createCustomerServer: the Customer subgraph over Data Cloud. The token cache lives here (one
// per process); clients and loaders are created per request in the context factory.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import { DataCloudAuth } from './auth.js';
import type { CustomerConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';

const schemaPath = fileURLToPath(new URL('./schema.graphql', import.meta.url));

export async function createCustomerServer(config: CustomerConfig): Promise<SubgraphServer> {
  const auth = new DataCloudAuth(config);
  return createSubgraphServer<Context>({
    name: 'customer',
    typeDefs: parse(readFileSync(schemaPath, 'utf8')),
    resolvers,
    principalSecret: config.principalSecret,
    readiness: async (transport) => {
      await auth.dataCloudToken(transport);
    },
    createContext: createContextFactory(config, auth),
  });
}

// The Session subgraph server: long-lived pieces (the integration token cache) live here,
// per-request ones in the context factory.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { CoreTokenCache } from './client.js';
import type { SessionConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';
import { LoginThrottle } from './login-throttle.js';

function schemaPath(): string {
  // Works under ESM (tsx/node) and under jest's CommonJS transform.
  const here =
    typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  return join(here, 'schema.graphql');
}

export async function createSessionServer(config: SessionConfig): Promise<SubgraphServer> {
  const tokens = new CoreTokenCache(config);
  // Long-lived on purpose: failed attempts must be counted across requests.
  const loginThrottle = new LoginThrottle(config.loginThrottle);
  return createSubgraphServer<Context>({
    name: 'session',
    typeDefs: parse(readFileSync(schemaPath(), 'utf8')),
    resolvers: resolvers as GraphQLResolverMap<Context>,
    principalSecret: config.principalSecret,
    createContext: createContextFactory(config, tokens, loginThrottle),
  });
}

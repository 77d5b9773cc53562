// Commerce subgraph server: schema + resolvers + per-request context; the SLAS token cache is
// long-lived (one per server) so shopper tokens survive across requests until they expire.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import type { CommerceConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';
import { SlasTokenCache } from './token-cache.js';

const typeDefs = parse(
  readFileSync(fileURLToPath(new URL('./schema.graphql', import.meta.url)), 'utf8'),
);

export interface CommerceDeps {
  tokens?: SlasTokenCache;
}

export async function createCommerceServer(
  config: CommerceConfig,
  deps: CommerceDeps = {},
): Promise<SubgraphServer> {
  const tokens = deps.tokens ?? new SlasTokenCache(config.shopperTokenCacheSize);
  return createSubgraphServer<Context>({
    name: 'commerce',
    typeDefs,
    resolvers: resolvers as never,
    principalSecret: config.principalSecret,
    createContext: createContextFactory(config, tokens),
  });
}

// Per-request context: the CRM client and the DataLoaders are born here, for one request.
import type { RequestBase } from '../../lib/subgraph-server.js';
import { CrmClient } from './client.js';
import type { CaseConfig } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { CoreTokenCache } from './token-cache.js';

export interface Context extends RequestBase {
  crm: CrmClient;
  loaders: Loaders;
}

export function createContextFactory(config: CaseConfig, tokens: CoreTokenCache) {
  return (base: RequestBase): Context => {
    const crm = new CrmClient(config, tokens, { cost: base.cost });
    return { ...base, crm, loaders: createLoaders(crm) };
  };
}

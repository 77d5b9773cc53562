// Per-request context: one Data Cloud client and fresh DataLoaders for every GraphQL request.
import type { RequestBase } from '../../lib/subgraph-server.js';
import type { DataCloudAuth } from './auth.js';
import { DataCloudClient } from './client.js';
import type { CustomerConfig, DataCloudModel } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context extends RequestBase {
  client: DataCloudClient;
  loaders: Loaders;
  /** The org's Data Cloud names (DMOs, data sources). */
  dataCloud: DataCloudModel;
}

export function createContextFactory(config: CustomerConfig, auth: DataCloudAuth) {
  return (base: RequestBase): Context => {
    const client = new DataCloudClient(config, auth, { cost: base.cost });
    return {
      ...base,
      client,
      loaders: createLoaders(client, config.dataCloud),
      dataCloud: config.dataCloud,
    };
  };
}

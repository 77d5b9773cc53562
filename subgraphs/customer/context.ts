// Per-request context: one Data Cloud client and fresh DataLoaders for every GraphQL request.
import type { RequestBase } from '../../lib/subgraph-server.js';
import type { DataCloudAuth } from './auth.js';
import type { CitizenEventHub } from './citizen-events.js';
import { DataCloudClient } from './client.js';
import type { CustomerConfig, DataCloudModel } from './config.js';
import type { DataCloudGate } from './data-cloud-gate.js';
import { createLoaders, type Loaders } from './loaders.js';
import { SegmentCatalogue } from './segment-catalogue.js';
import type { ReadCache } from '../../lib/read-cache/read-cache.js';

export interface Context extends RequestBase {
  client: DataCloudClient;
  loaders: Loaders;
  /** The org's Data Cloud names (DMOs, data sources). */
  dataCloud: DataCloudModel;
  /** The process's citizen change feed (Pub/Sub API), for Subscription.citizenUpdated. */
  citizenEvents: CitizenEventHub;
  /**
   * The server's read cache: a Data Cloud change (the platform event behind citizenUpdated)
   * invalidates `individual:<unified id>` before it is delivered (server.ts).
   */
  readCache?: ReadCache;
}

export function createContextFactory(
  config: CustomerConfig,
  auth: DataCloudAuth,
  gate: DataCloudGate,
  citizenEvents: CitizenEventHub,
  readCache?: ReadCache,
) {
  // One per process: segment definitions are shared by every request for their TTL.
  const segments = new SegmentCatalogue(config.segmentListTtlMs);
  return (base: RequestBase): Context => {
    const client = new DataCloudClient(config, auth, { cost: base.cost, readCache }, gate);
    return {
      ...base,
      client,
      loaders: createLoaders(client, config.dataCloud, segments),
      dataCloud: config.dataCloud,
      citizenEvents,
      readCache,
    };
  };
}

// Per-request context: the SCAPI client and the DataLoaders are born here, for one request; the
// SLAS token cache they share is long-lived (server.ts).
import type { KeyedLock } from '../../lib/keyed-lock.js';
import type { RequestBase } from '../../lib/subgraph-server.js';
import { ScapiClient } from './client.js';
import type { CommerceConfig } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { SlasTokenCache } from './token-cache.js';
import type { ReadCache } from '../../lib/read-cache/read-cache.js';

export interface Context extends RequestBase {
  config: CommerceConfig;
  scapi: ScapiClient;
  loaders: Loaders;
  /** The server's lock for idempotent writes (shared by every request of this server instance). */
  lock: KeyedLock;
}

export function createContextFactory(
  config: CommerceConfig,
  tokens: SlasTokenCache,
  lock: KeyedLock,
  readCache?: ReadCache,
) {
  return (base: RequestBase): Context => {
    // Writes see SCAPI; the loaders' reads may be cached (and writes invalidate the shopper).
    const scapi = new ScapiClient(config, tokens, { cost: base.cost, readCache });
    const loaders = createLoaders(scapi.cached(), config.perCustomerConcurrency);
    return { ...base, config, scapi, loaders, lock };
  };
}

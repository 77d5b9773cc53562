// Per-request context: the CRM client and the DataLoaders are born here, for one request.
import type { KeyedLock } from '../../lib/keyed-lock.js';
import type { RequestBase } from '../../lib/subgraph-server.js';
import { CrmClient } from '../../lib/salesforce/crm-client.js';
import type { CaseConfig } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';
import type { CoreTokenCache } from '../../lib/salesforce/token-cache.js';
import type { CaseEventHub } from './case-events.js';
import type { ReadCache } from '../../lib/read-cache/read-cache.js';

export interface Context extends RequestBase {
  crm: CrmClient;
  loaders: Loaders;
  config: CaseConfig;
  /** The server's lock for idempotent writes (shared by all requests of this server). */
  lock: KeyedLock;
  /** The process's case change feed (Pub/Sub API), for Subscription.caseUpdated. */
  caseEvents: CaseEventHub;
}

export function createContextFactory(
  config: CaseConfig,
  tokens: CoreTokenCache,
  lock: KeyedLock,
  caseEvents: CaseEventHub,
  readCache?: ReadCache,
) {
  return (base: RequestBase): Context => {
    // Writes (and their idempotency reads) see Salesforce; the loaders' reads may be cached.
    const crm = new CrmClient(config, tokens, { cost: base.cost, readCache });
    return {
      ...base,
      crm,
      loaders: createLoaders(crm.cached(), config.casePicklists.status),
      config,
      lock,
      caseEvents,
    };
  };
}

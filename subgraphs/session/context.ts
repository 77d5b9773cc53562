// Per-request context: the upstream clients and DataLoaders are born here, for one request.
import type { KeyedFlight } from '../../lib/keyed-flight.js';
import type { SessionLimits } from './session-limits.js';
import type { SessionGrants } from './session-grants.js';
import type { TokenResponse } from './client.js';
import type { ReadCache } from '../../lib/read-cache/read-cache.js';
import type { RequestBase } from '../../lib/subgraph-server.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { IdentityClient, SessionAccounts, type CoreTokenCache } from './client.js';
import type { SessionConfig } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Time as the session subgraph sees it: injected in tests (no test sleeps on a real timer). */
export interface SessionClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: SessionClock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};

export interface Context extends RequestBase {
  config: SessionConfig;
  identity: IdentityClient;
  /** CRM REST with the integration client (SOQL, token revocation). */
  crm: SessionAccounts;
  loaders: Loaders;
  limits: SessionLimits;
  /** Refreshes in flight, one per refresh token (server-wide). */
  refreshes: KeyedFlight<TokenResponse | null>;
  /** Which refresh token each access token handed out came from (server-wide, shared state). */
  grants: SessionGrants;
  clock: SessionClock;
}

export function createContextFactory(
  config: SessionConfig,
  tokens: CoreTokenCache,
  limits: SessionLimits,
  refreshes: KeyedFlight<TokenResponse | null>,
  grants: SessionGrants,
  clock: SessionClock = systemClock,
  readCache?: ReadCache,
) {
  return (base: RequestBase): Context => {
    const transport = { cost: base.cost };
    // Only the account loaders' User reads may come from the read cache (lib/read-cache).
    const crm = new SessionAccounts(config, tokens, { ...transport, readCache });
    return {
      ...base,
      config,
      identity: new IdentityClient(config, transport, tokens),
      crm,
      loaders: createLoaders(crm.cached()),
      limits,
      refreshes,
      grants,
      clock,
    };
  };
}

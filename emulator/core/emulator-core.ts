// What every API family of the emulator shares: the seeded world, the org's records, tokens,
// the call log, fault injection, the daily API allowance and the passcode outbox.
import type { World } from '../world.js';
import type { SObjectStore } from '../crm/sobject-store.js';
import type { ApiUsage } from './api-usage.js';
import type { EmulatorClock } from './clock.js';
import type { CallLog } from './call-log.js';
import type { FaultInjector } from './faults.js';
import type { Outbox } from './outbox.js';
import type { TokenStore } from './tokens.js';
import type { IdentityState } from '../identity/state.js';
import type { OauthTokens } from '../crm/oauth-tokens.js';
import type { ScapiStore } from '../scapi/store.js';
import type { DataCloudDb } from '../data-cloud/tables.js';

export interface EmulatorSettings {
  /** Lifetime of core / Headless Identity access tokens (real orgs: session timeout, 2 h by default). */
  coreTokenTtlSeconds: number;
  /** Data Cloud token lifetime (`expires_in`, ~2 h). */
  dataCloudTokenTtlSeconds: number;
  /** SLAS access token lifetime (30 min). */
  slasTokenTtlSeconds: number;
  /** SCAPI organization id and site the emulator serves. */
  scapiOrganizationId: string;
  scapiSiteId: string;
  scapiShortCode: string;
  /** The public origin of the emulator, used to build instance URLs (http://127.0.0.1:4010). */
  publicOrigin: () => string;
}

/**
 * Each API family's own state, held by the core it belongs to (created on first use by the
 * family's accessor: identityState(), scapiStore(), dataCloudDb(), oauthTokens()), so one
 * emulator's state can never leak into another's and a reset is a new core.
 */
export interface FamilyStates {
  identity?: IdentityState;
  oauthTokens?: OauthTokens;
  scapi?: ScapiStore;
  dataCloud?: DataCloudDb;
}

export interface EmulatorCore {
  /** Per-family state (see FamilyStates). */
  families: FamilyStates;
  world: World;
  settings: EmulatorSettings;
  sobjects: SObjectStore;
  tokens: TokenStore;
  log: CallLog;
  faults: FaultInjector;
  apiUsage: ApiUsage;
  outbox: Outbox;
  /** The one clock of every expiry window (outlives a reseed). */
  clock: EmulatorClock;
}

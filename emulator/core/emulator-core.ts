// What every API family of the emulator shares: the seeded world, the org's records, tokens,
// the call log, fault injection, the daily API allowance and the passcode outbox.
import type { World } from '../world.js';
import type { SObjectStore } from '../crm/sobject-store.js';
import type { ApiUsage } from './api-usage.js';
import type { CallLog } from './call-log.js';
import type { FaultInjector } from './faults.js';
import type { Outbox } from './outbox.js';
import type { TokenStore } from './tokens.js';

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

export interface EmulatorCore {
  world: World;
  settings: EmulatorSettings;
  sobjects: SObjectStore;
  tokens: TokenStore;
  log: CallLog;
  faults: FaultInjector;
  apiUsage: ApiUsage;
  outbox: Outbox;
}

// What `npm start` runs, decided from the environment alone (scripts/start.ts runs it; a test
// checks it against .env.example). The emulator runs unless CRM_LOGIN_URL names another server:
// unset, or pointing at the emulator's own address (as .env.example does), it runs, and every
// upstream variable that is not set points at it.
import {
  emulatorPubSubPort,
  isLoopback,
  readEnv,
  type Env,
  type VarName,
} from '../lib/config/registry.js';
import { SUBGRAPHS, type SubgraphInfo } from '../schema/subgraphs.js';

export interface StartPlan {
  shutdownMs: number;
  emulatorPort: number;
  pubSubPort: number;
  gatewayPort: number;
  emulatorUrl: string;
  /** The emulator runs (CRM_LOGIN_URL unset or the emulator's own address). */
  useEmulator: boolean;
  /** One line saying which upstream the stack uses and why. */
  upstreamLine: string;
  /** Added to every service's environment: the emulator's URLs for what is unset. */
  upstreamEnv: Record<string, string>;
  /** The emulator child's own variables. */
  emulatorEnv: Record<string, string>;
  /** The emulator serves its test hooks (npm start reads the demo credentials from them). */
  emulatorHooks: boolean;
  subgraphs: Array<
    SubgraphInfo & { portEnv: VarName; port: number; url: string; external: boolean }
  >;
}

/** Does `raw` name the emulator this stack would start (loopback, its port)? */
function isEmulatorAddress(raw: string, emulatorPort: number): boolean {
  try {
    const u = new URL(raw);
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    return isLoopback(u.hostname.replace(/^\[|\]$/g, '')) && port === emulatorPort;
  } catch {
    return false;
  }
}

export function startPlan(env: Env): StartPlan {
  const e = readEnv(env, 'scripts');
  const emulatorPort = e.get('EMULATOR_PORT');
  const pubSubPort = emulatorPubSubPort(e);
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const crmLoginUrl = e.isSet('CRM_LOGIN_URL') ? e.get('CRM_LOGIN_URL') : undefined;
  const useEmulator = !crmLoginUrl || isEmulatorAddress(crmLoginUrl, emulatorPort);
  const unset = (name: VarName) => !e.isSet(name);
  const upstreamEnv: Record<string, string> = {};
  if (useEmulator) {
    if (unset('CRM_LOGIN_URL')) upstreamEnv.CRM_LOGIN_URL = `${emulatorUrl}/crm`;
    // Set but blank is a choice of its own (derive the tenant from the token exchange).
    if (env.DATA_CLOUD_TENANT_URL === undefined)
      upstreamEnv.DATA_CLOUD_TENANT_URL = `${emulatorUrl}/datacloud`;
    if (unset('SCAPI_BASE_URL')) upstreamEnv.SCAPI_BASE_URL = `${emulatorUrl}/scapi`;
    if (unset('IDENTITY_SITE_URL')) upstreamEnv.IDENTITY_SITE_URL = `${emulatorUrl}/identity`;
    if (unset('PUBSUB_URL')) upstreamEnv.PUBSUB_URL = `127.0.0.1:${pubSubPort}`;
    if (unset('PUBSUB_CA_FILE')) upstreamEnv.PUBSUB_CA_FILE = 'emulator/pubsub/test-certs/cert.pem';
  }
  const emulatorEnv: Record<string, string> = {
    EMULATOR_PORT: String(emulatorPort),
    EMULATOR_PUBSUB_PORT: String(pubSubPort),
  };
  // npm start prints the demo credentials it reads from the hooks (local development).
  const emulatorHooks = unset('EMULATOR_TEST_HOOKS') || e.get('EMULATOR_TEST_HOOKS');
  if (unset('EMULATOR_TEST_HOOKS')) emulatorEnv.EMULATOR_TEST_HOOKS = 'true';
  return {
    // A service's whole shutdown: the de-registration delay, then the drain.
    shutdownMs: e.get('SHUTDOWN_DELAY_MS') + e.get('SHUTDOWN_TIMEOUT_MS'),
    emulatorPort,
    pubSubPort,
    gatewayPort: e.get('GATEWAY_PORT') ?? e.get('PORT'),
    emulatorUrl,
    useEmulator,
    upstreamLine: useEmulator
      ? `upstream: the emulator at ${emulatorUrl}${crmLoginUrl ? ` (CRM_LOGIN_URL ${crmLoginUrl} is its address)` : ''}`
      : `upstream: CRM_LOGIN_URL=${crmLoginUrl} is not the emulator (${emulatorUrl}), so no emulator runs; unset it to use the emulator`,
    upstreamEnv,
    emulatorEnv,
    emulatorHooks,
    subgraphs: SUBGRAPHS.map((s) => {
      const portEnv = `${s.name.toUpperCase()}_PORT` as VarName;
      const port = e.get(portEnv) as number;
      const urlEnv = s.urlEnv as VarName;
      return {
        ...s,
        portEnv,
        port,
        external: e.isSet(urlEnv),
        url: e.isSet(urlEnv) ? (e.get(urlEnv) as string) : `http://127.0.0.1:${port}/graphql`,
      };
    }),
  };
}

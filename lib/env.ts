// What the services share of their configuration, built on the one registry
// (lib/config/registry.ts: every variable's type, default, production rule and description).
// Each service's config.ts calls `readEnv(env, '<service>')` — which validates all of that
// service's variables at once — and maps the values into its typed config; the helpers below are
// the parts several services read alike (the core org client, the listening interface and the
// principal secret).
import { ConfigError, isLoopback, type EnvReader } from './config/registry.js';
import { PUBLISHED_PRINCIPAL_SECRETS } from './principal-secret.js';

export {
  ConfigError,
  isLoopback,
  modeOf,
  parseApiVersion,
  processEnv,
  readEnv,
  type ApiVersion,
  type Env,
  type EnvReader,
  type Mode,
  type Service,
  type VarName,
} from './config/registry.js';

/** The integration client's core org settings, read the same way by every subgraph that calls CRM. */
export interface CrmEnv {
  /** Core org login host (My Domain) for client credentials; REST calls use the returned instance_url. */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  /** CRM_API_VERSION without the v (62.0): `62.0` and `v62.0` both work. */
  crmApiVersion: string;
  /** The same version as the /services/data path segment (v62.0). */
  crmApiPath: `v${string}`;
  /** The org's session lifetime: client credentials answers carry no expires_in (2 h default). */
  crmSessionTtlSeconds: number;
}

export function crmEnv(e: EnvReader): CrmEnv {
  const api = e.get('CRM_API_VERSION');
  return {
    crmLoginUrl: e.get('CRM_LOGIN_URL'),
    crmClientId: e.get('CRM_CLIENT_ID'),
    crmClientSecret: e.get('CRM_CLIENT_SECRET'),
    crmApiVersion: api.version,
    crmApiPath: api.segment,
    crmSessionTtlSeconds: e.get('CRM_SESSION_TTL_SECONDS'),
  };
}

/** What every service listens with: its port, the interface and the principal secret. */
export interface ServiceEnv {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers); a blank HOST is loopback. */
  host: string;
  principalSecret: string;
  /** Bearer token GET /metrics requires (METRICS_TOKEN); unset: loopback clients only. */
  metricsToken?: string;
}

/**
 * The principal secret for a service listening on `host`. The registry already refuses, in
 * production, a missing, short or published secret; a published one (the development default
 * included) is refused in every mode as soon as the service listens beyond loopback.
 */
export function principalSecretFor(e: EnvReader, host: string, hostVariable: string): string {
  const secret = e.get('PRINCIPAL_SECRET');
  if (!isLoopback(host) && PUBLISHED_PRINCIPAL_SECRETS.includes(secret))
    throw new ConfigError(
      'PRINCIPAL_SECRET',
      `PRINCIPAL_SECRET is ${e.isSet('PRINCIPAL_SECRET') ? 'a value published in the repository' : 'unset (the published development value)'} and ${hostVariable}=${host} is not loopback: generate one (e.g. \`openssl rand -base64 48\`).`,
    );
  return secret;
}

export function serviceEnv(
  e: EnvReader,
  port: 'CUSTOMER_PORT' | 'CASE_PORT' | 'COMMERCE_PORT' | 'SESSION_PORT',
): ServiceEnv {
  const host = e.get('HOST');
  return {
    port: e.get(port),
    host,
    principalSecret: principalSecretFor(e, host, 'HOST'),
    metricsToken: e.get('METRICS_TOKEN'),
  };
}

/** A subgraph that calls the core org: what it listens with and the integration client's settings. */
export type CrmServiceEnv = ServiceEnv & CrmEnv;

// Typed environment getters: the one way every service's config.ts reads process.env. Each getter
// takes the variable's name and its default (the emulator's value), treats an unset or blank
// variable as "use the default", and fails fast with an error naming the variable when a value is
// set but unusable — a misspelt port never silently becomes 4002, an empty HOST never means "all
// interfaces". `production` (NODE_ENV=production) turns some defaults into requirements: the
// emulator's URLs make no sense in a deployment, so `requiredInProduction` variables must be set.
//
// Usable by any service (the gateway's config can adopt it as is: `envReader(env).int(...)`).

import { principalSecretFromEnv } from './principal-secret.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable that is set but unusable, or missing where it is required. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
  }
}

export interface Requirement {
  /** In production the default does not apply: the variable must be set. */
  requiredInProduction?: boolean;
}

/** The CRM REST version in both forms: `62.0` (bare) and `v62.0` (the /services/data path segment). */
export interface ApiVersion {
  version: string;
  segment: `v${string}`;
}

/** `62.0`, `v62.0` and `V62.0` all mean version 62.0; anything else is refused. */
export function parseApiVersion(raw: string, variable = 'CRM_API_VERSION'): ApiVersion {
  const m = /^v?(\d{2,3}\.\d)$/i.exec(raw.trim());
  if (!m) throw new ConfigError(variable, `must be a REST API version such as 62.0, got "${raw}"`);
  return { version: m[1], segment: `v${m[1]}` };
}

export interface EnvReader {
  readonly production: boolean;
  /** The raw value (undefined when unset); for tri-state variables where "set but empty" means something. */
  raw(name: string): string | undefined;
  /** Trimmed text; blank = the default. */
  str(name: string, fallback: string, o?: Requirement): string;
  /** Trimmed text, or undefined when unset or blank. */
  optional(name: string): string | undefined;
  /** A whole number in [min, max] (min defaults to 0). */
  int(name: string, fallback: number, o?: { min?: number; max?: number }): number;
  /** `true`/`false` (also 1/0, yes/no, on/off). */
  bool(name: string, fallback: boolean): boolean;
  /** An absolute http(s) URL (kept as written: a redirect URI must match the registered one exactly). */
  url(name: string, fallback: string, o?: Requirement): string;
  /** Comma-separated values, trimmed, blanks dropped; unset = the default, set but blank = []. */
  list(name: string, fallback: readonly string[]): string[];
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
  /** A value that must match `pattern` (described as `what` in the error). */
  matching(name: string, fallback: string, pattern: RegExp, what: string): string;
  /** A Salesforce custom field API name (`Some_Field__c`): it goes into CRM paths and field lists. */
  customFieldName(name: string, fallback: string): string;
  /** A B2C Commerce custom attribute (`c_` and a Business Manager attribute id). */
  customAttributeName(name: string, fallback: `c_${string}`): `c_${string}`;
  /** A plain API name (letters, digits, _): DMO and insight names go into SQL text unquoted. */
  apiName(name: string, fallback: string): string;
  /** The interface to listen on: blank = the default (loopback), never "all interfaces" by accident. */
  host(name: string, fallback?: string): string;
  /** A REST API version (see parseApiVersion). */
  apiVersion(name: string, fallback: string): ApiVersion;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function envReader(env: Env): EnvReader {
  const production = env.NODE_ENV === 'production';
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const orDefault = (name: string, fallback: string, o?: Requirement): string => {
    const v = value(name);
    if (v !== undefined) return v;
    if (production && o?.requiredInProduction)
      throw new ConfigError(name, 'must be set in production (the default is the local emulator).');
    return fallback;
  };
  const matching = (name: string, fallback: string, pattern: RegExp, what: string) => {
    const v = orDefault(name, fallback);
    if (!pattern.test(v)) throw new ConfigError(name, `must be ${what}, got "${v}"`);
    return v;
  };
  return {
    production,
    raw: (name) => env[name],
    optional: value,
    str: orDefault,
    int(name, fallback, o = {}) {
      const v = value(name);
      if (v === undefined) return fallback;
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = o;
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max)
        throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
      return n;
    },
    bool(name, fallback) {
      const v = value(name)?.toLowerCase();
      if (v === undefined) return fallback;
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new ConfigError(name, `must be true or false, got "${v}"`);
    },
    url(name, fallback, o) {
      const v = orDefault(name, fallback, o);
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw new ConfigError(name, `must be an absolute URL, got "${v}"`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new ConfigError(name, `must be an http(s) URL, got "${v}"`);
      return v;
    },
    list(name, fallback) {
      const raw = env[name];
      if (raw === undefined) return [...fallback];
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    },
    oneOf(name, values, fallback) {
      const v = value(name);
      if (v === undefined) return fallback;
      if (!(values as readonly string[]).includes(v))
        throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${v}"`);
      return v as (typeof values)[number];
    },
    matching,
    customFieldName: (name, fallback) =>
      matching(
        name,
        fallback,
        /^[A-Za-z][A-Za-z0-9_]*__c$/,
        `a custom field API name such as ${fallback}`,
      ),
    customAttributeName: (name, fallback) =>
      matching(
        name,
        fallback,
        /^c_[A-Za-z][A-Za-z0-9_]{0,99}$/,
        'a SCAPI custom attribute name (c_ and an attribute id)',
      ) as `c_${string}`,
    apiName: (name, fallback) =>
      matching(name, fallback, /^[A-Za-z][A-Za-z0-9_]*$/, 'a plain API name (letters, digits, _)'),
    host: (name, fallback = '127.0.0.1') => orDefault(name, fallback),
    apiVersion: (name, fallback) => parseApiVersion(orDefault(name, fallback), name),
  };
}

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
  const api = e.apiVersion('CRM_API_VERSION', '62.0');
  return {
    crmLoginUrl: e.url('CRM_LOGIN_URL', 'http://127.0.0.1:4010/crm', {
      requiredInProduction: true,
    }),
    crmClientId: e.str('CRM_CLIENT_ID', '3MVG9C360IntegrationClientDemoKey'),
    crmClientSecret: e.str('CRM_CLIENT_SECRET', 'c360-integration-secret'),
    crmApiVersion: api.version,
    crmApiPath: api.segment,
    crmSessionTtlSeconds: e.int('CRM_SESSION_TTL_SECONDS', 7200, { min: 60 }),
  };
}

/** What every service listens with: its port, the interface (HOST) and the principal secret. */
export interface ServiceEnv {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers); a blank HOST is loopback. */
  host: string;
  principalSecret: string;
}

export function serviceEnv(
  e: EnvReader,
  env: Env,
  port: { variable: string; fallback: number },
): ServiceEnv {
  return {
    port: e.int(port.variable, port.fallback, { max: 65535 }),
    host: e.host('HOST'),
    principalSecret: principalSecretFromEnv(env),
  };
}

/** A subgraph that calls the core org: what it listens with and the integration client's settings. */
export type CrmServiceEnv = ServiceEnv & CrmEnv;

// THE configuration registry: every environment variable the product, the emulator and the
// scripts read, declared once with its type, its development default, its production rule, the
// services that read it and a description. Nothing else reads `process.env` (eslint's
// no-restricted-properties enforces it; tests may set it); `.env.example` is printed from this
// table (`npm run env:example`, checked by test/env-example.test.ts) and docs/real-org.md's list of
// what a production deployment must set is checked against it.
//
// Modes (fail closed): NODE_ENV=development or NODE_ENV=test is development; ANYTHING else —
// unset, `prod`, `staging`, a typo — is production, where:
//   - `production: 'required'`  the development default does not apply: the variable must be set;
//   - `production: { default }` a different default applies (null: none, the value is undefined);
//   - `production: 'dev-only'`  the variable must not be set at all.
// A service validates all of its variables when it loads (readEnv(env, service)) and refuses to
// start with one message that names every missing variable and every unusable value.
//
// Adding a variable is one entry below (and `npm run env:example`):
//   MY_VARIABLE: def(int({ min: 1 }), {
//     default: '5000',                  // the development value, as written in .env.example
//     production: 'required',           // optional: 'required' | 'dev-only' | { default: '…' | null }
//     services: ['gateway'],            // who reads it (readEnv(env, 'gateway') validates it)
//     group: 'gateway',                 // its section of .env.example
//     description: 'What it is, its unit, what unset means.',
//   }),
// then read it in the service's config.ts as `e.get('MY_VARIABLE')` (typed: number here;
// `number | undefined` when the entry has no default). No fallback is written at the call site.
//
// This module imports nothing but the published-secret list, so the emulator (which imports no
// product code) and the scripts may use it too.
import { MIN_PRINCIPAL_SECRET_BYTES, PUBLISHED_PRINCIPAL_SECRETS } from '../principal-secret.js';

// ---------------------------------------------------------------------------------------------
// Kinds: how a variable's text becomes a value.

/** A variable that is set but unusable, or missing where it is required. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    /** The first variable concerned. */
    readonly variable: string,
    message: string,
    /** Every variable concerned (several when one start found several problems). */
    readonly variables: readonly string[] = [variable],
  ) {
    super(
      message.startsWith(variable) || variables.length > 1 ? message : `${variable} ${message}`,
    );
  }
}

export interface Kind<T> {
  /** What a valid value looks like (.env.example and the docs say it). */
  readonly what: string;
  /** Text → value; throws ConfigError(name, …) when unusable. `production`: the mode. */
  parse(value: string, name: string, production: boolean): T;
  /** A set but blank value is a value of its own (parsed) instead of "use the default". */
  readonly blankIsValue?: boolean;
}

const fail = (name: string, message: string): never => {
  throw new ConfigError(name, message);
};

export const text = (): Kind<string> => ({ what: 'text', parse: (v) => v });

/** Text where set-but-blank means "none" (''), unlike unset (the default). */
export const textOrNone = (): Kind<string> => ({
  what: 'text (blank: none)',
  parse: (v) => v,
  blankIsValue: true,
});

export const int = (o: { min?: number; max?: number } = {}): Kind<number> => {
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = o;
  return {
    what: max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `${min}–${max}`,
    parse(v, name) {
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max)
        fail(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
      return n;
    },
  };
};

export const port = (): Kind<number> => int({ max: 65535 });

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
export const bool = (): Kind<boolean> => ({
  what: 'true or false',
  parse(v, name) {
    const l = v.toLowerCase();
    if (TRUE.has(l)) return true;
    if (FALSE.has(l)) return false;
    return fail(name, `must be true or false, got "${v}"`);
  },
});

/** An absolute http(s) URL, kept as written (a redirect URI must match the registered one exactly). */
export const url = (): Kind<string> => ({
  what: 'an http(s) URL',
  parse(v, name) {
    let u: URL | undefined;
    try {
      u = new URL(v);
    } catch {
      fail(name, `must be an absolute URL, got "${v}"`);
    }
    if (u!.protocol !== 'http:' && u!.protocol !== 'https:')
      fail(name, `must be an http(s) URL, got "${v}"`);
    return v;
  },
});

/** An http(s) URL; set but blank = null (e.g. "derive it"), distinct from unset (the default). */
export const urlOrNull = (): Kind<string | null> => ({
  what: 'an http(s) URL (blank: none)',
  blankIsValue: true,
  parse: (v, name) => (v ? url().parse(v, name, false) : null),
});

/** A redis:// or rediss:// URL. */
export const redisUrl = (): Kind<string> => ({
  what: 'a redis:// URL',
  parse: (v, name) =>
    /^rediss?:\/\/\S+$/.test(v) ? v : fail(name, `must be a redis:// URL, got "${v}"`),
});

/**
 * Picklist values (API names), one per meaning, comma-separated in a fixed order: `names` says
 * which value is which (e.g. HIGH, MEDIUM, LOW). A picklist API name may hold spaces but no comma.
 */
export const picklistValues = <N extends string>(names: readonly N[]): Kind<Record<N, string>> => ({
  what: `${names.length} picklist API names, comma-separated (${names.join(', ')})`,
  parse(v, name) {
    const parts = v.split(',').map((x) => x.trim());
    if (parts.length !== names.length || parts.some((x) => !x || x.length > 255))
      fail(
        name,
        `must be ${names.length} picklist values separated by commas, for ${names.join(', ')} in that order, got "${v}"`,
      );
    return Object.fromEntries(names.map((n, i) => [n, parts[i]])) as Record<N, string>;
  },
});

/** One picklist API name (at most 255 characters, no comma). */
export const picklistValue = (): Kind<string> => ({
  what: 'a picklist API name',
  parse: (v, name) =>
    v.trim() && v.length <= 255 && !v.includes(',')
      ? v.trim()
      : fail(name, `must be one picklist value (API name, no comma), got "${v}"`),
});

/** Comma-separated values, trimmed, blanks dropped; set but blank = []. */
export const list = (o: { trimSlash?: boolean } = {}): Kind<string[]> => ({
  what: 'comma-separated values',
  blankIsValue: true,
  parse: (v) =>
    v
      .split(',')
      .map((s) => (o.trimSlash ? s.trim().replace(/\/+$/, '') : s.trim()))
      .filter(Boolean),
});

/** `name=ms` pairs, comma-separated (`case=6000,commerce=3000`), each name among `names`. */
export const msByName = (names: readonly string[]): Kind<Record<string, number>> => ({
  what: `name=ms pairs, comma-separated (names: ${names.join(', ')})`,
  blankIsValue: true,
  parse: (v, name) => {
    const out: Record<string, number> = {};
    for (const pair of v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([a-z]+)\s*=\s*(\d+)$/.exec(pair);
      if (!m) return fail(name, `must be name=ms pairs, got "${pair}"`);
      if (!names.includes(m[1]))
        return fail(name, `names no subgraph "${m[1]}" (one of ${names.join(', ')})`);
      const ms = Number(m[2]);
      if (!(ms >= 1 && Number.isSafeInteger(ms)))
        return fail(name, `${m[1]}: must be a whole number of ms ≥ 1, got "${m[2]}"`);
      out[m[1]] = ms;
    }
    return out;
  },
});

export const oneOf = <T extends string>(values: readonly T[]): Kind<T> => ({
  what: values.join(' | '),
  parse: (v, name) =>
    (values as readonly string[]).includes(v)
      ? (v as T)
      : fail(name, `must be one of ${values.join(', ')}, got "${v}"`),
});

export const matching = (pattern: RegExp, what: string): Kind<string> => ({
  what,
  parse: (v, name) => (pattern.test(v) ? v : fail(name, `must be ${what}, got "${v}"`)),
});

/** A plain API name (letters, digits, _): DMO and insight names go into SQL text unquoted. */
export const apiName = () =>
  matching(/^[A-Za-z][A-Za-z0-9_]*$/, 'a plain API name (letters, digits, _)');
/** An API name, or blank for none. */
export const apiNameOrNull = (): Kind<string | null> => ({
  what: 'a plain API name (letters, digits, _; blank: none)',
  blankIsValue: true,
  parse: (v, name) => (v ? apiName().parse(v, name, false) : null),
});
/** A Salesforce custom field API name (`Some_Field__c`): it goes into CRM paths and field lists. */
export const customFieldName = (example = 'Some_Field__c') =>
  matching(/^[A-Za-z][A-Za-z0-9_]*__c$/, `a custom field API name such as ${example}`);
/** A B2C Commerce custom attribute (`c_` and a Business Manager attribute id). */
export const customAttributeName = (): Kind<`c_${string}`> =>
  matching(
    /^c_[A-Za-z][A-Za-z0-9_]{0,99}$/,
    'a SCAPI custom attribute name (c_ and an attribute id)',
  ) as Kind<`c_${string}`>;

/** The interface to listen on. Blank is the default (loopback), never "all interfaces". */
export const host = (): Kind<string> => ({ what: 'an interface address', parse: (v) => v });

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
export const apiVersion = (): Kind<ApiVersion> => ({
  what: 'a REST API version such as 62.0',
  parse: (v, name) => parseApiVersion(v, name),
});

/** Express `trust proxy`: false, true, a hop count, or addresses/subnets. */
export const trustProxy = (): Kind<boolean | number | string> => ({
  what: 'false, true, a hop count, or addresses/subnets',
  parse: (v) => (v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v),
});

/** The principal secret: in production at least 32 bytes and never a value published here. */
export const signingSecret = (): Kind<string> => ({
  what: `a secret of at least ${MIN_PRINCIPAL_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`,
  parse(v, name, production) {
    if (!production) return v;
    if (PUBLISHED_PRINCIPAL_SECRETS.includes(v))
      fail(
        name,
        'is a value published in the repository; generate one (e.g. `openssl rand -base64 48`).',
      );
    if (Buffer.byteLength(v, 'utf8') < MIN_PRINCIPAL_SECRET_BYTES)
      fail(name, `must be at least ${MIN_PRINCIPAL_SECRET_BYTES} bytes in production.`);
    return v;
  },
});

// ---------------------------------------------------------------------------------------------
// The table.

export type Service =
  | 'gateway'
  | 'customer'
  | 'case'
  | 'commerce'
  | 'session'
  | 'emulator'
  /** scripts/start.ts (npm start), org-check and the other operator scripts. */
  | 'scripts'
  | 'bench';

export type ProductionRule = 'required' | 'dev-only' | { default: string | null };

export const GROUPS = {
  mode: 'Mode. development or test: the defaults below (the emulator); anything else, unset included, is production, where every variable docs/real-org.md lists must be set.',
  services:
    'Every service: the principal secret, interfaces, ports, shared state, shutdown, logs, traces, metrics',
  gateway: 'Gateway: subgraphs, token validation, limits',
  crm: 'Salesforce core org (CRM REST, Connect, OAuth client credentials of the integration user)',
  datacloud: "Customer subgraph: Data Cloud tenant and the org's Data Cloud model",
  commerce:
    'B2C Commerce SCAPI (base replaces https://{shortCode}.api.commercecloud.salesforce.com)',
  identity:
    "Headless Identity (Experience Cloud site), the portal's connected app, session abuse limits",
  case: 'Case subgraph: idempotency fields and live updates (Salesforce Pub/Sub API, gRPC over TLS)',
  emulator: 'Emulator (npm start and npm run start:emulator)',
  bench: 'Benchmark knobs (npm run bench)',
} as const;
export type Group = keyof typeof GROUPS;

interface SpecIn {
  /** The development value as text ('' = none); parsed like a set value. */
  default?: string;
  production?: ProductionRule;
  services: readonly Service[];
  group: Group;
  description: string;
  /** The value .env.example shows (default: `default`, else blank); false: left out (description says why). */
  example?: string | false;
}

export interface Var<T, Always extends boolean> extends SpecIn {
  kind: Kind<T>;
  /** Type-level only: the value type and whether a value is always there. */
  readonly __value?: [T, Always];
}

type AlwaysSet<S> = S extends { production: 'dev-only' }
  ? false
  : S extends { production: { default: null } }
    ? false
    : S extends { default: string }
      ? true
      : S extends { production: 'required' | { default: string } }
        ? false
        : false;

function def<T, const S extends SpecIn>(kind: Kind<T>, spec: S): Var<T, AlwaysSet<S>> {
  return { kind, ...spec };
}

const SERVICES = ['gateway', 'customer', 'case', 'commerce', 'session'] as const;
const SUBGRAPHS = ['customer', 'case', 'commerce', 'session'] as const;
const EVERYONE = [...SERVICES, 'emulator', 'scripts', 'bench'] as const;
const CRM_READERS = ['customer', 'case', 'session', 'scripts'] as const;
const EMULATOR = 'http://127.0.0.1:4010';
const DEMO_CLIENT_ID = '3MVG9C360IntegrationClientDemoKey';
const DEMO_CLIENT_SECRET = 'c360-integration-secret';
const PINO_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const VARIABLES = {
  // ------------------------------------------------------------------ mode
  NODE_ENV: def(text(), {
    services: EVERYONE,
    group: 'mode',
    example: 'development',
    description:
      'development or test: the emulator defaults; anything else (unset included) is production',
  }),

  // ------------------------------------------------------------------ every service
  PRINCIPAL_SECRET: def(signingSecret(), {
    default: 'dev-only-principal-secret-change-me',
    production: 'required',
    services: [...SERVICES, 'bench'],
    group: 'services',
    description:
      'Shared secret that signs the gateway → subgraph principal (≥ 32 bytes, never a published value, in production and whenever a service listens beyond loopback)',
  }),
  HOST: def(host(), {
    default: '127.0.0.1',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Interface the subgraphs listen on (0.0.0.0 in containers; blank = loopback)',
  }),
  GATEWAY_HOST: def(host(), {
    default: '127.0.0.1',
    services: ['gateway'],
    group: 'services',
    description: 'Interface the gateway listens on (blank = loopback, never every interface)',
  }),
  GATEWAY_PORT: def(port(), {
    services: ['gateway', 'scripts'],
    group: 'services',
    example: '4000',
    description: 'Port of the gateway (unset: PORT)',
  }),
  PORT: def(port(), {
    default: '4000',
    services: ['gateway', 'scripts'],
    group: 'services',
    example: false,
    description:
      "The hosting platform's conventional port, honoured by the gateway when GATEWAY_PORT is unset (not an app setting)",
  }),
  CUSTOMER_PORT: def(port(), {
    default: '4001',
    services: ['customer', 'scripts'],
    group: 'services',
    description: 'Port of the customer subgraph',
  }),
  CASE_PORT: def(port(), {
    default: '4002',
    services: ['case', 'scripts'],
    group: 'services',
    description: 'Port of the case subgraph',
  }),
  COMMERCE_PORT: def(port(), {
    default: '4003',
    services: ['commerce', 'scripts'],
    group: 'services',
    description: 'Port of the commerce subgraph',
  }),
  SESSION_PORT: def(port(), {
    default: '4004',
    services: ['session', 'scripts'],
    group: 'services',
    description: 'Port of the session subgraph',
  }),
  REDIS_URL: def(redisUrl(), {
    services: SERVICES,
    group: 'services',
    description:
      'Shared state for several replicas (tokens and logouts, limits, APQ, idempotency locks); unset = in memory',
  }),
  READ_CACHE: def(oneOf(['auto', 'memory', 'redis', 'off'] as const), {
    default: 'auto',
    services: ['customer', 'case', 'commerce', 'session'],
    group: 'services',
    description:
      'Cache of Salesforce reads below authorization (lib/read-cache): auto = on Redis with REDIS_URL, else in memory; redis without REDIS_URL = memory; off = every read goes to Salesforce',
  }),
  READ_CACHE_MAX_ENTRIES: def(int({ min: 1 }), {
    default: '10000',
    services: ['customer', 'case', 'commerce', 'session'],
    group: 'services',
    description: 'Entries the in-memory read cache keeps (least recently used dropped first)',
  }),
  READ_CACHE_TTL_CRM_MS: def(int({ min: 0 }), {
    default: '300000',
    services: ['case', 'session'],
    group: 'services',
    description:
      "Backstop TTL of cached CRM reads (cases, comments, contacts, the identity account's User; change events and graph writes invalidate them sooner); 0 = not cached",
  }),
  READ_CACHE_TTL_IDENTITY_MS: def(int({ min: 0 }), {
    default: '600000',
    services: ['customer'],
    group: 'services',
    description:
      'TTL of cached Data Cloud identity and contact-point reads (data graph, unified individual); 0 = not cached',
  }),
  READ_CACHE_TTL_INSIGHTS_MS: def(int({ min: 0 }), {
    default: '60000',
    services: ['customer'],
    group: 'services',
    description: 'TTL of cached Data Cloud calculated insights; 0 = not cached',
  }),
  READ_CACHE_TTL_SEGMENTS_MS: def(int({ min: 0 }), {
    default: '120000',
    services: ['customer'],
    group: 'services',
    description: 'TTL of cached Data Cloud segment memberships and segment lists; 0 = not cached',
  }),
  READ_CACHE_TTL_BASKET_MS: def(int({ min: 0 }), {
    default: '30000',
    services: ['commerce'],
    group: 'services',
    description:
      "TTL of cached SCAPI baskets, orders and customers (per shopper; the graph's cart and checkout writes invalidate them); 0 = not cached",
  }),
  READ_CACHE_TTL_PRODUCT_MS: def(int({ min: 0 }), {
    default: '300000',
    services: ['commerce'],
    group: 'services',
    description:
      'TTL of cached SCAPI products and product searches (the catalogue); 0 = not cached',
  }),
  READ_CACHE_STALE_MAX_MS: def(int({ min: 0 }), {
    default: '3600000',
    services: ['customer', 'case', 'commerce', 'session'],
    group: 'services',
    description:
      "How long past its TTL a cached read may still be served while the org's API allowance is below READ_CACHE_API_FLOOR_PERCENT (ms)",
  }),
  READ_CACHE_API_FLOOR_PERCENT: def(int({ min: 0, max: 100 }), {
    default: '5',
    services: ['customer', 'case', 'commerce', 'session'],
    group: 'services',
    description:
      "Below this share of the org's daily API allowance left (Sforce-Limit-Info): serve cached reads past their TTL (extensions.staleReads) and refuse reads not in the cache (RATE_LIMITED); 0 = never",
  }),
  SHUTDOWN_DELAY_MS: def(int(), {
    default: '0',
    production: { default: '5000' },
    services: [...SERVICES, 'scripts'],
    group: 'services',
    description:
      'Graceful shutdown, first phase: on SIGTERM /readyz answers 503 while requests are still served for this long (ms), so load balancers stop sending before the listener closes (production: 5000 unless set)',
  }),
  REDIS_COMMAND_TIMEOUT_MS: def(int({ min: 10, max: 60_000 }), {
    default: '500',
    services: SERVICES,
    group: 'services',
    description:
      'A Redis command not answered in this long fails (ms); with no offline queue, Redis down fails at once and each user falls back (README.md, "Operating it": Redis is a helper)',
  }),
  IDEMPOTENCY_UNKNOWN_OUTCOME_MS: def(int({ min: 1000, max: 86_400_000 }), {
    default: '60000',
    services: ['case', 'commerce'],
    group: 'services',
    description:
      'A keyed write (createCase, addCaseComment, addCartItem, checkout) that reached Salesforce and got no answer: retries with its key answer IDEMPOTENCY_KEY_IN_USE until its result is found or this long has passed (ms)',
  }),
  SHUTDOWN_TIMEOUT_MS: def(int(), {
    default: '10000',
    services: [...SERVICES, 'emulator', 'scripts'],
    group: 'services',
    description:
      'Graceful shutdown, second phase: the listener closes, WebSockets get 1001 and streams end; what is still open after this long (ms) is cut and the process exits',
  }),
  HTTP_REQUEST_TIMEOUT_MS: def(int(), {
    default: '30000',
    services: SERVICES,
    group: 'services',
    description: 'Slow clients: the whole request (ms; 0 = none)',
  }),
  HTTP_HEADERS_TIMEOUT_MS: def(int(), {
    default: '10000',
    services: SERVICES,
    group: 'services',
    description: 'Slow clients: the headers (ms)',
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: def(int(), {
    default: '5000',
    services: SERVICES,
    group: 'services',
    description: 'An idle kept-alive socket is closed after this (ms)',
  }),
  LOG_LEVEL: def(oneOf(PINO_LEVELS), {
    default: 'info',
    services: EVERYONE,
    group: 'services',
    description: `pino log level: ${PINO_LEVELS.join(', ')}`,
  }),
  METRICS_TOKEN: def(text(), {
    services: SERVICES,
    group: 'services',
    description:
      'Bearer token GET /metrics requires (Prometheus `authorization`); unset: /metrics answers loopback clients only',
  }),
  OTEL_TRACES_EXPORTER: def(text(), {
    services: SERVICES,
    group: 'services',
    description: 'OpenTelemetry: otlp turns the OTLP/HTTP trace exporter on',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: def(text(), {
    services: SERVICES,
    group: 'services',
    description: 'OpenTelemetry: OTLP/HTTP endpoint of a collector (set: traces on)',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: def(text(), {
    services: SERVICES,
    group: 'services',
    description: 'OpenTelemetry: OTLP/HTTP traces endpoint (set: traces on)',
  }),
  OTEL_SDK_DISABLED: def(bool(), {
    services: SERVICES,
    group: 'services',
    description: 'OpenTelemetry: true turns tracing off whatever else is set',
  }),
  OTEL_SERVICE_NAME: def(text(), {
    services: SERVICES,
    group: 'services',
    description: "OpenTelemetry: the service name on traces (default: the service's own)",
  }),

  // ------------------------------------------------------------------ gateway
  CUSTOMER_SUBGRAPH_URL: def(url(), {
    default: 'http://127.0.0.1:4001/graphql',
    production: 'required',
    services: ['gateway', 'scripts'],
    group: 'gateway',
    description: 'The customer subgraph, as the gateway reaches it',
  }),
  CASE_SUBGRAPH_URL: def(url(), {
    default: 'http://127.0.0.1:4002/graphql',
    production: 'required',
    services: ['gateway', 'scripts'],
    group: 'gateway',
    description: 'The case subgraph, as the gateway reaches it',
  }),
  COMMERCE_SUBGRAPH_URL: def(url(), {
    default: 'http://127.0.0.1:4003/graphql',
    production: 'required',
    services: ['gateway', 'scripts'],
    group: 'gateway',
    description: 'The commerce subgraph, as the gateway reaches it',
  }),
  SESSION_SUBGRAPH_URL: def(url(), {
    default: 'http://127.0.0.1:4004/graphql',
    production: 'required',
    services: ['gateway', 'scripts'],
    group: 'gateway',
    description: 'The session subgraph, as the gateway reaches it',
  }),
  SUBGRAPH_TIMEOUT_MS: def(int({ min: 1 }), {
    default: '5000',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Longest wait for one subgraph fetch (ms); must be below REQUEST_DEADLINE_MS, so a hung subgraph costs a partial answer, not the whole deadline',
  }),
  SUBGRAPH_TIMEOUTS_MS: def(msByName(SUBGRAPHS), {
    default: '',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Per-subgraph overrides of SUBGRAPH_TIMEOUT_MS, as name=ms pairs (e.g. customer=3000,case=6000); each must be below REQUEST_DEADLINE_MS and above SUBGRAPH_SLOW_CALL_MS; unnamed subgraphs keep SUBGRAPH_TIMEOUT_MS',
  }),
  SUBGRAPH_SLOW_CALL_MS: def(int(), {
    default: '0',
    production: { default: '2000' },
    services: ['gateway'],
    group: 'gateway',
    description:
      "A subgraph fetch still running after this long (ms) counts against that subgraph's circuit breaker like a failure, when it crosses the line (5 such in 10 s, half the fetches, open it); 0 = off; must be below SUBGRAPH_TIMEOUT_MS (production: 2000 unless set)",
  }),
  SUBGRAPH_MAX_SOCKETS: def(int({ min: 1 }), {
    default: '128',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Keep-alive sockets the gateway holds open to each subgraph; more concurrent fetches wait for one',
  }),
  REQUEST_DEADLINE_MS: def(int({ min: 1 }), {
    default: '8000',
    services: ['gateway'],
    group: 'gateway',
    description:
      'One deadline per request (ms), sent to subgraphs as x-c360-deadline: no subgraph fetch or Salesforce call outlives it; above SUBGRAPH_TIMEOUT_MS',
  }),
  IDENTITY_INTROSPECT_CLIENT_ID: def(text(), {
    default: DEMO_CLIENT_ID,
    production: 'required',
    services: ['gateway'],
    group: 'gateway',
    description:
      'The confidential connected app the gateway introspects tokens with (needs "introspect all tokens")',
  }),
  IDENTITY_INTROSPECT_CLIENT_SECRET: def(text(), {
    default: DEMO_CLIENT_SECRET,
    production: 'required',
    services: ['gateway'],
    group: 'gateway',
    description: "That connected app's secret",
  }),
  IDENTITY_TIMEOUT_MS: def(int(), {
    default: '5000',
    services: ['gateway'],
    group: 'gateway',
    description: 'Headless Identity timeout for token validation (ms)',
  }),
  AGENT_CLIENT_IDS: def(list(), {
    default: DEMO_CLIENT_ID,
    production: { default: '' },
    services: ['gateway'],
    group: 'gateway',
    description:
      'OAuth client ids whose tokens act as agents (comma-separated; production: none unless set)',
  }),
  IDENTITY_ATTR_CONTACT_ID: def(apiName(), {
    default: 'contactId',
    services: ['gateway'],
    group: 'gateway',
    description: "The connected app's custom attribute carrying a citizen's Contact id",
  }),
  IDENTITY_ATTR_UNIFIED_ID: def(apiName(), {
    default: 'unifiedIndividualId',
    services: ['gateway'],
    group: 'gateway',
    description: "… a citizen's unified individual id",
  }),
  IDENTITY_ATTR_COMMERCE_CUSTOMER_ID: def(apiName(), {
    default: 'commerceCustomerId',
    services: ['gateway'],
    group: 'gateway',
    description: "… a citizen's B2C Commerce customer id",
  }),
  IDENTITY_ATTR_COMMERCE_LOGIN: def(apiName(), {
    default: 'commerceLogin',
    services: ['gateway'],
    group: 'gateway',
    description: "… a citizen's B2C Commerce login",
  }),
  IDENTITY_ATTR_IS_AGENT: def(apiName(), {
    default: 'isAgent',
    services: ['gateway'],
    group: 'gateway',
    description: '… the agent flag',
  }),
  TOKEN_CACHE_SIZE: def(int(), {
    default: '10000',
    services: ['gateway'],
    group: 'gateway',
    description: 'Validated tokens kept (LRU)',
  }),
  TOKEN_CACHE_MAX_SECONDS: def(int(), {
    default: '60',
    services: ['gateway'],
    group: 'gateway',
    description: 'Longest time a validated token is trusted without asking Identity again (s)',
  }),
  TRUST_PROXY: def(trustProxy(), {
    default: 'false',
    services: ['gateway'],
    group: 'gateway',
    description: 'express "trust proxy": false (socket address), loopback, subnets, or a hop count',
  }),
  CORS_ORIGINS: def(list({ trimSlash: true }), {
    default: '',
    services: ['gateway'],
    group: 'gateway',
    description: 'Browser origins allowed to call the gateway (comma-separated); none by default',
  }),
  GRAPHQL_INTROSPECTION: def(bool(), {
    default: 'true',
    production: { default: 'false' },
    services: ['gateway'],
    group: 'gateway',
    description: 'Schema introspection (production: off unless set)',
  }),
  APOLLO_TELEMETRY_ENABLED: def(bool(), {
    default: 'false',
    services: ['gateway'],
    group: 'gateway',
    description:
      '@apollo/gateway usage telemetry to Apollo (off: the product opens no connection but its upstreams)',
  }),
  TRUSTED_DOCUMENTS_ONLY: def(bool(), {
    default: 'false',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Only persisted documents run (recommended in production; others get 400 PERSISTED_QUERY_REQUIRED)',
  }),
  PERSISTED_DOCUMENTS_PATHS: def(list(), {
    default: '',
    services: ['gateway'],
    group: 'gateway',
    description: 'The codegen manifests (comma-separated; blank = gql/persisted-documents.json)',
  }),
  MAX_QUERY_DEPTH: def(int(), {
    default: '12',
    services: ['gateway'],
    group: 'gateway',
    description: 'Deepest selection an operation may have',
  }),
  MAX_QUERY_ALIASES: def(int(), {
    default: '15',
    services: ['gateway'],
    group: 'gateway',
    description: 'Aliases an operation may use',
  }),
  MAX_QUERY_TOKENS: def(int(), {
    default: '2000',
    services: ['gateway'],
    group: 'gateway',
    description: 'Tokens a document may have',
  }),
  MAX_UPSTREAM_CALLS: def(int(), {
    default: '600',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce API calls one operation may cost',
  }),
  UPSTREAM_CALLS_PER_MINUTE_CITIZEN: def(int(), {
    default: '300',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce calls a citizen may spend per minute',
  }),
  UPSTREAM_CALLS_PER_MINUTE_AGENT: def(int(), {
    default: '3000',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce calls an agent client may spend per minute',
  }),
  UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: def(int(), {
    default: '120',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce calls one anonymous address may spend per minute',
  }),
  MAX_BODY_BYTES: def(int(), {
    default: '100000',
    services: ['gateway'],
    group: 'gateway',
    description: 'Largest request body (bytes)',
  }),
  SUBSCRIPTIONS_PER_CONNECTION: def(int({ min: 1 }), {
    default: '20',
    services: ['gateway'],
    group: 'gateway',
    description: 'Live subscriptions one WebSocket connection may hold at once',
  }),
  SUBSCRIPTIONS_PER_PRINCIPAL: def(int({ min: 1 }), {
    default: '50',
    services: ['gateway'],
    group: 'gateway',
    description: 'Live subscriptions one principal may hold at once',
  }),
  MAX_QUERY_SELECTIONS: def(int({ min: 1 }), {
    default: '2000',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Field selections an operation may have once every fragment spread is expanded (checked before any walk, @defer expansion or plan)',
  }),
  MAX_QUERY_FIELDS_PER_SET: def(int({ min: 1 }), {
    default: '200',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Fields one selection set may hold once its fragments (spread or inline) are merged into it: validation compares them pairwise (OverlappingFieldsCanBeMerged), so a flood of repeated fields is refused before it',
  }),
  MCP_ENABLED: def(bool(), {
    default: 'true',
    services: ['gateway'],
    group: 'gateway',
    description: 'Serve the MCP server at /mcp and its RFC 9728 protected-resource metadata',
  }),
  MCP_CLIENT_IDS: def(list(), {
    default: '3MVG9C360CitizenPortalDemoKey,' + DEMO_CLIENT_ID,
    production: { default: '' },
    services: ['gateway'],
    group: 'gateway',
    description:
      "The MCP audience: connected apps (introspection's client_id) whose tokens may call /mcp (comma-separated; production: none unless set)",
  }),
  MCP_RESOURCE_URL: def(url(), {
    services: ['gateway'],
    group: 'gateway',
    description:
      'Public URL of /mcp, the resource of its protected-resource metadata (unset: from the request; set it behind a proxy)',
  }),
  MCP_UPSTREAM_CALLS_PER_MINUTE_CITIZEN: def(int({ min: 1 }), {
    default: '120',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce calls MCP tools may spend per minute for one citizen',
  }),
  MCP_UPSTREAM_CALLS_PER_MINUTE_AGENT: def(int({ min: 1 }), {
    default: '1200',
    services: ['gateway'],
    group: 'gateway',
    description: 'Estimated Salesforce calls MCP tools may spend per minute for one agent',
  }),
  MCP_MAX_ARGUMENT_BYTES: def(int({ min: 256 }), {
    default: '8192',
    services: ['gateway'],
    group: 'gateway',
    description: 'Largest MCP tool-call arguments, as JSON bytes',
  }),
  SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: def(int({ min: 1 }), {
    default: '20',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Open WebSocket, SSE and multipart subscription connections one client address may hold',
  }),
  SUBSCRIPTION_IDLE_TIMEOUT_MS: def(int({ min: 100 }), {
    default: '60000',
    services: ['gateway'],
    group: 'gateway',
    description: 'A WebSocket holding no subscription this long is closed with 4408 (ms)',
  }),
  SUBSCRIPTION_INIT_TIMEOUT_MS: def(int({ min: 100 }), {
    default: '3000',
    services: ['gateway'],
    group: 'gateway',
    description: 'A WebSocket that has not sent connection_init this long is closed with 4408 (ms)',
  }),
  TOKEN_REFUSED_CACHE_SECONDS: def(int({ min: 1 }), {
    default: '300',
    services: ['gateway'],
    group: 'gateway',
    description:
      'A refused bearer token is remembered (by its hash) this long, so it costs no second validation (s)',
  }),
  TOKEN_VALIDATIONS_PER_MINUTE_PER_ADDRESS: def(int({ min: 1 }), {
    default: '30',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Refused bearer-token validations one client address may cause per minute (then 429)',
  }),
  SUBGRAPH_PRINCIPAL_TTL_SECONDS: def(int({ min: 1, max: 60 }), {
    default: '5',
    services: ['gateway'],
    group: 'gateway',
    description:
      'Life of the signed principal the gateway sends with one subgraph fetch (bound to the subgraph and the body) (s)',
  }),
  SUBGRAPH_MAX_BODY_BYTES: def(int({ min: 1 }), {
    default: '512000',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Largest request body a subgraph reads (bytes; 413 above)',
  }),
  SUBGRAPH_MAX_TOKENS: def(int({ min: 1 }), {
    default: '4000',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Tokens a document sent to a subgraph may have',
  }),
  SUBGRAPH_MAX_DEPTH: def(int({ min: 1 }), {
    default: '16',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Deepest selection a document sent to a subgraph may have',
  }),
  SUBGRAPH_MAX_ALIASES: def(int(), {
    default: '30',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Aliases a document sent to a subgraph may use',
  }),
  SUBGRAPH_MAX_FIELDS_PER_SET: def(int({ min: 1 }), {
    default: '400',
    services: SUBGRAPHS,
    group: 'services',
    description:
      'Fields one selection set of a document sent to a subgraph may hold once its fragments are merged into it (checked before validation, which compares them pairwise)',
  }),
  SUBGRAPH_MAX_ENTITIES: def(int({ min: 1 }), {
    default: '500',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Entity representations one _entities request may ask a subgraph for',
  }),
  SUBGRAPH_MAX_ENTITIES_ANONYMOUS: def(int(), {
    default: '24',
    services: SUBGRAPHS,
    group: 'services',
    description: 'Entity representations one anonymous _entities request may ask for',
  }),
  SUBSCRIPTION_RECHECK_MS: def(int({ min: 100 }), {
    default: '30000',
    services: ['gateway'],
    group: 'gateway',
    description: 'How often a live subscription re-checks its token (ms)',
  }),
  CATALOGUE_CACHE_MAX_AGE_SECONDS: def(int({ min: 0, max: 86_400 }), {
    default: '60',
    services: ['gateway'],
    group: 'gateway',
    description:
      'An anonymous GET query of the public catalogue only (product, products, productSearch) answers Cache-Control: public, max-age=this (a CDN may keep it); 0: every answer is private, no-store',
  }),

  // ------------------------------------------------------------------ CRM
  CRM_LOGIN_URL: def(url(), {
    default: `${EMULATOR}/crm`,
    production: 'required',
    services: CRM_READERS,
    group: 'crm',
    description:
      'Core org login host (My Domain) for client credentials; REST calls use the returned instance_url',
  }),
  CRM_CLIENT_ID: def(text(), {
    default: DEMO_CLIENT_ID,
    production: 'required',
    services: CRM_READERS,
    group: 'crm',
    description: "The integration connected app's consumer key",
  }),
  CRM_CLIENT_SECRET: def(text(), {
    default: DEMO_CLIENT_SECRET,
    production: 'required',
    services: CRM_READERS,
    group: 'crm',
    description: "The integration connected app's consumer secret",
  }),
  CRM_API_VERSION: def(apiVersion(), {
    default: '62.0',
    services: CRM_READERS,
    group: 'crm',
    description: 'REST API version (62.0 and v62.0 both work)',
  }),
  CRM_SESSION_TTL_SECONDS: def(int({ min: 60 }), {
    default: '7200',
    services: CRM_READERS,
    group: 'crm',
    description: "The org's session timeout (s): client-credentials tokens carry no expires_in",
  }),
  UPSTREAM_SLOW_CALL_MS: def(int(), {
    default: '0',
    production: { default: '3000' },
    services: SUBGRAPHS,
    group: 'crm',
    description:
      "A Salesforce call still running after this long (ms) counts against its family's circuit breaker like a failure (20 such in 10 s, half the calls, open it); 0 = off (production: 3000 unless set)",
  }),
  MAX_REQUEST_DEADLINE_MS: def(int({ min: 1 }), {
    default: '30000',
    services: SUBGRAPHS,
    group: 'crm',
    description:
      "The longest (ms) any request may keep this subgraph's Salesforce calls going, whatever the caller's x-c360-deadline says (the gateway's deadline is only ever a bound below it)",
  }),
  UPSTREAM_TIMEOUT_MS: def(int({ min: 1 }), {
    default: '5000',
    services: SUBGRAPHS,
    group: 'crm',
    description:
      "Timeout of the subgraphs' Salesforce calls (ms); per subgraph below (blank = this)",
  }),
  CRM_TIMEOUT_MS: def(int({ min: 1 }), {
    services: ['case'],
    group: 'crm',
    description: "The case subgraph's CRM calls (ms; unset: UPSTREAM_TIMEOUT_MS)",
  }),

  // ------------------------------------------------------------------ Data Cloud (customer)
  DATA_CLOUD_TENANT_URL: def(urlOrNull(), {
    default: `${EMULATOR}/datacloud`,
    production: { default: null },
    services: ['customer', 'scripts'],
    group: 'datacloud',
    description:
      'Data Cloud tenant endpoint. Blank (and production unless set) = https://{instance_url} from the token exchange, as real orgs need',
  }),
  DATA_CLOUD_RULESET_SUFFIX: def(matching(/^[A-Za-z0-9_]+$/, 'letters, digits or _'), {
    default: 'Ir1',
    services: ['customer'],
    group: 'datacloud',
    description:
      'Identity-resolution ruleset id in the Unified* DMO names (UnifiedssotIndividual{suffix}__dlm, …)',
  }),
  DATA_CLOUD_CALCULATED_INSIGHT: def(apiName(), {
    default: 'Citizen_Engagement__cio',
    services: ['customer'],
    group: 'datacloud',
    description:
      'Calculated insight with LifetimeValue__c, EngagementScore__c, BenefitEligibility__c',
  }),
  DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE: def(apiName(), {
    services: ['customer'],
    group: 'datacloud',
    description:
      'Latest segment membership DMO read for Citizen.segments (unset: UnifiedssotIndividual{suffix}_SM__dlm)',
  }),
  DATA_CLOUD_CRM_SOURCE_ID: def(text(), {
    default: 'Salesforce_CRM',
    services: ['customer'],
    group: 'datacloud',
    description: 'Data source of CRM Contacts (ssot__DataSourceId__c)',
  }),
  DATA_CLOUD_CRM_SOURCE_OBJECT: def(text(), {
    default: 'Contact',
    services: ['customer'],
    group: 'datacloud',
    description: 'Its object (ssot__DataSourceObjectId__c)',
  }),
  DATA_CLOUD_COMMERCE_SOURCE_ID: def(text(), {
    default: 'SFCC_CityServices',
    services: ['customer'],
    group: 'datacloud',
    description: 'Data source of B2C Commerce customers',
  }),
  DATA_CLOUD_COMMERCE_SOURCE_OBJECT: def(text(), {
    default: 'Customer',
    services: ['customer'],
    group: 'datacloud',
    description: 'Its object',
  }),
  DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE: def(text(), {
    default: 'CommerceLogin',
    services: ['customer'],
    group: 'datacloud',
    description: 'ssot__PartyIdentificationTypeId__c of the Commerce login party identification',
  }),
  CUSTOMER_UPSTREAM_TIMEOUT_MS: def(int({ min: 1 }), {
    services: ['customer'],
    group: 'datacloud',
    description: "The customer subgraph's Salesforce calls (ms; unset: UPSTREAM_TIMEOUT_MS)",
  }),
  CUSTOMER_AUTH_TIMEOUT_MS: def(int({ min: 1 }), {
    default: '10000',
    services: ['customer'],
    group: 'datacloud',
    description: 'The token exchange and OAuth calls (ms)',
  }),
  DATA_CLOUD_DATA_GRAPH: def(apiNameOrNull(), {
    default: 'Citizen_360',
    production: { default: null },
    services: ['customer', 'scripts'],
    group: 'datacloud',
    description:
      'Data graph a single citizen is read from (Data Graph API, one pre-joined call; docs/real-org.md names its shape). Blank (and production unless set): every read goes through the Query API',
  }),
  DATA_CLOUD_MAX_CONCURRENCY: def(int({ min: 1 }), {
    default: '10',
    services: ['customer'],
    group: 'datacloud',
    description:
      "Data Cloud tenant-endpoint calls (Query + Data Graph API) in progress at once per customer process; the org's documented 15 concurrent Query API requests are shared by every replica and client",
  }),
  DATA_CLOUD_THROTTLE_COOLDOWN_MS: def(int(), {
    default: '5000',
    services: ['customer'],
    group: 'datacloud',
    description:
      'After Data Cloud answers 429, how long (ms, at least; longer when it sends Retry-After) the customer subgraph sends nothing more to that API and answers RATE_LIMITED',
  }),
  SEGMENT_LIST_TTL_MS: def(int(), {
    default: '60000',
    services: ['customer'],
    group: 'datacloud',
    description:
      'How long the customer subgraph reuses the Data Cloud segment list (ms; 0 = per request)',
  }),

  // ------------------------------------------------------------------ B2C Commerce
  SCAPI_BASE_URL: def(url(), {
    default: `${EMULATOR}/scapi`,
    production: 'required',
    services: ['commerce', 'scripts'],
    group: 'commerce',
    description: 'SCAPI base URL',
  }),
  SCAPI_ORGANIZATION_ID: def(text(), {
    default: 'f_ecom_zzxy_prd',
    production: 'required',
    services: ['commerce'],
    group: 'commerce',
    description: 'Organization id (f_ecom_{realm}_{instance})',
  }),
  SCAPI_SITE_ID: def(text(), {
    default: 'CityServices',
    production: 'required',
    services: ['commerce'],
    group: 'commerce',
    description: "Site id, in the SLAS client's channels",
  }),
  SCAPI_CLIENT_ID: def(text(), {
    default: DEMO_CLIENT_ID,
    production: 'required',
    services: ['commerce'],
    group: 'commerce',
    description: 'SLAS private client id',
  }),
  SCAPI_CLIENT_SECRET: def(text(), {
    default: DEMO_CLIENT_SECRET,
    production: 'required',
    services: ['commerce'],
    group: 'commerce',
    description: 'SLAS private client secret',
  }),
  SCAPI_SHIPPING_METHOD_ID: def(text(), {
    services: ['commerce'],
    group: 'commerce',
    description:
      "The shipping method checkout sets on the basket's shipment (a Business Manager shipping method id); unset: the shipment's defaultShippingMethodId from getShippingMethodsForShipment",
  }),
  SCAPI_PAYMENT_METHOD_ID: def(textOrNone(), {
    default: 'CREDIT_CARD',
    services: ['commerce'],
    group: 'commerce',
    description:
      "The payment method checkout's card payment uses when the request names none (a Business Manager payment method id, active on the site); blank: the basket's first applicable method taking the card's type (getPaymentMethodsForBasket)",
  }),
  SCAPI_SHOPPER_TOKEN_CACHE_SIZE: def(int({ min: 1 }), {
    default: '10000',
    services: ['commerce'],
    group: 'commerce',
    description: 'Shopper tokens kept (LRU)',
  }),
  SCAPI_TSOB_WINDOW_MS: def(int(), {
    default: '3000',
    services: ['commerce'],
    group: 'commerce',
    description:
      'SLAS TSOB service window: never two trusted-system logins for one shopper inside it (409)',
  }),
  SCAPI_ATTR_CHECKOUT_RECORD: def(customAttributeName(), {
    default: 'c_idempotencyKey',
    services: ['commerce'],
    group: 'commerce',
    description: "Custom attribute (Basket and Order) holding the checkout's idempotency record",
  }),
  SCAPI_ATTR_LINE_RECORDS: def(customAttributeName(), {
    default: 'c_idempotencyKey',
    services: ['commerce'],
    group: 'commerce',
    description: "Custom attribute (ProductLineItem) holding the cart line's idempotency records",
  }),
  SCAPI_PER_CUSTOMER_CONCURRENCY: def(int({ min: 1 }), {
    default: '100',
    services: ['commerce'],
    group: 'commerce',
    description: 'Concurrent per-customer SCAPI calls of one request',
  }),
  COMMERCE_UPSTREAM_TIMEOUT_MS: def(int({ min: 1 }), {
    services: ['commerce'],
    group: 'commerce',
    description: "The commerce subgraph's SCAPI calls (ms; unset: UPSTREAM_TIMEOUT_MS)",
  }),

  // ------------------------------------------------------------------ Identity (gateway, session)
  IDENTITY_SITE_URL: def(url(), {
    default: `${EMULATOR}/identity`,
    production: 'required',
    services: ['gateway', 'session', 'scripts'],
    group: 'identity',
    description:
      'Experience Cloud site URL (Headless Identity host): login, userinfo, introspection',
  }),
  IDENTITY_CLIENT_ID: def(text(), {
    default: '3MVG9C360CitizenPortalDemoKey',
    production: 'required',
    services: ['session'],
    group: 'identity',
    description: "The portal's public connected app (headless login with PKCE)",
  }),
  IDENTITY_REDIRECT_URI: def(url(), {
    default: 'http://localhost:4000/callback',
    production: 'required',
    services: ['session'],
    group: 'identity',
    description: "That connected app's callback URL, exactly as registered",
  }),
  IDENTITY_HEADLESS_PROTECTION: def(oneOf(['integration-token', 'recaptcha'] as const), {
    default: 'integration-token',
    production: 'required',
    services: ['session', 'scripts'],
    group: 'identity',
    description:
      "What the site's Headless Registration and Forgot Password demand (NetworkAuthApiSettings): integration-token — the integration user's client-credentials token (CRM_CLIENT_ID, scopes user_registration_api and forgot_password) as Authorization: Bearer (DoesRegistrationRequireAuth, DoesForgotPasswordRequireAuth); recaptcha — the browser's reCAPTCHA token passed through from the GraphQL argument (IsRecaptchaRequiredRgstr, IsRecaptchaRequiredForgotPwd)",
  }),
  IDENTITY_SESSION_TTL_SECONDS: def(int({ min: 60 }), {
    default: '7200',
    services: ['session'],
    group: 'identity',
    description: "The portal's session lifetime (s)",
  }),
  SESSION_UPSTREAM_TIMEOUT_MS: def(int({ min: 1 }), {
    services: ['session'],
    group: 'identity',
    description: "The session subgraph's Salesforce calls (ms; unset: UPSTREAM_TIMEOUT_MS)",
  }),
  LOGIN_MAX_FAILURES_PER_USERNAME: def(int({ min: 1 }), {
    default: '5',
    services: ['session'],
    group: 'identity',
    description: 'Failed sign-ins per username and client address per window',
  }),
  LOGIN_MAX_FAILURES_PER_USERNAME_ALL_ADDRESSES: def(int({ min: 1 }), {
    default: '50',
    services: ['session'],
    group: 'identity',
    description:
      'Failed sign-ins per username from all addresses per window (LOGIN_MAX_FAILURES_PER_USERNAME counts per username and address)',
  }),
  REGISTRATION_ANSWER_MS: def(int(), {
    default: '1500',
    services: ['session'],
    group: 'identity',
    description:
      'startRegistration answers exactly this long after asking Salesforce, taken address or new (ms; hides the difference)',
  }),
  LOGIN_MAX_FAILURES_PER_ADDRESS: def(int({ min: 1 }), {
    default: '50',
    services: ['session'],
    group: 'identity',
    description: 'Failed sign-ins per client address per window',
  }),
  LOGIN_FAILURE_WINDOW_SECONDS: def(int({ min: 1 }), {
    default: '900',
    services: ['session'],
    group: 'identity',
    description: 'The sign-in failure window (s)',
  }),
  PASSCODE_MAILS_PER_USERNAME: def(int({ min: 1 }), {
    default: '3',
    services: ['session'],
    group: 'identity',
    description: 'Passcode mails per username per window',
  }),
  PASSCODE_MAILS_PER_ADDRESS: def(int({ min: 1 }), {
    default: '20',
    services: ['session'],
    group: 'identity',
    description: 'Passcode mails per client address per window',
  }),
  PASSCODE_WINDOW_SECONDS: def(int({ min: 1 }), {
    default: '3600',
    services: ['session'],
    group: 'identity',
    description: 'The passcode mail window (s)',
  }),
  PASSCODE_MAX_GUESSES: def(int({ min: 1 }), {
    default: '5',
    services: ['session'],
    group: 'identity',
    description: 'Guesses one passcode allows',
  }),

  // ------------------------------------------------------------------ case
  CASE_IDEMPOTENCY_KEY_FIELD: def(customFieldName('Idempotency_Key__c'), {
    default: 'Idempotency_Key__c',
    services: ['case'],
    group: 'case',
    description:
      'Case field: unique case-sensitive external id Text(80) of the idempotent createCase',
  }),
  CASE_IDEMPOTENCY_FINGERPRINT_FIELD: def(customFieldName('Idempotency_Fingerprint__c'), {
    default: 'Idempotency_Fingerprint__c',
    services: ['case'],
    group: 'case',
    description: 'Case field: Text(64), the fingerprint of the request that first used the key',
  }),
  CASE_ORIGIN: def(picklistValue(), {
    default: 'Web',
    services: ['case'],
    group: 'case',
    description:
      "Case.Origin value createCase writes: an active value of the org's Case Origin picklist (org:check reads describe)",
  }),
  CASE_PRIORITY_VALUES: def(picklistValues(['HIGH', 'MEDIUM', 'LOW'] as const), {
    default: 'High,Medium,Low',
    services: ['case'],
    group: 'case',
    description:
      "Case.Priority values for the schema's HIGH, MEDIUM, LOW (in that order): active values of the org's Case Priority picklist",
  }),
  CASE_STATUS_VALUES: def(picklistValues(['NEW', 'WORKING', 'ESCALATED', 'CLOSED'] as const), {
    default: 'New,Working,Escalated,Closed',
    services: ['case'],
    group: 'case',
    description:
      "Case.Status values for the schema's NEW, WORKING, ESCALATED, CLOSED (in that order): read and filtered by, never written (the org's default applies on insert); other values read as WORKING",
  }),
  CASE_COMMENT_REQUEST_OBJECT: def(
    matching(
      /^[A-Za-z][A-Za-z0-9_]*__c$/,
      'a custom object API name such as Case_Comment_Request__c',
    ),
    {
      default: 'Case_Comment_Request__c',
      services: ['case', 'scripts'],
      group: 'case',
      description:
        'Custom object of the idempotent addCaseComment: Idempotency_Key__c (unique case-sensitive External ID, Text 80), Case__c (Lookup Case), Fingerprint__c (Text 64), Case_Comment_Id__c (Text 18)',
    },
  ),
  PUBSUB_URL: def(
    matching(/^[A-Za-z0-9.-]+:\d+$/, 'a host:port (e.g. api.pubsub.salesforce.com:7443)'),
    {
      default: '127.0.0.1:4011',
      production: 'required',
      services: ['case', 'customer', 'scripts'],
      group: 'case',
      description:
        "The Pub/Sub API host:port: api.pubsub.salesforce.com:7443 (or the org's regional endpoint, e.g. api.deu.pubsub.salesforce.com:7443); development: the emulator's EMULATOR_PUBSUB_PORT",
    },
  ),
  PUBSUB_CA_FILE: def(text(), {
    default: 'emulator/pubsub/test-certs/cert.pem',
    production: { default: null },
    services: ['case', 'customer', 'scripts'],
    group: 'case',
    description:
      "A PEM file of a CA the Pub/Sub client trusts besides the system roots (relative to the working directory); development default: the emulator's test certificate, so a case subgraph started alone reaches the emulator",
  }),
  PUBSUB_CASE_TOPIC: def(matching(/^\/data\/\w+$/, 'a /data/… channel'), {
    default: '/data/CaseChangeEvent',
    services: ['case'],
    group: 'case',
    description: 'The Case change event channel (Change Data Capture on Case)',
  }),
  PUBSUB_CASE_COMMENT_TOPIC: def(matching(/^\/event\/\w+__e$/, 'an /event/…__e channel'), {
    default: '/event/Case_Comment__e',
    services: ['case'],
    group: 'case',
    description: "The platform event the org's automation publishes for each new CaseComment",
  }),
  PUBSUB_CITIZEN_TOPIC: def(matching(/^\/event\/\w+__e$/, 'an /event/…__e channel'), {
    default: '/event/Citizen_Profile_Changed__e',
    services: ['customer', 'scripts'],
    group: 'case',
    description:
      "The platform event the org's Data Cloud-Triggered Flow (or Data Action) publishes when a unified citizen's profile or insight changes (UnifiedIndividualId__c, ChangeType__c, ChangedFields__c, ChangedAt__c): Subscription.citizenUpdated",
  }),
  PUBSUB_BATCH_SIZE: def(int({ min: 1, max: 100 }), {
    default: '100',
    services: ['case', 'customer'],
    group: 'case',
    description: 'Events asked for per FetchRequest',
  }),
  PUBSUB_RETRY_MS: def(int({ min: 1 }), {
    default: '500',
    services: ['case', 'customer'],
    group: 'case',
    description:
      'First wait before resubscribing after the stream fails (ms; doubles up to PUBSUB_RETRY_MAX_MS)',
  }),
  PUBSUB_RETRY_MAX_MS: def(int({ min: 1 }), {
    default: '5000',
    services: ['case', 'customer'],
    group: 'case',
    description: 'Longest wait before resubscribing after the stream fails (ms)',
  }),
  PUBSUB_LEASE_MS: def(int({ min: 100 }), {
    default: '10000',
    services: ['case', 'customer'],
    group: 'case',
    description:
      'With REDIS_URL: the lease (ms) of the one replica that consumes each topic, renewed every third of it; a dead holder is replaced after it',
  }),

  // ------------------------------------------------------------------ emulator
  EMULATOR_PORT: def(port(), {
    default: '4010',
    services: ['emulator', 'scripts'],
    group: 'emulator',
    description: "The emulator's HTTP port",
  }),
  EMULATOR_PUBSUB_PORT: def(port(), {
    services: ['emulator', 'scripts'],
    group: 'emulator',
    example: '',
    description:
      "The emulator's Pub/Sub API port (gRPC over TLS); unset: EMULATOR_PORT + 1 (4011), so a second stack on another EMULATOR_PORT does not collide",
  }),
  EMULATOR_HOST: def(host(), {
    default: '127.0.0.1',
    services: ['emulator'],
    group: 'emulator',
    description: 'Interface the emulator listens on',
  }),
  EMULATOR_PUBLIC_ORIGIN: def(url(), {
    services: ['emulator'],
    group: 'emulator',
    description:
      'The origin clients reach the emulator at, in the URLs it answers (unset: http://EMULATOR_HOST:EMULATOR_PORT)',
  }),
  EMULATOR_CITIZENS: def(int({ min: 1 }), {
    default: '3000',
    services: ['emulator'],
    group: 'emulator',
    description: 'Citizens seeded',
  }),
  EMULATOR_SEED: def(int(), {
    default: '360',
    services: ['emulator'],
    group: 'emulator',
    description: 'Seed of the generated world',
  }),
  EMULATOR_DAILY_API_LIMIT: def(int(), {
    default: '15000',
    services: ['emulator'],
    group: 'emulator',
    description: 'The daily API allowance the emulator reports and enforces',
  }),
  EMULATOR_DATA_CLOUD_QUERY_DAILY_LIMIT: def(int(), {
    // Data Cloud "API Limits for Profile, Query, and Calculated Insights", Enterprise edition:
    // https://developer.salesforce.com/docs/atlas.en-us.244.0.c360a_api.meta/c360a_api/c360a_api_limits.htm
    default: '1000',
    services: ['emulator'],
    group: 'emulator',
    description:
      'Query API (and Insights API) calls per UTC day the emulated Data Cloud accepts before answering 429 (documented: 1,000; 100 on a Developer org)',
  }),
  EMULATOR_DATA_CLOUD_PROFILE_DAILY_LIMIT: def(int(), {
    default: '50000',
    services: ['emulator'],
    group: 'emulator',
    description:
      'Profile API and Data Graph API calls per UTC day the emulated Data Cloud accepts before answering 429 (documented Profile API: 50,000 Enterprise, 10,000 Corporate)',
  }),
  EMULATOR_DATA_CLOUD_QUERY_CONCURRENCY: def(int(), {
    default: '15',
    services: ['emulator'],
    group: 'emulator',
    description:
      'Concurrent Query API requests the emulated Data Cloud accepts; above it, 429 (documented: 15)',
  }),
  EMULATOR_TEST_HOOKS: def(bool(), {
    default: 'true',
    production: { default: 'false' },
    services: ['emulator', 'scripts'],
    group: 'emulator',
    description:
      'Serve /__emulator (demo credentials, passcodes, faults): on in development, off otherwise unless set',
  }),

  // ------------------------------------------------------------------ bench
  BENCH_CITIZENS: def(int(), {
    default: '3000',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: citizens seeded (bench/README)',
  }),
  BENCH_ROUNDS: def(int(), {
    default: '3',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: rounds per gateway',
  }),
  BENCH_ROUND_SECONDS: def(int(), {
    default: '10',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: seconds per round',
  }),
  BENCH_CONNECTIONS: def(int(), {
    default: '20',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: concurrent connections',
  }),
  BENCH_WARMUP_SECONDS: def(int(), {
    default: '3',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: warm-up seconds',
  }),
  BENCH_MAX_REQUESTS: def(int(), {
    default: '20000',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: hard cap on requests per load phase',
  }),
  BENCH_LATENCY_SAMPLES: def(int(), {
    default: '15',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: latency samples',
  }),
  BENCH_PROFILE: def(bool(), {
    default: 'true',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: CPU profiles (0: off)',
  }),
  BENCH_PRIME: def(bool(), {
    default: 'true',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: send every citizen through once before measuring (0: off)',
  }),
  BENCH_TSX: def(bool(), {
    default: 'false',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: run the TypeScript through tsx instead of build/ (1: on)',
  }),
  BENCH_UNIFIED_TABLE: def(apiName(), {
    default: 'UnifiedssotIndividualIr1__dlm',
    services: ['bench'],
    group: 'bench',
    example: false,
    description: 'Benchmark: the unified individual DMO it reads citizen ids from',
  }),
} as const;

export type VarName = keyof typeof VARIABLES;
export type ValueOf<K extends VarName> =
  (typeof VARIABLES)[K] extends Var<infer T, infer Always>
    ? Always extends true
      ? T
      : T | undefined
    : never;

// ---------------------------------------------------------------------------------------------
// Reading.

export type Env = Readonly<Record<string, string | undefined>>;
export type Mode = 'development' | 'test' | 'production';

/**
 * This process's environment: the one place the product touches `process.env`. Services pass it
 * to their config loaders; tests pass records of their own.
 */
// The development npm scripts (npm start, start:gateway, start:subgraph, start:emulator) pass
// `--development`: the explicit statement that this process runs in development when NODE_ENV
// does not say otherwise. Nothing else makes a process development.
export const DEVELOPMENT_FLAG = '--development';
export const processEnv: Env =
  process.argv.includes(DEVELOPMENT_FLAG) && process.env.NODE_ENV === undefined
    ? { ...process.env, NODE_ENV: 'development' }
    : process.env;

/**
 * The mode of `env`: development and test only when NODE_ENV says so exactly; anything else is
 * production. A record that does not say (a test's config record) runs in the process's mode.
 */
export function modeOf(env: Env): Mode {
  const raw = (env.NODE_ENV !== undefined ? env.NODE_ENV : processEnv.NODE_ENV)?.trim();
  return raw === 'development' || raw === 'test' ? raw : 'production';
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost|::ffff:127(\.\d{1,3}){3})$/i;
/** An interface only this machine reaches. */
export const isLoopback = (address: string): boolean => LOOPBACK.test(address.trim());

export interface EnvReader {
  readonly mode: Mode;
  readonly production: boolean;
  /** The variable's value: parsed, defaulted per the mode, validated. */
  get<K extends VarName>(name: K): ValueOf<K>;
  /** Set to a non-blank value in the environment (not defaulted). */
  isSet(name: VarName): boolean;
}

function valueOf(env: Env, name: VarName, production: boolean): unknown {
  const spec = VARIABLES[name] as Var<unknown, boolean>;
  const raw = env[name];
  const trimmed = raw?.trim();
  const unset = trimmed === undefined || (trimmed === '' && !spec.kind.blankIsValue);
  const rule = spec.production;
  if (!unset) {
    if (production && rule === 'dev-only')
      throw new ConfigError(name, 'must not be set in production (it is for development only).');
    return spec.kind.parse(trimmed!, name, production);
  }
  if (production && rule === 'required') throw new MissingError(name);
  const fallback = production && typeof rule === 'object' ? rule.default : spec.default;
  if (fallback === null || fallback === undefined) return undefined;
  if (fallback === '' && !spec.kind.blankIsValue) return undefined;
  return spec.kind.parse(fallback, name, false);
}

class MissingError extends ConfigError {
  constructor(name: string) {
    super(name, 'must be set in production.');
  }
}

/** The variables `service` reads. */
export const variablesOf = (service: Service): VarName[] =>
  (Object.keys(VARIABLES) as VarName[]).filter((n) =>
    (VARIABLES[n].services as readonly Service[]).includes(service),
  );

/** What a production deployment of `service` must set. */
export const requiredInProduction = (service?: Service): VarName[] =>
  (Object.keys(VARIABLES) as VarName[]).filter(
    (n) =>
      VARIABLES[n].production === 'required' &&
      (!service || (VARIABLES[n].services as readonly Service[]).includes(service)),
  );

/**
 * Reads `env` through the registry. With `service`, every variable that service reads is
 * validated now, and a bad configuration is refused with ONE ConfigError naming every missing
 * variable and every unusable value; reading a variable not declared for the service is a bug.
 */
export function readEnv(env: Env, service?: Service): EnvReader {
  const mode = modeOf(env);
  const production = mode === 'production';
  if (service) {
    const missing: string[] = [];
    const problems: ConfigError[] = [];
    for (const name of variablesOf(service)) {
      try {
        valueOf(env, name, production);
      } catch (err) {
        if (err instanceof MissingError) missing.push(name);
        else if (err instanceof ConfigError) problems.push(err);
        else throw err;
      }
    }
    if (missing.length || problems.length) {
      const lines = problems.map((p) => p.message);
      if (missing.length)
        lines.unshift(
          `${missing.join(', ')} must be set in production (NODE_ENV is ${
            env.NODE_ENV === undefined ? 'unset' : `"${env.NODE_ENV}"`
          }, not development or test; docs/real-org.md lists every variable).`,
        );
      const names = [...missing, ...problems.map((p) => p.variable)];
      throw new ConfigError(names[0], lines.join('\n'), names);
    }
  }
  return {
    mode,
    production,
    get(name) {
      if (!(name in VARIABLES))
        throw new Error(`${name} is not declared in lib/config/registry.ts`);
      if (service && !(VARIABLES[name].services as readonly Service[]).includes(service))
        throw new Error(
          `${name} is read by ${service} but lib/config/registry.ts does not list ${service} among its services`,
        );
      return valueOf(env, name, production) as never;
    },
    isSet: (name) => !!env[name]?.trim(),
  };
}

/**
 * The emulator's Pub/Sub API port: EMULATOR_PUBSUB_PORT, else EMULATOR_PORT + 1 (EMULATOR_PORT 0,
 * any free port: 0 too), so the port follows EMULATOR_PORT and two stacks do not collide.
 */
export function emulatorPubSubPort(e: EnvReader): number {
  const port = e.get('EMULATOR_PORT');
  return e.get('EMULATOR_PUBSUB_PORT') ?? (port === 0 ? 0 : port + 1);
}

// ---------------------------------------------------------------------------------------------
// .env.example, printed from the table.

export function envExample(): string {
  const out: string[] = [
    '# Generated from lib/config/registry.ts by `npm run env:example` (test/env-example.test.ts keeps',
    '# it in step). Safe to load as-is (`cp .env.example .env`, `node --env-file=.env`): NODE_ENV is',
    '# development and every value is the default, the embedded emulator on 127.0.0.1:4010.',
    '# For a real org set NODE_ENV=production and every variable docs/real-org.md lists; in',
    '# production nothing falls back to the emulator and a missing variable stops the service.',
  ];
  for (const group of Object.keys(GROUPS) as Group[]) {
    const names = (Object.keys(VARIABLES) as VarName[]).filter(
      (n) => VARIABLES[n].group === group && VARIABLES[n].example !== false,
    );
    if (!names.length) continue;
    out.push('', `# ${GROUPS[group]}`);
    for (const n of names) {
      const spec = VARIABLES[n] as Var<unknown, boolean>;
      const rule =
        spec.production === 'required'
          ? ' [required in production]'
          : spec.production === 'dev-only'
            ? ' [development only]'
            : typeof spec.production === 'object'
              ? ` [production default: ${spec.production.default === null || spec.production.default === '' ? 'none' : spec.production.default}]`
              : '';
      const what = spec.kind.what === 'text' ? '' : ` (${spec.kind.what})`;
      out.push(`# ${spec.description}${what}${rule}`);
      out.push(`${n}=${spec.example ?? spec.default ?? ''}`);
    }
  }
  return out.join('\n') + '\n';
}

// The configuration registry (lib/config/registry.ts) is the one list of variables: .env.example
// is printed from it, every service reads through it, and its production rules fail closed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigError } from '../lib/config/registry.js';
import {
  envExample,
  modeOf,
  parseApiVersion,
  readEnv,
  requiredInProduction,
  VARIABLES,
  type Service,
  type VarName,
} from '../lib/config/registry.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { loadCaseConfig } from '../subgraphs/case/config.js';
import { loadCommerceConfig } from '../subgraphs/commerce/config.js';
import { loadCustomerConfig } from '../subgraphs/customer/config.js';
import { loadSessionConfig } from '../subgraphs/session/config.js';
import { startPlan } from '../scripts/start-plan.js';

const ROOT = join(__dirname, '..');
const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');

/** .env.example as a loader of `.env` files reads it (KEY=value lines; comments skipped). */
const exampleEnv = (): Record<string, string> =>
  Object.fromEntries([...EXAMPLE.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));

const LOADERS = {
  gateway: loadGatewayConfig,
  customer: loadCustomerConfig,
  case: loadCaseConfig,
  commerce: loadCommerceConfig,
  session: loadSessionConfig,
} as const;
const SERVICES = Object.keys(LOADERS) as Array<keyof typeof LOADERS>;

describe('.env.example', () => {
  test('is exactly what the registry prints (npm run env:example)', () => {
    expect(EXAMPLE).toBe(envExample());
  });

  test('lists every registry variable once, except those the registry leaves out', () => {
    const names = [...EXAMPLE.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(names.filter((v, i) => names.indexOf(v) !== i)).toEqual([]);
    const expected = (Object.keys(VARIABLES) as VarName[]).filter(
      (n) => VARIABLES[n].example !== false,
    );
    expect(names.sort()).toEqual(expected.sort());
  });

  test('is safe to load as-is: development mode, and every service gets its defaults', () => {
    const env = exampleEnv();
    expect(modeOf(env)).toBe('development');
    for (const s of SERVICES)
      expect([s, LOADERS[s](env)]).toEqual([s, LOADERS[s]({ NODE_ENV: 'development' })]);
  });

  test('loaded as .env, npm start still runs the emulator and points every upstream at it', () => {
    const env = exampleEnv();
    const plan = startPlan(env);
    expect(plan.useEmulator).toBe(true);
    expect(plan.emulatorHooks).toBe(true);
    expect(plan.upstreamLine).toMatch(/^upstream: the emulator at http:\/\/127\.0\.0\.1:4010/);
    // Every upstream the example sets is the emulator's own address.
    const service = { ...env, ...plan.upstreamEnv };
    for (const v of [
      'CRM_LOGIN_URL',
      'SCAPI_BASE_URL',
      'IDENTITY_SITE_URL',
      'DATA_CLOUD_TENANT_URL',
    ])
      expect([v, service[v]]).toEqual([v, expect.stringMatching(/^http:\/\/127\.0\.0\.1:4010\//)]);
    // On other ports the example's CRM_LOGIN_URL is not this emulator: no emulator, said in one line.
    const elsewhere = startPlan({ ...env, EMULATOR_PORT: '5010' });
    expect(elsewhere.useEmulator).toBe(false);
    expect(elsewhere.upstreamLine).toBe(
      'upstream: CRM_LOGIN_URL=http://127.0.0.1:4010/crm is not the emulator (http://127.0.0.1:5010), so no emulator runs; unset it to use the emulator',
    );
    expect(startPlan({ NODE_ENV: 'development' }).useEmulator).toBe(true);
    // The emulator's Pub/Sub port follows EMULATOR_PORT: a second stack does not collide on 4011.
    expect(startPlan({ NODE_ENV: 'development' }).pubSubPort).toBe(4011);
    const second = startPlan({ NODE_ENV: 'development', EMULATOR_PORT: '5010' });
    expect(second).toMatchObject({
      useEmulator: true,
      pubSubPort: 5011,
      emulatorEnv: { EMULATOR_PORT: '5010', EMULATOR_PUBSUB_PORT: '5011' },
    });
    expect(second.upstreamEnv.PUBSUB_URL).toBe('127.0.0.1:5011');
    expect(
      startPlan({ NODE_ENV: 'development', EMULATOR_PORT: '5010', EMULATOR_PUBSUB_PORT: '6000' })
        .pubSubPort,
    ).toBe(6000);
    expect(
      startPlan({ NODE_ENV: 'development', CRM_LOGIN_URL: 'https://x.my.salesforce.com' })
        .useEmulator,
    ).toBe(false);
  });
});

describe('the registry', () => {
  test('every variable has a description, a group and at least one reader', () => {
    for (const [name, spec] of Object.entries(VARIABLES)) {
      expect([name, spec.description.length > 5]).toEqual([name, true]);
      expect([name, spec.services.length > 0]).toEqual([name, true]);
    }
  });

  test('each declared default parses with its own kind', () => {
    for (const name of Object.keys(VARIABLES) as VarName[]) {
      const d = VARIABLES[name] as { default?: string };
      if (d.default !== undefined)
        expect(() => readEnv({ NODE_ENV: 'test' }).get(name)).not.toThrow();
    }
  });

  test('a service may read only what the registry declares for it', () => {
    const e = readEnv({ NODE_ENV: 'test' }, 'customer');
    expect(() => e.get('SCAPI_BASE_URL')).toThrow(
      'SCAPI_BASE_URL is read by customer but lib/config/registry.ts does not list customer',
    );
  });

  test('CRM_API_VERSION: 62.0 and v62.0 are the same version in every subgraph', () => {
    for (const CRM_API_VERSION of ['62.0', 'v62.0', ' V62.0 ']) {
      const env = { CRM_API_VERSION };
      expect(loadCaseConfig(env)).toMatchObject({ crmApiVersion: '62.0', crmApiPath: 'v62.0' });
      expect(loadCustomerConfig(env)).toMatchObject({ crmApiVersion: '62.0', apiVersion: 'v62.0' });
      expect(loadSessionConfig(env)).toMatchObject({ crmApiVersion: '62.0', crmApiPath: 'v62.0' });
    }
    expect(parseApiVersion('v63.0')).toEqual({ version: '63.0', segment: 'v63.0' });
    expect(() => loadCaseConfig({ CRM_API_VERSION: 'vv62.0' })).toThrow(
      'CRM_API_VERSION must be a REST API version such as 62.0, got "vv62.0"',
    );
  });

  test('an empty HOST or GATEWAY_HOST is loopback, never all interfaces', () => {
    for (const HOST of ['', '  ']) {
      for (const load of [
        loadCaseConfig,
        loadCustomerConfig,
        loadSessionConfig,
        loadCommerceConfig,
      ])
        expect(load({ HOST }).host).toBe('127.0.0.1');
      expect(loadGatewayConfig({ GATEWAY_HOST: HOST }).host).toBe('127.0.0.1');
    }
  });

  test('a set but unusable value fails naming the variable; several are named in one message', () => {
    expect(() => loadCaseConfig({ CASE_PORT: '40o2' })).toThrow(
      'CASE_PORT must be a whole number from 0 to 65535, got "40o2"',
    );
    expect(() => loadSessionConfig({ PASSCODE_MAX_GUESSES: '0' })).toThrow(
      /^PASSCODE_MAX_GUESSES /,
    );
    expect(() => loadCommerceConfig({ SCAPI_TSOB_WINDOW_MS: '-1' })).toThrow(
      /^SCAPI_TSOB_WINDOW_MS /,
    );
    expect(() => loadGatewayConfig({ GRAPHQL_INTROSPECTION: 'maybe' })).toThrow(
      'GRAPHQL_INTROSPECTION must be true or false, got "maybe"',
    );
    let err: ConfigError | undefined;
    try {
      loadGatewayConfig({ MAX_QUERY_DEPTH: 'x', REDIS_URL: 'http://nope' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err?.variables).toEqual(['REDIS_URL', 'MAX_QUERY_DEPTH']);
    // Blank means the default; a per-subgraph timeout falls back to UPSTREAM_TIMEOUT_MS.
    expect(loadCaseConfig({ CASE_PORT: '', UPSTREAM_TIMEOUT_MS: '7000' })).toMatchObject({
      port: 4002,
      timeoutMs: 7000,
    });
    expect(loadCaseConfig({ CRM_TIMEOUT_MS: '900', UPSTREAM_TIMEOUT_MS: '7000' }).timeoutMs).toBe(
      900,
    );
  });
});

describe('fail closed: production unless NODE_ENV says development or test', () => {
  test.each([
    ['', 'production'],
    ['prod', 'production'],
    ['Production', 'production'],
    ['staging', 'production'],
    ['development', 'development'],
    ['test', 'test'],
  ])('NODE_ENV=%p is %s', (NODE_ENV, mode) => {
    // (NODE_ENV unset is production too: test/security/production-secrets.test.ts starts every
    // service without it. A config record without NODE_ENV runs in its process's mode.)
    expect(modeOf({ NODE_ENV })).toBe(mode);
  });

  const problems = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('expected the configuration to be refused');
  };

  test.each(SERVICES)(
    '%s in production with nothing set: one message naming every variable it needs',
    (service) => {
      const err = problems(() => LOADERS[service]({ NODE_ENV: 'prod' }));
      const needed = requiredInProduction(service as Service);
      expect(err.variables).toEqual(needed);
      expect(err.message).toBe(
        `${needed.join(', ')} must be set in production (NODE_ENV is "prod", not development or test; docs/real-org.md lists every variable).`,
      );
    },
  );

  test('the gateway requires the Identity site and the introspecting app like the session subgraph', () => {
    const gateway = requiredInProduction('gateway');
    for (const v of [
      'IDENTITY_SITE_URL',
      'IDENTITY_INTROSPECT_CLIENT_ID',
      'IDENTITY_INTROSPECT_CLIENT_SECRET',
      'PRINCIPAL_SECRET',
    ] as const)
      expect(gateway).toContain(v);
    expect(requiredInProduction('session')).toContain('IDENTITY_SITE_URL');
  });

  /** Values of the required variables whose kind is not free text or a URL. */
  const SAMPLES: Partial<Record<VarName, string>> = {
    IDENTITY_HEADLESS_PROTECTION: 'integration-token',
    PUBSUB_URL: 'api.pubsub.salesforce.com:7443',
  };

  /** A production environment with every required variable set to real-looking values. */
  const production = (): Record<string, string> => {
    const env: Record<string, string> = { NODE_ENV: 'production' };
    for (const n of requiredInProduction())
      env[n] =
        SAMPLES[n] ??
        (VARIABLES[n].kind.what.includes('URL')
          ? `https://${n.toLowerCase().replace(/_/g, '-')}.example.com/x`
          : `${n.toLowerCase()}-${'v'.repeat(40)}`);
    return env;
  };

  test('in production no upstream defaults to the emulator (or any loopback address)', () => {
    const env = production();
    for (const s of SERVICES) {
      // Upstreams only: the listening interface stays loopback by default.
      const text = JSON.stringify({ ...LOADERS[s](env), host: undefined });
      expect([s, text]).not.toEqual([s, expect.stringMatching(/127\.0\.0\.1|localhost|:401\d/)]);
    }
    const customer = loadCustomerConfig(env);
    // Unset with a real CRM_LOGIN_URL: derived from the token exchange, never the emulator's.
    expect(customer.dataCloudTenantUrl).toBeNull();
    expect(loadCaseConfig(env).pubsub.url).toBe('api.pubsub.salesforce.com:7443');
    const gateway = loadGatewayConfig(env);
    expect(gateway.introspection).toBe(false);
    expect(gateway.agentClientIds).toEqual([]);
    // No reCAPTCHA value of the server's own, in any mode: the browser's, or the integration token.
    expect(loadSessionConfig(env).headlessProtection).toBe('integration-token');
    expect(JSON.stringify(loadSessionConfig(env))).not.toContain('emulator-recaptcha');
    // Outside production the same unset variables are the emulator's.
    expect(loadCustomerConfig({ NODE_ENV: 'test' }).dataCloudTenantUrl).toBe(
      'http://127.0.0.1:4010/datacloud',
    );
    // … but a real org's login in development does not get the emulator's Data Cloud tenant.
    expect(
      loadCustomerConfig({
        NODE_ENV: 'development',
        CRM_LOGIN_URL: 'https://acme.my.salesforce.com',
      }).dataCloudTenantUrl,
    ).toBeNull();
  });

  test('a published principal secret is refused whenever a service listens beyond loopback', () => {
    const dev = { NODE_ENV: 'development' };
    expect(() => loadCaseConfig({ ...dev, HOST: '0.0.0.0' })).toThrow(
      'PRINCIPAL_SECRET is unset (the published development value) and HOST=0.0.0.0 is not loopback',
    );
    expect(() =>
      loadGatewayConfig({ ...dev, GATEWAY_HOST: '::', PRINCIPAL_SECRET: 'test-principal-secret' }),
    ).toThrow(
      'PRINCIPAL_SECRET is a value published in the repository and GATEWAY_HOST=:: is not loopback',
    );
    expect(loadCaseConfig({ ...dev, HOST: '0.0.0.0', PRINCIPAL_SECRET: 'k'.repeat(40) }).host).toBe(
      '0.0.0.0',
    );
    for (const host of ['127.0.0.1', '::1', 'localhost'])
      expect(loadGatewayConfig({ ...dev, GATEWAY_HOST: host }).host).toBe(host);
  });

  test('dev-only rule: EMULATOR_TEST_HOOKS is on in development, off in production unless set', () => {
    expect(readEnv({ NODE_ENV: 'development' }, 'emulator').get('EMULATOR_TEST_HOOKS')).toBe(true);
    expect(readEnv({}, 'emulator').get('EMULATOR_TEST_HOOKS') ?? false).toBe(
      modeOf({}) !== 'production',
    );
    expect(readEnv({ NODE_ENV: 'production' }, 'emulator').get('EMULATOR_TEST_HOOKS')).toBe(false);
    expect(
      readEnv({ NODE_ENV: 'production', EMULATOR_TEST_HOOKS: 'true' }, 'emulator').get(
        'EMULATOR_TEST_HOOKS',
      ),
    ).toBe(true);
  });
});

describe('docs/real-org.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/real-org.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Every variable a production deployment must set'));

  test('lists every variable a production deployment must set, with the services that need it', () => {
    expect(section.length).toBeLessThan(doc.length);
    const listed = [...section.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]+)\|/gm)].map((m) => [
      m[1],
      m[2].trim(),
    ]);
    expect(listed).toEqual(
      requiredInProduction().map((n) => [
        n,
        (VARIABLES[n].services as readonly string[])
          .filter((s) => (SERVICES as readonly string[]).includes(s))
          .join(', '),
      ]),
    );
  });
});

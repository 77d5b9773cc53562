// .env.example lists every variable the code reads, and reads nothing it does not list; and the
// typed getters of lib/env.ts fail fast naming the variable.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, envReader, parseApiVersion } from '../lib/env.js';
import { loadCaseConfig } from '../subgraphs/case/config.js';
import { loadCommerceConfig } from '../subgraphs/commerce/config.js';
import { loadCustomerConfig } from '../subgraphs/customer/config.js';
import { loadSessionConfig } from '../subgraphs/session/config.js';

const ROOT = join(__dirname, '..');

/** Variables the code reads that .env.example deliberately leaves out, each with its reason. */
const NOT_IN_EXAMPLE: Record<string, string> = {
  NODE_ENV:
    'the runtime mode, set by the image (Dockerfile) and the test runner, not an app setting',
  PORT: "the hosting platform's conventional port, an alias the gateway honours for GATEWAY_PORT",
  APOLLO_TELEMETRY_DISABLED:
    "@apollo/gateway's own switch, written (not read) by the gateway from APOLLO_TELEMETRY_ENABLED",
};

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '__tests__' || name === '__generated__') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const GETTERS =
  'str|int|bool|url|list|oneOf|matching|customFieldName|customAttributeName|apiName|host|apiVersion|optional|raw';
const READS = [
  /\benv\.([A-Z][A-Z0-9_]+)/g, // env.X, process.env.X
  /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g, // env['X']
  new RegExp(`\\.(?:${GETTERS})\\(\\s*'([A-Z][A-Z0-9_]+)'`, 'g'), // lib/env.ts getters: e.int('X', …)
  /\b(?:int|envInt)\(\s*env,\s*'([A-Z][A-Z0-9_]+)'/g, // int(env, 'X', …), envInt(env, 'X', …)
  /\burlEnv: '([A-Z][A-Z0-9_]+)'/g, // schema/subgraphs.ts: each subgraph's URL variable
  /\bvariable: '([A-Z][A-Z0-9_]+)'/g, // lib/env.ts serviceEnv(e, env, { variable: 'CASE_PORT', … })
];

function variablesReadByCode(): Map<string, string[]> {
  const files = [
    ...['gateway', 'lib', 'subgraphs'].flatMap(tsFiles),
    ...readdirSync(join(ROOT, 'emulator'))
      .filter((n) => /config/i.test(n) || n === 'main.ts')
      .map((n) => join('emulator', n)),
    'scripts/start.ts',
    'schema/subgraphs.ts',
  ];
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const re of READS)
      for (const m of text.matchAll(re))
        found.set(m[1], [
          ...new Set([...(found.get(m[1]) ?? []), relative(ROOT, join(ROOT, file))]),
        ]);
  }
  return found;
}

const listed = new Set(
  [...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map(
    (m) => m[1],
  ),
);

describe('.env.example', () => {
  const read = variablesReadByCode();

  test('the scan finds the variables of every service (it can see what it checks)', () => {
    for (const v of [
      'GATEWAY_PORT',
      'CASE_PORT',
      'CRM_API_VERSION',
      'SCAPI_ATTR_LINE_RECORDS',
      'DATA_CLOUD_TENANT_URL',
      'LOGIN_MAX_FAILURES_PER_USERNAME',
      'EMULATOR_SEED',
      'SESSION_SUBGRAPH_URL',
    ])
      expect([v, read.has(v)]).toEqual([v, true]);
  });

  test('lists every variable the code reads (or the allow-list says why not)', () => {
    const missing = [...read.keys()]
      .filter((v) => !listed.has(v) && !(v in NOT_IN_EXAMPLE))
      .sort()
      .map((v) => `${v} (read in ${read.get(v)!.join(', ')})`);
    expect(missing).toEqual([]);
  });

  test('lists each variable once (a second line would silently override the first)', () => {
    const names = [
      ...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm),
    ].map((m) => m[1]);
    expect(names.filter((v, i) => names.indexOf(v) !== i)).toEqual([]);
  });

  test('lists no variable the code does not read', () => {
    expect([...listed].filter((v) => !read.has(v)).sort()).toEqual([]);
  });

  test('the allow-list names only variables the code reads and the example leaves out', () => {
    for (const v of Object.keys(NOT_IN_EXAMPLE))
      expect([v, read.has(v), listed.has(v)]).toEqual([v, true, false]);
  });

  test("every subgraph loads .env.example's values as they are written", () => {
    const env: Record<string, string> = {};
    for (const m of readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(
      /^([A-Z][A-Z0-9_]*)=(.*)$/gm,
    ))
      env[m[1]] = m[2];
    expect(loadCaseConfig(env)).toMatchObject({ crmApiVersion: '62.0', crmApiPath: 'v62.0' });
    expect(loadCustomerConfig(env)).toMatchObject({ crmApiVersion: '62.0', apiVersion: 'v62.0' });
    expect(loadSessionConfig(env)).toMatchObject({ crmApiVersion: '62.0', crmApiPath: 'v62.0' });
    expect(loadCommerceConfig(env)).toMatchObject({ host: '127.0.0.1', timeoutMs: 5000 });
  });
});

describe('lib/env.ts', () => {
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

  test('an empty HOST is the default interface, never all interfaces', () => {
    for (const HOST of ['', '  '])
      for (const load of [
        loadCaseConfig,
        loadCustomerConfig,
        loadSessionConfig,
        loadCommerceConfig,
      ])
        expect(load({ HOST }).host).toBe('127.0.0.1');
    expect(loadCaseConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('a set but unusable number fails naming the variable (it used to fall back silently)', () => {
    expect(() => loadCaseConfig({ CASE_PORT: '40o2' })).toThrow(
      'CASE_PORT must be a whole number from 0 to 65535, got "40o2"',
    );
    expect(() => loadSessionConfig({ PASSCODE_MAX_GUESSES: '0' })).toThrow(
      /^PASSCODE_MAX_GUESSES /,
    );
    expect(() => loadCommerceConfig({ SCAPI_TSOB_WINDOW_MS: '-1' })).toThrow(
      /^SCAPI_TSOB_WINDOW_MS /,
    );
    expect(() => loadCustomerConfig({ CUSTOMER_PORT: '1.5' })).toThrow(/^CUSTOMER_PORT /);
    // Blank means the default; a per-subgraph timeout falls back to UPSTREAM_TIMEOUT_MS.
    expect(loadCaseConfig({ CASE_PORT: '', UPSTREAM_TIMEOUT_MS: '7000' })).toMatchObject({
      port: 4002,
      timeoutMs: 7000,
    });
    expect(loadCaseConfig({ CRM_TIMEOUT_MS: '900', UPSTREAM_TIMEOUT_MS: '7000' }).timeoutMs).toBe(
      900,
    );
  });

  test('each getter: default when unset or blank, the value when valid, a ConfigError naming it otherwise', () => {
    const e = envReader({
      B: 'yes',
      BAD_B: 'maybe',
      U: 'https://example.my.salesforce.com/',
      BAD_U: 'ftp://x',
      L: ' a, ,b ',
      EMPTY_L: '',
      O: 'debug',
      F: 'Portal_Key__c',
      A: 'c_lineKeys',
    });
    expect(e.bool('B', false)).toBe(true);
    expect(e.bool('UNSET', true)).toBe(true);
    expect(() => e.bool('BAD_B', false)).toThrow('BAD_B must be true or false, got "maybe"');
    expect(e.url('U', 'http://x')).toBe('https://example.my.salesforce.com/');
    expect(() => e.url('BAD_U', 'http://x')).toThrow('BAD_U must be an http(s) URL');
    expect(e.list('L', ['z'])).toEqual(['a', 'b']);
    expect(e.list('EMPTY_L', ['z'])).toEqual([]);
    expect(e.list('UNSET', ['z'])).toEqual(['z']);
    expect(e.oneOf('O', ['info', 'debug'] as const, 'info')).toBe('debug');
    expect(() => e.oneOf('O', ['info'] as const, 'info')).toThrow('O must be one of info');
    expect(e.customFieldName('F', 'X__c')).toBe('Portal_Key__c');
    expect(() => e.customFieldName('A', 'X__c')).toThrow(ConfigError);
    expect(e.customAttributeName('A', 'c_x')).toBe('c_lineKeys');
    expect(() => e.customAttributeName('F', 'c_x')).toThrow(/^F must be a SCAPI custom attribute/);
    expect(e.apiName('UNSET', 'Citizen_Engagement__cio')).toBe('Citizen_Engagement__cio');
  });

  test('production: the emulator defaults of the upstream URLs are refused, naming the variable', () => {
    const prod = { NODE_ENV: 'production', PRINCIPAL_SECRET: 'p'.repeat(40) };
    expect(envReader(prod).production).toBe(true);
    expect(() => loadCaseConfig(prod)).toThrow('CRM_LOGIN_URL must be set in production');
    expect(() => loadCommerceConfig(prod)).toThrow('SCAPI_BASE_URL must be set in production');
    expect(() =>
      loadSessionConfig({ ...prod, CRM_LOGIN_URL: 'https://x.my.salesforce.com' }),
    ).toThrow('IDENTITY_SITE_URL must be set in production');
    expect(
      loadCaseConfig({ ...prod, CRM_LOGIN_URL: 'https://x.my.salesforce.com' }).crmLoginUrl,
    ).toBe('https://x.my.salesforce.com');
    // Outside production the same configuration runs on the emulator's defaults.
    expect(loadCaseConfig({}).crmLoginUrl).toBe('http://127.0.0.1:4010/crm');
  });
});

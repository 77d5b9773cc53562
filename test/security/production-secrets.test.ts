// No known secret in production, and production unless NODE_ENV says otherwise: every service,
// started as an operator would start it, refuses a missing PRINCIPAL_SECRET, one published in this
// repository, or one shorter than 32 bytes — with NODE_ENV=production, `prod` or unset alike —
// and exits non-zero with a message naming the variable; a start missing several variables names
// them all at once.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PUBLISHED_PRINCIPAL_SECRETS } from '../../lib/principal-secret.js';
import { readEnv, requiredInProduction, VARIABLES } from '../../lib/config/registry.js';
import { budget } from '../support/budget.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MAINS = [
  'gateway/main.ts',
  'subgraphs/customer/main.ts',
  'subgraphs/case/main.ts',
  'subgraphs/commerce/main.ts',
  'subgraphs/session/main.ts',
];

/**
 * Runs a service's main with `env`; resolves with its exit code and stderr. A child still running
 * at 80 % of the test's budget is killed (and the test fails: it did not exit by itself).
 */
function start(main: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        GATEWAY_PORT: '0',
        CUSTOMER_PORT: '0',
        CASE_PORT: '0',
        COMMERCE_PORT: '0',
        SESSION_PORT: '0',
        // Everything else a production start needs, so that the secret is the only thing wrong.
        CRM_LOGIN_URL: 'http://127.0.0.1:9/crm',
        DATA_CLOUD_TENANT_URL: 'http://127.0.0.1:9/datacloud',
        SCAPI_BASE_URL: 'http://127.0.0.1:9/scapi',
        IDENTITY_SITE_URL: 'http://127.0.0.1:9/identity',
        CRM_CLIENT_ID: 'prod-like-client-id',
        CRM_CLIENT_SECRET: 'prod-like-client-secret',
        SCAPI_CLIENT_ID: 'prod-like-client-id',
        SCAPI_CLIENT_SECRET: 'prod-like-client-secret',
        IDENTITY_CLIENT_ID: 'prod-like-portal-id',
        IDENTITY_REDIRECT_URI: 'https://portal.example.gov/callback',
        SCAPI_ORGANIZATION_ID: 'f_ecom_prod_like',
        SCAPI_SITE_ID: 'ProdLike',
        IDENTITY_INTROSPECT_CLIENT_ID: 'prod-like-introspect-id',
        IDENTITY_INTROSPECT_CLIENT_SECRET: 'prod-like-introspect-secret',
        CUSTOMER_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
        CASE_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
        COMMERCE_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
        SESSION_SUBGRAPH_URL: 'http://127.0.0.1:9/graphql',
        IDENTITY_HEADLESS_PROTECTION: 'integration-token',
        PUBSUB_URL: 'api.pubsub.salesforce.com:7443',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), budget(0.8));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe.each(MAINS)('%s in production', (main) => {
  test.each([
    [
      'is missing',
      undefined,
      /PRINCIPAL_SECRET must be set in production \(NODE_ENV is "production"/,
    ],
    [
      'is published in the repository',
      'change-me-in-production',
      /PRINCIPAL_SECRET is a value published/,
    ],
    [
      'is shorter than 32 bytes',
      'only-twenty-one-bytes',
      /PRINCIPAL_SECRET must be at least 32 bytes/,
    ],
  ])('exits non-zero when PRINCIPAL_SECRET %s', async (_what, secret, message) => {
    const { code, stderr } = await start(main, {
      NODE_ENV: 'production',
      ...(secret ? { PRINCIPAL_SECRET: secret } : {}),
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited by itself, was not killed by the timer
    expect(stderr).toMatch(message);
  });
});

describe.each(MAINS)('%s with NODE_ENV unset or not exactly development/test', (main) => {
  test.each([
    ['unset', undefined],
    ['prod', 'prod'],
  ])(
    'NODE_ENV %s is production: the published development secret is refused',
    async (_what, NODE_ENV) => {
      const { code, stderr } = await start(main, NODE_ENV ? { NODE_ENV } : {});
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(stderr).toMatch(
        `PRINCIPAL_SECRET must be set in production (NODE_ENV is ${NODE_ENV ? `"${NODE_ENV}"` : 'unset'}`,
      );
    },
    30_000,
  );
});

describe('in production no upstream defaults to the emulator: a start without one refuses, naming it', () => {
  test.each([
    ['subgraphs/customer/main.ts', 'CRM_LOGIN_URL'],
    ['subgraphs/case/main.ts', 'PUBSUB_URL'],
    ['subgraphs/commerce/main.ts', 'SCAPI_BASE_URL'],
    ['subgraphs/session/main.ts', 'IDENTITY_SITE_URL'],
    ['subgraphs/session/main.ts', 'IDENTITY_HEADLESS_PROTECTION'],
    ['gateway/main.ts', 'IDENTITY_SITE_URL'],
  ])('%s without %s', async (main, variable) => {
    const { code, stderr } = await start(main, {
      NODE_ENV: 'production',
      PRINCIPAL_SECRET: 'k'.repeat(48),
      [variable]: undefined,
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain(`${variable} must be set in production (NODE_ENV is "production"`);
  });
});

test('a production start missing several variables names every one of them in one message', async () => {
  // Only PATH: nothing of a deployment is configured.
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), budget(0.8));
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve({ code: c, stderr: err });
    });
  });
  expect(code).not.toBe(0);
  expect(code).not.toBeNull();
  expect(stderr).toContain(
    `${requiredInProduction('gateway').join(', ')} must be set in production (NODE_ENV is unset`,
  );
}, 30_000);

test('outside production the development default keeps npm start zero-config', () => {
  expect(readEnv({ NODE_ENV: 'development' }).get('PRINCIPAL_SECRET')).toBe(
    PUBLISHED_PRINCIPAL_SECRETS[0],
  );
  expect(VARIABLES.PRINCIPAL_SECRET.default).toBe(PUBLISHED_PRINCIPAL_SECRETS[0]);
  expect(
    readEnv({ NODE_ENV: 'production', PRINCIPAL_SECRET: 'k'.repeat(32) }).get('PRINCIPAL_SECRET'),
  ).toBe('k'.repeat(32));
});

test('every PRINCIPAL_SECRET value written in the repository is on the refused list', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('node_modules') && !/package-lock|\.png$/.test(f));
  const found = new Set<string>();
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(ROOT + f, 'utf8');
    } catch {
      continue;
    }
    // PRINCIPAL_SECRET=value, PRINCIPAL_SECRET: 'value', ${PRINCIPAL_SECRET:-value}, *_PRINCIPAL_SECRET = 'value'
    for (const m of text.matchAll(/PRINCIPAL_SECRET(?::-|=|\s*[:=]\s*['"])([A-Za-z0-9._-]{6,})/g))
      found.add(m[1]);
  }
  // Repeated 'x'/'k' fillers of tests are long random-looking values no deployment would copy.
  const named = [...found].filter((v) => !/^(.)\1+$/.test(v) && v !== 'undefined');
  expect(named.length).toBeGreaterThan(2);
  for (const v of named) expect(PUBLISHED_PRINCIPAL_SECRETS).toContain(v);
});

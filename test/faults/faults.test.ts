// The fault suite (npm run test:faults): real customer, commerce and gateway processes over an
// in-process emulator on 127.0.0.1, a bounded load per scenario, faults by signal (SIGKILL,
// SIGSTOP/SIGCONT, SIGTERM) and at the emulator (503/429 storms, a stopped listener). Each
// scenario asserts counts — requests, errors by code, upstream calls, drained requests — never
// timings, and the suite prints scenario → requests, errors by code, upstream calls per request.
import { listen, type Listening } from '../../lib/http.js';
import { createEmulator, type Emulator } from '../../emulator/server.js';
import { freePorts, spawnService, TSX_LOADER, type Proc } from '../ops/processes.js';
import { deferred } from '../support/disposable.js';
import { waitFor } from '../support/wait-for.js';
import { integrationToken } from '../support/integration-token.js';

const SECRET = 'faults-principal-secret';
const QUERY = `query ($id: ID!) { citizen(id: $id) { id displayName orders(first: 2) { totalCount } } }`;
// Short enough that a hung subgraph costs little, long enough that a healthy one on a loaded
// machine (CI runs the suite beside CPU burners) answers well within it; the request deadline
// above it (validated at start). The hung scenario's requests are sequential: five timeouts must
// fit the breaker's 10 s window.
const SUBGRAPH_TIMEOUT_MS = 1_000;
const REQUEST_DEADLINE_MS = 3_000;

interface Row {
  scenario: string;
  requests: number;
  errors: Record<string, number>;
  upstreamPerRequest: number;
}
const table: Row[] = [];

let emulator: Emulator;
let up: Listening;
let emulatorPort: number;
let customer: Proc;
let commerce: Proc;
let gateway: Proc;
let commercePort: number;
let gatewayUrl: string;
let agent: string;

async function startCommerce(env: NodeJS.ProcessEnv = {}) {
  commerce = spawnService(['--import', TSX_LOADER, 'subgraphs/commerce/main.ts'], {
    COMMERCE_PORT: String(commercePort),
    PRINCIPAL_SECRET: SECRET,
    SCAPI_BASE_URL: `${up.url}/scapi`,
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...env,
  });
  await commerce.waitFor(/commerce subgraph at http/);
}

beforeAll(async () => {
  emulator = createEmulator({ citizens: 50 });
  up = await listen(emulator.app);
  emulatorPort = up.port;
  emulator.setOrigin(up.url);
  const [customerPort, cp, deadPort] = await freePorts(3);
  commercePort = cp;
  customer = spawnService(['--import', TSX_LOADER, 'subgraphs/customer/main.ts'], {
    CUSTOMER_PORT: String(customerPort),
    PRINCIPAL_SECRET: SECRET,
    CRM_LOGIN_URL: `${up.url}/crm`,
    DATA_CLOUD_TENANT_URL: `${up.url}/datacloud`,
  });
  await customer.waitFor(/customer subgraph ready at http/);
  await startCommerce();
  gateway = spawnService(['--import', TSX_LOADER, 'gateway/main.ts'], {
    GATEWAY_PORT: '0',
    PORT: '',
    PRINCIPAL_SECRET: SECRET,
    IDENTITY_SITE_URL: `${up.url}/identity`,
    CRM_LOGIN_URL: `${up.url}/crm`,
    CUSTOMER_SUBGRAPH_URL: `http://127.0.0.1:${customerPort}/graphql`,
    COMMERCE_SUBGRAPH_URL: `http://127.0.0.1:${commercePort}/graphql`,
    CASE_SUBGRAPH_URL: `http://127.0.0.1:${deadPort}/graphql`,
    SESSION_SUBGRAPH_URL: `http://127.0.0.1:${deadPort}/graphql`,
    SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
    REQUEST_DEADLINE_MS: String(REQUEST_DEADLINE_MS),
    UPSTREAM_CALLS_PER_MINUTE_AGENT: '1000000',
  });
  const m = await gateway.waitFor(/gateway on (http:\/\/127\.0\.0\.1:\d+)\/graphql/);
  gatewayUrl = m[1];
  agent = await integrationToken(emulator, up.url);
});

afterAll(async () => {
  for (const p of [gateway, commerce, customer])
    if (p && p.child.exitCode === null) {
      p.child.kill('SIGCONT');
      p.child.kill('SIGKILL');
    }
  await up?.close();
  const lines = table.map(
    (r) =>
      `${r.scenario.padEnd(44)} ${String(r.requests).padStart(4)}  ${JSON.stringify(r.errors).padEnd(58)} ${r.upstreamPerRequest.toFixed(2)}`,
  );
  process.stdout.write(
    `\n${'scenario'.padEnd(44)} reqs  ${'errors by code'.padEnd(58)} upstream calls/request\n${lines.join('\n')}\n`,
  );
});

interface Answer {
  data?: { citizen: { displayName: string; orders: { totalCount: number } | null } | null };
  errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }>;
}

async function ask(): Promise<Answer> {
  const citizen = emulator.core.world.citizens[3];
  const res = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${agent}`,
      'x-upstream-cost': '1',
    },
    body: JSON.stringify({ query: QUERY, variables: { id: citizen.unifiedId } }),
  });
  return (await res.json()) as Answer;
}

/** `n` requests, `concurrency` at a time; errors counted by code, upstream calls from the emulator's log. */
async function load(scenario: string, n: number, concurrency = 1) {
  emulator.log.reset();
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        answers.push(await ask());
      }
    }),
  );
  const errors: Record<string, number> = {};
  for (const a of answers)
    for (const e of a.errors ?? []) {
      const code = String(e.extensions?.code);
      errors[code] = (errors[code] ?? 0) + 1;
    }
  const calls = Object.values(emulator.log.countByFamily()).reduce((s, c) => s + (c ?? 0), 0);
  table.push({ scenario, requests: n, errors, upstreamPerRequest: calls / n });
  return { answers, errors, calls, scapi: emulator.log.countByFamily().scapi ?? 0 };
}

async function fault(rule: Record<string, unknown>) {
  const res = await fetch(`${up.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  });
  expect(res.status).toBe(201);
}
const clearFaults = () => fetch(`${up.url}/__emulator/faults`, { method: 'DELETE' });

/**
 * Healthy requests until the gateway's breaker for commerce has closed again (it half-opens after
 * 5 s, in another process: its clock cannot be moved from here, so this polls, bounded).
 */
async function untilHealthy() {
  let last: Answer | undefined;
  await waitFor(async () => !(last = await ask()).errors, {
    what: `the stack to answer without errors again (last: ${JSON.stringify(last?.errors)})`,
    intervalMs: 250,
  });
}

// A failed assertion must not leave the next scenario a stopped process or a storm.
afterEach(async () => {
  if (commerce.child.exitCode === null) commerce.child.kill('SIGCONT');
  await clearFaults();
});

test('baseline: no errors', async () => {
  const { errors, answers } = await load('baseline', 10);
  expect(errors).toEqual({});
  expect(answers.every((a) => a.data?.citizen?.orders !== null)).toBe(true);
});

test('commerce killed: the citizen arrives with orders null and one coded error at its path', async () => {
  commerce.child.kill('SIGKILL');
  await commerce.exited;
  const { answers, errors } = await load('commerce SIGKILL', 10);
  expect(Object.keys(errors)).toEqual(['UPSTREAM_UNAVAILABLE']);
  expect(errors.UPSTREAM_UNAVAILABLE).toBe(10);
  for (const a of answers) {
    expect(a.data?.citizen?.displayName).toEqual(expect.any(String));
    expect(a.data?.citizen?.orders).toBeNull();
    expect(a.errors).toEqual([
      expect.objectContaining({
        path: ['citizen'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', serviceName: 'commerce' },
      }),
    ]);
  }
  await startCommerce();
  await untilHealthy();
  const after = await load('commerce restarted', 10);
  expect(after.errors).toEqual({});
});

test('commerce hung (SIGSTOP): 5 requests time out, then the breaker fails the rest fast; SIGCONT recovers', async () => {
  commerce.child.kill('SIGSTOP');
  const { errors, answers } = await load('commerce SIGSTOP', 20);
  // Every request gets one error; without the gateway's breaker all 20 would wait out the
  // timeout. How many time out before it opens depends on the successes still in its window.
  expect(Object.keys(errors).sort()).toEqual(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']);
  expect(errors.UPSTREAM_TIMEOUT + errors.UPSTREAM_UNAVAILABLE).toBe(20);
  expect(errors.UPSTREAM_UNAVAILABLE).toBeGreaterThanOrEqual(10);
  expect(answers.every((a) => typeof a.data?.citizen?.displayName === 'string')).toBe(true);
  commerce.child.kill('SIGCONT');
  await untilHealthy();
  expect((await load('commerce SIGCONT', 10)).errors).toEqual({});
});

test('SCAPI 503 storm: at most 1.5 upstream SCAPI calls per logical call, UPSTREAM_UNAVAILABLE only', async () => {
  const baseline = await load('scapi baseline (calls per request)', 5);
  await fault({ kind: 'status', family: 'scapi', status: 503, count: 100_000 });
  const storm = await load('scapi 503 storm', 40);
  await clearFaults();
  // One error per request: the upstream's 503 (or the deadline cutting its retries), never RATE_LIMITED.
  expect(
    Object.keys(storm.errors).filter(
      (c) => c !== 'UPSTREAM_UNAVAILABLE' && c !== 'UPSTREAM_TIMEOUT',
    ),
  ).toEqual([]);
  expect((storm.errors.UPSTREAM_UNAVAILABLE ?? 0) + (storm.errors.UPSTREAM_TIMEOUT ?? 0)).toBe(40);
  // A logical call is one the request would make when healthy (baseline per request).
  const logical = (baseline.scapi / 5) * 40;
  expect(storm.scapi / logical).toBeLessThanOrEqual(1.5);
  await untilHealthy();
});

test('SCAPI 429 storm with Retry-After 30: RATE_LIMITED with retryAfterSeconds, never UPSTREAM_UNAVAILABLE, no retries', async () => {
  const baseline = await load('scapi baseline again', 5);
  await fault({ kind: 'throttle', family: 'scapi', retryAfterSeconds: 30, count: 100_000 });
  const storm = await load('scapi 429 storm', 40);
  await clearFaults();
  expect(storm.errors).toEqual({ RATE_LIMITED: 40 });
  for (const a of storm.answers)
    expect(a.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
  // The first SCAPI call of each request is refused and not repeated.
  expect(storm.scapi).toBeLessThanOrEqual((baseline.scapi / 5) * 40);
  expect(storm.scapi).toBe(40);
  expect((await load('after the 429 storm', 5)).errors).toEqual({});
});

test('the emulator down and back: UPSTREAM_UNAVAILABLE while down, complete answers after, no manual step', async () => {
  await up.close();
  {
    // Back on its port however the assertions below end, so the scenarios after this one (and
    // afterAll's close) find it listening.
    await using _back = deferred(async () => (up = await listen(emulator.app, emulatorPort)));
    const down = await load('emulator down', 10);
    expect(Object.keys(down.errors).every((c) => c === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(down.calls).toBe(0);
  }
  // Breakers in the subgraphs half-open after 5 s; the gateway's after 5 s.
  await untilHealthy();
  expect((await load('emulator back', 10)).errors).toEqual({});
});

test('SIGTERM on commerce with 5 requests in flight: all 5 answered in full, exit 0', async () => {
  await fault({ kind: 'latency', family: 'scapi', path: '/orders', latencyMs: 600, count: 5 });
  emulator.log.reset();
  const inFlight = Array.from({ length: 5 }, () => ask());
  await waitFor(() => emulator.log.list({ family: 'scapi', path: '/orders' }).length >= 5, {
    what: 'the 5 order lookups to be in flight',
  });
  commerce.child.kill('SIGTERM');
  const answers = await Promise.all(inFlight);
  const exit = await commerce.exited;
  const errors = answers.flatMap((a) => a.errors ?? []);
  table.push({
    scenario: 'commerce SIGTERM, 5 in flight (drained)',
    requests: 5,
    errors: Object.fromEntries(errors.map((e) => [String(e.extensions?.code), 1])),
    upstreamPerRequest:
      Object.values(emulator.log.countByFamily()).reduce((s, c) => s + (c ?? 0), 0) / 5,
  });
  expect(errors).toEqual([]);
  expect(answers.every((a) => a.data?.citizen?.orders !== null)).toBe(true);
  expect(exit).toEqual({ code: 0, signal: null });
});

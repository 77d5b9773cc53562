// Fast failure on hangs, in this process. Gateway → subgraph: a commerce subgraph that accepts
// connections and never answers; five concurrent requests each cross SUBGRAPH_SLOW_CALL_MS, which
// (here commerce's own line) opens commerce's breaker while they are still waiting (not after their timeouts); the next
// request gets its partial answer at once, with a coded error and no call to the hung subgraph;
// circuit_breaker_open says 1 and /readyz lists the open circuit. The five get theirs at one
// subgraph timeout. Subgraph → Salesforce: a CRM that refuses connections opens the case
// subgraph's crm breaker, and its metric and /readyz say so. Counts and codes, not timings.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  startEmulator,
  startGateway,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
  type RunningSubgraph,
} from '../harness.js';
import { integrationToken } from '../support/integration-token.js';
import { citizenPrincipal } from '../support/principals.js';
import { until } from '../live/live-kit.js';
import { budget } from '../support/budget.js';
import { waitFor } from '../support/wait-for.js';
import type { ServiceMetrics } from '../../lib/observability/metrics.js';
import { loadGatewayConfig } from '../../gateway/config.js';

const QUERY = `query ($id: ID!) { citizen(id: $id) { id displayName orders(first: 2) { totalCount } } }`;
// The slow-call line is commerce's only (the customer subgraph, slow on a loaded machine, is not
// what is measured); the timeout leaves room between the circuit opening and the hung fetches'
// end, whatever the machine's speed.
const SLOW_CALL_MS = 500;
const SUBGRAPH_TIMEOUT_MS = 8_000;

/** A server that accepts every connection, reads every request and never answers one. */
async function hungServer() {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (d: Buffer) => (requests += d.toString('latin1').split('POST /').length - 1));
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The value of circuit_breaker_open for these labels (undefined: never set). */
async function breakerGauge(metrics: ServiceMetrics, family: string, target: string) {
  const { values } = await metrics.breakerState.get();
  return values.find((v) => v.labels.family === family && v.labels.target === target)?.value;
}

interface Answer {
  data?: { citizen: { displayName: string; orders: { totalCount: number } | null } | null };
  errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }>;
}

let upstream: RunningEmulator;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  upstream = await startEmulator({ citizens: 20 });
  env = { ...upstream.env, PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET };
});
afterAll(() => upstream.stop());

test('a hung subgraph: its breaker opens on slow calls before they time out; partial answers with coded errors; the metric says 1', async () => {
  const hung = await hungServer();
  await using customer = await startSubgraph('customer', env);
  await using gw = await startGateway(
    {
      ...env,
      REQUEST_DEADLINE_MS: String(budget(0.5)),
      SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS),
      UPSTREAM_CALLS_PER_MINUTE_AGENT: '100000',
    },
    {
      customer: customer.url,
      commerce: hung.url,
      case: 'http://127.0.0.1:9/graphql',
      session: 'http://127.0.0.1:9/graphql',
    },
    { subgraphBreakers: { commerce: { slowCallMs: SLOW_CALL_MS } } },
  );
  try {
    const agent = await integrationToken(upstream.emulator, upstream.url);
    const citizen = upstream.emulator.core.world.citizens[3];
    const ask = async (query = QUERY): Promise<Answer> => {
      const res = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        // x-upstream-cost: the errors then name the subgraph (serviceName).
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${agent}`,
          'x-upstream-cost': '1',
        },
        body: JSON.stringify({ query, variables: { id: citizen.unifiedId } }),
      });
      return (await res.json()) as Answer;
    };
    // The customer subgraph warmed up (its first answer is not what is measured).
    expect(
      (await ask('query ($id: ID!) { citizen(id: $id) { displayName } }')).errors,
    ).toBeUndefined();
    expect(await breakerGauge(gw.gateway.metrics, 'subgraph', 'commerce')).toBeUndefined();

    let settled = 0;
    const first = Array.from({ length: 5 }, () => ask().finally(() => settled++));
    await until(() => hung.requests() === 5);
    // Five fetches past SUBGRAPH_SLOW_CALL_MS open the circuit while they still wait.
    await waitFor(
      async () =>
        settled > 0 || (await breakerGauge(gw.gateway.metrics, 'subgraph', 'commerce')) === 1,
      { what: 'the commerce breaker to open (or a request to settle)' },
    );
    expect(settled).toBe(0);
    const metricsText = await gw.gateway.metrics.registry.metrics();
    expect(metricsText).toMatch(
      /circuit_breaker_open\{[^}]*family="subgraph"[^}]*target="commerce"[^}]*\} 1/,
    );
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'degraded',
      openCircuits: { commerce: 'open' },
    });

    // The next request: the citizen at once, orders null, one coded error; commerce not called.
    const fast = await ask();
    expect(settled).toBe(0);
    expect(fast.data?.citizen?.displayName).toEqual(expect.any(String));
    expect(fast.data?.citizen?.orders).toBeNull();
    expect(fast.errors).toEqual([
      expect.objectContaining({
        path: ['citizen'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', serviceName: 'commerce' },
      }),
    ]);
    expect(hung.requests()).toBe(5);

    // The five that were waiting: their partial answers at one subgraph timeout.
    for (const a of await Promise.all(first)) {
      expect(a.data?.citizen?.displayName).toEqual(expect.any(String));
      expect(a.data?.citizen?.orders).toBeNull();
      expect(a.errors).toEqual([
        expect.objectContaining({
          path: ['citizen'],
          extensions: { code: 'UPSTREAM_TIMEOUT', serviceName: 'commerce' },
        }),
      ]);
    }
    expect(hung.requests()).toBe(5);
  } finally {
    await hung.close();
  }
});

test("a subgraph's Salesforce breaker: opened by failures, circuit_breaker_open says 1 and /readyz lists it", async () => {
  const dead = 'http://127.0.0.1:9';
  let kase: RunningSubgraph | undefined;
  try {
    kase = await startSubgraph('case', { ...env, CRM_LOGIN_URL: `${dead}/crm` });
    const principal = citizenPrincipal(upstream.emulator.core.world.citizens[0]);
    const codes = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const res = await kase.gql(principal, '{ case(id: "500000000000001AAA") { id } }');
      for (const e of res.body.errors ?? []) codes.add(String(e.extensions?.code));
      if ((await breakerGauge(kase.server.metrics, 'crm', dead)) === 1) break;
    }
    expect(await breakerGauge(kase.server.metrics, 'crm', dead)).toBe(1);
    expect([...codes]).toEqual(['UPSTREAM_UNAVAILABLE']);
    const ready = await fetch(`${kase.http.url}/readyz`);
    expect(ready.status).toBe(503); // its credentials cannot be checked: not ready, as before
    expect(await ready.json()).toMatchObject({ openCircuits: { [`crm ${dead}`]: 'open' } });
  } finally {
    await kase?.stop();
  }
});

test('config: SUBGRAPH_TIMEOUT_MS must be below REQUEST_DEADLINE_MS, and slow calls below the timeout (checked at start)', () => {
  const dev = loadGatewayConfig({ NODE_ENV: 'test' });
  expect([dev.subgraphTimeoutMs, dev.requestDeadlineMs, dev.subgraphBreaker.slowCallMs]).toEqual([
    5_000, 8_000, 0,
  ]);
  expect(() =>
    loadGatewayConfig({
      NODE_ENV: 'test',
      SUBGRAPH_TIMEOUT_MS: '8000',
      REQUEST_DEADLINE_MS: '8000',
    }),
  ).toThrow('SUBGRAPH_TIMEOUT_MS (8000) must be below REQUEST_DEADLINE_MS (8000).');
  expect(() => loadGatewayConfig({ NODE_ENV: 'test', SUBGRAPH_SLOW_CALL_MS: '5000' })).toThrow(
    'SUBGRAPH_SLOW_CALL_MS (5000) must be below SUBGRAPH_TIMEOUT_MS (5000); 0 turns it off.',
  );
});

test('config: SUBGRAPH_TIMEOUTS_MS overrides the timeout per subgraph, each below REQUEST_DEADLINE_MS and above the slow-call line', () => {
  const c = loadGatewayConfig({
    NODE_ENV: 'test',
    SUBGRAPH_TIMEOUTS_MS: 'commerce=3000, case=7999',
  });
  expect([c.subgraphTimeoutMs, c.subgraphTimeoutsMs]).toEqual([
    5_000,
    { commerce: 3_000, case: 7_999 },
  ]);
  expect(loadGatewayConfig({ NODE_ENV: 'test' }).subgraphTimeoutsMs).toEqual({});
  expect(() => loadGatewayConfig({ NODE_ENV: 'test', SUBGRAPH_TIMEOUTS_MS: 'case=8000' })).toThrow(
    'SUBGRAPH_TIMEOUTS_MS: case (8000) must be below REQUEST_DEADLINE_MS (8000).',
  );
  expect(() =>
    loadGatewayConfig({
      NODE_ENV: 'test',
      SUBGRAPH_SLOW_CALL_MS: '1000',
      SUBGRAPH_TIMEOUTS_MS: 'customer=1000',
    }),
  ).toThrow('SUBGRAPH_TIMEOUTS_MS: customer (1000) must be above SUBGRAPH_SLOW_CALL_MS (1000).');
  expect(() =>
    loadGatewayConfig({ NODE_ENV: 'test', SUBGRAPH_TIMEOUTS_MS: 'billing=100' }),
  ).toThrow(/names no subgraph "billing"/);
  expect(() => loadGatewayConfig({ NODE_ENV: 'test', SUBGRAPH_TIMEOUTS_MS: 'case:100' })).toThrow(
    /must be name=ms pairs, got "case:100"/,
  );
});

test('a per-subgraph timeout applies to that subgraph only: hung commerce answers at its own short timeout, not the long default', async () => {
  const hung = await hungServer();
  await using customer = await startSubgraph('customer', env);
  // The default timeout is most of the test's budget: only commerce's override can answer in time.
  await using gw = await startGateway(
    {
      ...env,
      REQUEST_DEADLINE_MS: String(budget(0.95)),
      SUBGRAPH_TIMEOUT_MS: String(budget(0.9)),
      SUBGRAPH_TIMEOUTS_MS: 'commerce=1000',
      UPSTREAM_CALLS_PER_MINUTE_AGENT: '100000',
    },
    {
      customer: customer.url,
      commerce: hung.url,
      case: 'http://127.0.0.1:9/graphql',
      session: 'http://127.0.0.1:9/graphql',
    },
  );
  try {
    const agent = await integrationToken(upstream.emulator, upstream.url);
    const citizen = upstream.emulator.core.world.citizens[4];
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${agent}`,
        'x-upstream-cost': '1',
      },
      body: JSON.stringify({ query: QUERY, variables: { id: citizen.unifiedId } }),
      // A bound, not a measurement: without the override this would wait budget(0.9).
      signal: AbortSignal.timeout(budget(0.5)),
    });
    const a = (await res.json()) as Answer;
    expect(a.data?.citizen?.displayName).toEqual(expect.any(String));
    expect(a.data?.citizen?.orders).toBeNull();
    expect(a.errors).toEqual([
      expect.objectContaining({
        path: ['citizen'],
        extensions: { code: 'UPSTREAM_TIMEOUT', serviceName: 'commerce' },
      }),
    ]);
    expect(hung.requests()).toBe(1);
  } finally {
    await hung.close();
  }
});

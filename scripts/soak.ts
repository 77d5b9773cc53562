// npm run soak [-- <seconds> <concurrency>] — bounded load through the gateway with faults
// injected at the emulator (not part of npm test). Everything runs on 127.0.0.1 in this process.
// Prints requests, error codes seen, the 5xx count and memory at start and end.
import { startStack } from '../test/harness.js';

const seconds = Number(process.argv[2] ?? 60);
const concurrency = Number(process.argv[3] ?? 8);
const stack = await startStack({
  citizens: 3000,
  env: {
    UPSTREAM_TIMEOUT_MS: '1000',
    COMMERCE_UPSTREAM_TIMEOUT_MS: '1000',
    CUSTOMER_UPSTREAM_TIMEOUT_MS: '1000',
  },
});
const { world } = stack.emulator.core;

const tokenRes = await fetch(`${stack.env.CRM_LOGIN_URL}/services/oauth2/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: world.integration.clientId,
    client_secret: world.integration.clientSecret,
  }),
});
const agent = `Bearer ${((await tokenRes.json()) as { access_token: string }).access_token}`;

// Faults at a rate, for the whole run: SCAPI 503s, slow CRM, Data Cloud throttling, expired sessions.
stack.emulator.faults.add({ kind: 'status', family: 'scapi', status: 503, rate: 0.1 });
stack.emulator.faults.add({ kind: 'latency', family: 'crm', latencyMs: 300, rate: 0.1 });
stack.emulator.faults.add({
  kind: 'throttle',
  family: 'datacloud',
  retryAfterSeconds: 0,
  rate: 0.05,
});
stack.emulator.faults.add({ kind: 'timeout', family: 'identity', path: '/userinfo', rate: 0.01 });
stack.emulator.faults.add({ kind: 'expired-session', family: 'crm', rate: 0.01 });

const QUERIES = [
  (i: number) => ({
    query: `query ($id: ID!) { citizen(id: $id) { displayName email insights { engagementScore } cases(first: 3) { totalCount } cart { itemCount } orders(first: 3) { totalCount } account { username } } }`,
    variables: { id: world.citizens[i % world.citizens.length].unifiedId },
  }),
  (i: number) => ({
    query: `query ($n: Int!) { segment(apiName: "High_Engagement") { members(first: $n) { totalCount edges { node { displayName cases { totalCount } } } } } }`,
    variables: { n: 5 + (i % 20) },
  }),
  (i: number) => ({
    query: `query ($ids: [ID!]!) { products(ids: $ids) { id name price { amount } } }`,
    variables: { ids: ['permit-building-residential', 'licence-dog-annual', `unknown-${i}`] },
  }),
];

// With --expose-gc (npm run soak passes it) memory is read after a full collection, so growth
// means retained objects, not garbage the collector has not reached yet.
const gc = (globalThis as { gc?: () => void }).gc;
const mb = () => {
  gc?.();
  const m = process.memoryUsage();
  return `${Math.round(m.rss / 1024 / 1024)} MB RSS, ${Math.round(m.heapUsed / 1024 / 1024)} MB heap`;
};
const memStart = mb();
const deadline = Date.now() + seconds * 1000;
let requests = 0;
let http5xx = 0;
let partial = 0;
const statuses = new Map<number, number>();
const codes = new Map<string, number>();
let seq = 0;
async function worker() {
  while (Date.now() < deadline) {
    const i = seq++;
    const body = QUERIES[i % QUERIES.length](i);
    try {
      const res = await fetch(`${stack.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: agent },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) http5xx++;
      const json = (await res.json()) as {
        data?: unknown;
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      if (json.errors?.length && json.data) partial++;
      for (const e of json.errors ?? [])
        codes.set(e.extensions?.code ?? 'NONE', (codes.get(e.extensions?.code ?? 'NONE') ?? 0) + 1);
    } catch (err) {
      requests++;
      codes.set(
        `CLIENT_${(err as Error).name}`,
        (codes.get(`CLIENT_${(err as Error).name}`) ?? 0) + 1,
      );
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const healthz = (await fetch(`${stack.gatewayUrl}/healthz`)).status;
const memEnd = mb();
console.log(
  `soak: ${seconds}s, ${concurrency} concurrent clients, faults: SCAPI 503 10%, CRM +300 ms 10%, Data Cloud 429 5%, Identity userinfo hang 1%, CRM session expiry 1%`,
);
console.log(`requests        ${requests} (${(requests / seconds).toFixed(1)}/s)`);
console.log(`HTTP statuses   ${JSON.stringify(Object.fromEntries(statuses))}`);
console.log(`5xx responses   ${http5xx}`);
console.log(`partial answers ${partial} (data plus typed errors)`);
console.log(`error codes     ${JSON.stringify(Object.fromEntries(codes))}`);
console.log(
  `upstream calls  ${JSON.stringify(stack.emulator.log.countByFamily())} (log keeps the last 50 000)`,
);
console.log(`memory          start ${memStart}, end ${memEnd} (whole stack in one process)`);
console.log(`gateway /healthz after the run: ${healthz}`);
await stack.stop();
process.exit(0);

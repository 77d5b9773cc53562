// `npm start` (scripts/start.ts under the tsx CLI, as package.json runs it, minus the GraphiQL
// build) on non-default ports: every *_PORT is honoured, and no child outlives a stop or a failure.
import { createServer, type Server } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  alive,
  descendants,
  freePorts,
  ROOT,
  sleep,
  spawnService,
  TSX_CLI,
  type Proc,
} from './processes.js';

jest.setTimeout(120_000);

const SERVICES = ['emulator', 'customer', 'case', 'commerce', 'session', 'gateway'];

/** The pids scripts/start.ts prints for its children (`[start] <name> pid <n>`). */
function printedPids(p: Proc): Record<string, number> {
  return Object.fromEntries(
    [...p.output().matchAll(/^\[start\]\s+(\w+) pid (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );
}

let started: Proc | undefined;
afterEach(() => {
  // Never leave anything behind, even when an assertion failed.
  if (!started?.child.pid) return;
  for (const pid of descendants(started.child.pid)) process.kill(pid, 'SIGKILL');
  started.child.kill('SIGKILL');
});

function startOn(ports: number[], args: string[] = [], env: NodeJS.ProcessEnv = {}): Proc {
  const [gateway, customer, kase, commerce, session, emulator, pubsub] = ports;
  started = spawnService([TSX_CLI, 'scripts/start.ts', ...args], {
    GATEWAY_PORT: String(gateway),
    CUSTOMER_PORT: String(customer),
    CASE_PORT: String(kase),
    COMMERCE_PORT: String(commerce),
    SESSION_PORT: String(session),
    EMULATOR_PORT: String(emulator),
    EMULATOR_PUBSUB_PORT: String(pubsub),
    EMULATOR_CITIZENS: '20',
    PRINCIPAL_SECRET: 'ops-test-principal-secret',
    // Nothing inherited from the developer's shell may point elsewhere.
    CRM_LOGIN_URL: '',
    DATA_CLOUD_TENANT_URL: undefined,
    SCAPI_BASE_URL: '',
    IDENTITY_SITE_URL: '',
    CUSTOMER_SUBGRAPH_URL: '',
    CASE_SUBGRAPH_URL: '',
    COMMERCE_SUBGRAPH_URL: '',
    SESSION_SUBGRAPH_URL: '',
    PORT: '',
    ...env,
  });
  return started;
}

test('npm start runs every service on its *_PORT, answers through the gateway, and SIGTERM leaves no process', async () => {
  const ports = await freePorts(7);
  const [gateway, customer, kase, commerce, session, emulator, pubsub] = ports;
  // Logs at info: the services' JSON lines must come through start.ts as pure JSON.
  const p = startOn(ports, [], { LOG_LEVEL: 'info' });
  await p.waitFor(/Customer 360 supergraph is up[\s\S]*Press Ctrl-C to stop\./, 100_000);

  expect(p.output()).toContain(`gateway      http://127.0.0.1:${gateway}/graphql`);
  expect(p.output()).toContain(
    `subgraphs    customer :${customer} · case :${kase} · commerce :${commerce} · session :${session}`,
  );
  expect(p.output()).toContain(`emulator     http://127.0.0.1:${emulator}`);
  expect(p.output()).toContain(`Pub/Sub API (gRPC)   127.0.0.1:${pubsub}`);

  // Each service listens where its variable says.
  for (const port of [customer, kase, commerce, session])
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${emulator}/`)).status).toBe(200);
  const health = await fetch(`http://127.0.0.1:${gateway}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const ready = await fetch(`http://127.0.0.1:${gateway}/readyz`);
  expect(ready.status).toBe(200);
  const res = await fetch(`http://127.0.0.1:${gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ products(ids: ["permit-building-residential"]) { id name } }',
    }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    data: {
      products: [{ id: 'permit-building-residential', name: 'Residential Building Permit' }],
    },
  });

  // GraphiQL offers the emulator's demo citizen (development only).
  const demo = await fetch(`http://127.0.0.1:${gateway}/graphiql/demo-login.json`);
  expect(demo.status).toBe(200);
  expect(await demo.json()).toEqual({
    demoLogin: { username: expect.stringMatching(/@/), password: expect.any(String) },
  });

  // A JSON log line stays one JSON object (the service a field of it), so `| jq` reads it; only
  // plain text lines get the `[name]` prefix.
  await p.waitFor(/^\{.*"service":"gateway".*\}$/m);
  const lines = p.output().split('\n');
  expect(lines.filter((l) => /^\[\w+\]\s+\{/.test(l))).toEqual([]);
  const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  expect(json.length).toBeGreaterThan(0);
  for (const entry of json) expect(SERVICES).toContain(entry.service);

  // One process per service, all below the started one (tsx CLI → start.ts → services).
  const pids = printedPids(p);
  expect(Object.keys(pids).sort()).toEqual([...SERVICES].sort());
  const tree = descendants(p.child.pid!);
  for (const pid of Object.values(pids)) expect(tree).toContain(pid);

  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
  expect(tree.filter(alive)).toEqual([]);
  for (const name of ['gateway', 'customer', 'case', 'commerce', 'session'])
    expect(p.output()).toMatch(new RegExp(`^\\[${name}\\]\\s+.*drained, exiting$`, 'm'));
});

test('npm start with a port already taken exits 1 and leaves no child running', async () => {
  const ports = await freePorts(7);
  const kase = ports[2];
  // Accepts connections and never answers (start.ts's readiness probe finds nothing there).
  const squatter: Server = createServer((socket) => socket.resume());
  await new Promise<void>((r) => squatter.listen(kase, '127.0.0.1', r));
  try {
    const p = startOn(ports);
    const seen = new Set<number>();
    let done = false;
    void p.exited.then(() => (done = true));
    const deadline = Date.now() + 90_000;
    while (!done) {
      if (Date.now() > deadline) throw new Error(`still running after 90 s:\n${p.output()}`);
      for (const pid of descendants(p.child.pid!)) seen.add(pid);
      await sleep(20);
    }
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.output()).toMatch(/EADDRINUSE/);
    expect(p.output()).toMatch(/^\[case\]\s+exited \(1\); stopping the stack$/m);
    const pids = printedPids(p);
    // The emulator and the four subgraphs were started; the gateway never was.
    expect(Object.keys(pids).sort()).toEqual([
      'case',
      'commerce',
      'customer',
      'emulator',
      'session',
    ]);
    for (const pid of Object.values(pids)) expect(seen).toContain(pid);
    expect([...seen].filter(alive)).toEqual([]);
  } finally {
    squatter.close();
  }
});

test('the compiled build (npm run build:server, what the image runs) runs the same stack without tsx', async () => {
  execFileSync(process.execPath, [TSX_CLI, 'scripts/build-server.ts'], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: 180_000,
  });
  const ports = await freePorts(7);
  const [gateway, customer, kase, commerce, session] = ports;
  const p = startOn(ports, ['--compiled']);
  await p.waitFor(/Customer 360 supergraph is up[\s\S]*Press Ctrl-C to stop\./, 100_000);

  // Every service is plain node on its compiled entry point: no loader, no TypeScript.
  const pids = printedPids(p);
  expect(Object.keys(pids).sort()).toEqual([...SERVICES].sort());
  for (const [name, pid] of Object.entries(pids)) {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const main = name === 'emulator' || name === 'gateway' ? name : `subgraphs/${name}`;
    // The gateway alone may carry the emulator's demo citizen for GraphiQL's sign-in offer.
    const extra = name === 'gateway' && argv[2] === '--graphiql-demo-login' ? 3 : 0;
    expect(argv.slice(1, argv.length - extra)).toEqual([`${ROOT}/build/${main}/main.js`]);
    if (extra) expect(argv).toHaveLength(5);
  }
  // Each subgraph loaded its SDL (its own and lib/graphql/common.graphql) from build/.
  for (const port of [customer, kase, commerce, session])
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  const res = await fetch(`http://127.0.0.1:${gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: '{ products(ids: ["permit-building-residential"]) { id name } }',
    }),
  });
  expect(await res.json()).toEqual({
    data: {
      products: [{ id: 'permit-building-residential', name: 'Residential Building Permit' }],
    },
  });
  p.child.kill('SIGTERM');
  expect(await p.exited).toEqual({ code: 0, signal: null });
}, 240_000);

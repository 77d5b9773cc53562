// Graceful shutdown of real processes: SIGTERM fails /readyz for SHUTDOWN_DELAY_MS (0 in tests
// unless set), then stops accepting, lets the request in flight finish with its full answer,
// closes WebSockets with 1001, then exits 0; SHUTDOWN_TIMEOUT_MS bounds the wait. The slow upstream is
// the emulator's latency fault on SCAPI's product lookup.
import { connect } from 'node:net';
import WebSocket from 'ws';
import { listen, type Listening } from '../../lib/http.js';
import { createEmulator, type Emulator } from '../../emulator/server.js';
import { spawnService, tryConnect, TSX_LOADER, type Proc } from './processes.js';
import { waitFor } from '../support/wait-for.js';

jest.setTimeout(60_000);

const SECRET = 'ops-shutdown-principal-secret';
const PRODUCTS = '{ products(ids: ["permit-building-residential"]) { id name } }';
const FULL = {
  data: { products: [{ id: 'permit-building-residential', name: 'Residential Building Permit' }] },
};

let emulator: Emulator;
let up: Listening;
const procs: Proc[] = [];

beforeAll(async () => {
  emulator = createEmulator({ citizens: 20 });
  up = await listen(emulator.app);
  emulator.setOrigin(up.url);
});
afterAll(async () => {
  await up.close();
});
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await fetch(`${up.url}/__emulator/faults`, { method: 'DELETE' });
});

async function commerce(env: NodeJS.ProcessEnv = {}) {
  const p = spawnService(['--import', TSX_LOADER, 'subgraphs/commerce/main.ts'], {
    COMMERCE_PORT: '0',
    PRINCIPAL_SECRET: SECRET,
    SCAPI_BASE_URL: `${up.url}/scapi`,
    ...env,
  });
  procs.push(p);
  const m = await p.waitFor(/commerce subgraph at http:\/\/127\.0\.0\.1:(\d+)\/graphql/);
  return { p, port: Number(m[1]) };
}

async function gateway(commercePort: number, env: NodeJS.ProcessEnv = {}) {
  const p = spawnService(['--import', TSX_LOADER, 'gateway/main.ts'], {
    GATEWAY_PORT: '0',
    PORT: '',
    PRINCIPAL_SECRET: SECRET,
    IDENTITY_SITE_URL: `${up.url}/identity`,
    COMMERCE_SUBGRAPH_URL: `http://127.0.0.1:${commercePort}/graphql`,
    ...env,
  });
  procs.push(p);
  const m = await p.waitFor(/gateway on http:\/\/127\.0\.0\.1:(\d+)\/graphql/);
  return { p, port: Number(m[1]) };
}

/** Makes the next product lookup slow and resolves once that request is waiting on it. */
async function slowProducts(latencyMs: number) {
  const res = await fetch(`${up.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'latency', family: 'scapi', path: '/products', latencyMs }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  return async function inFlight() {
    await waitFor(
      async () => {
        const { faults } = (await (await fetch(`${up.url}/__emulator/faults`)).json()) as {
          faults: Array<{ id: string; hits: number }>;
        };
        return faults.find((f) => f.id === id)!.hits === 1;
      },
      { what: 'the slow upstream call to be in flight' },
    );
  };
}

function ask(port: number) {
  let settled = false;
  const answer = fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PRODUCTS }),
  }).then(
    async (r) => ((settled = true), { status: r.status, body: await r.json() }),
    (e: Error) => ((settled = true), { status: 0, body: e.message }),
  );
  return { answer, settled: () => settled };
}

/** Polls until a fresh connection to `port` is refused (false if it never is, within the budget). */
const refused = (port: number) =>
  waitFor(async () => (await tryConnect(port)) === 'ECONNREFUSED', {
    what: `port ${port} to refuse connections`,
    onTimeout: 'return',
  });

test('gateway: SIGTERM mid-request refuses new connections, answers the request in flight in full, exits 0', async () => {
  const c = await commerce();
  const g = await gateway(c.port);
  expect(await ask(g.port).answer).toEqual({ status: 200, body: FULL });

  const inFlight = await slowProducts(1500);
  const req = ask(g.port);
  await inFlight();
  g.p.child.kill('SIGTERM');
  expect(await refused(g.port)).toBe(true);
  expect(req.settled()).toBe(false); // refused while the request was still being answered
  expect(await req.answer).toEqual({ status: 200, body: FULL });
  expect(await g.p.exited).toEqual({ code: 0, signal: null });
  expect(g.p.output()).toMatch(/gateway: drained, exiting/);
});

test('subgraph: SIGTERM mid-request refuses new connections, answers the request in flight in full, exits 0', async () => {
  const c = await commerce();
  const g = await gateway(c.port);
  expect(await ask(g.port).answer).toEqual({ status: 200, body: FULL });

  const inFlight = await slowProducts(1500);
  const req = ask(g.port);
  await inFlight();
  c.p.child.kill('SIGTERM');
  expect(await refused(c.port)).toBe(true);
  expect(req.settled()).toBe(false);
  expect(await req.answer).toEqual({ status: 200, body: FULL });
  expect(await c.p.exited).toEqual({ code: 0, signal: null });
  expect(c.p.output()).toMatch(/commerce subgraph: drained, exiting/);
});

test('SHUTDOWN_TIMEOUT_MS bounds the drain: a request slower than it is cut and the process exits 1', async () => {
  const c = await commerce();
  const g = await gateway(c.port, { SHUTDOWN_TIMEOUT_MS: '300' });
  const inFlight = await slowProducts(10_000);
  const req = ask(g.port);
  await inFlight();
  g.p.child.kill('SIGTERM');
  expect(await g.p.exited).toEqual({ code: 1, signal: null });
  expect((await req.answer).status).toBe(0);
  expect(g.p.output()).toMatch(/gateway: in-flight requests cut after 300 ms/);
});

/** A gateway process alone (no subgraph is needed for `{ __typename }` and a WebSocket). */
async function bareGateway(env: NodeJS.ProcessEnv) {
  return gateway(1, env);
}

/** A WebSocket on the gateway's /graphql (graphql-ws protocol) that has not initialised yet. */
function openSocket(port: number) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
  const opened = new Promise<void>((r, j) => (socket.once('open', r), socket.once('error', j)));
  return { socket, closed, opened };
}

test('gateway: SIGTERM fails /readyz first while /graphql answers; a second SIGTERM ends the delay; the WebSocket gets 1001; exit 0', async () => {
  const g = await bareGateway({
    SHUTDOWN_DELAY_MS: '600000',
    SUBSCRIPTION_INIT_TIMEOUT_MS: '600000',
  });
  const ws = openSocket(g.port);
  await ws.opened;
  g.p.child.kill('SIGTERM');
  await g.p.waitFor(/gateway: SIGTERM, \/readyz failing for 600000 ms/);
  const ready = await fetch(`http://127.0.0.1:${g.port}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'draining' });
  const res = await fetch(`http://127.0.0.1:${g.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('connection')).toBe('close');
  g.p.child.kill('SIGTERM');
  expect(await ws.closed).toBe(1001);
  expect(await g.p.exited).toEqual({ code: 0, signal: null });
  expect(g.p.output()).toMatch(/gateway: drained, exiting/);
});

test('gateway: a WebSocket that never answers the close frame is cut at SHUTDOWN_TIMEOUT_MS and the process exits 1', async () => {
  const g = await bareGateway({
    SHUTDOWN_TIMEOUT_MS: '300',
    SUBSCRIPTION_INIT_TIMEOUT_MS: '600000',
  });
  // The upgrade done by hand; then the client reads nothing and answers nothing.
  const raw = connect(g.port, '127.0.0.1');
  const upgraded = new Promise<void>((r) =>
    raw.once('data', (d: Buffer) => d.toString('latin1').startsWith('HTTP/1.1 101') && r()),
  );
  raw.write(
    'GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
  );
  await upgraded;
  raw.pause();
  g.p.child.kill('SIGTERM');
  expect(await g.p.exited).toEqual({ code: 1, signal: null });
  // Was 61 s with one open subscription (issue 24); now cut by SHUTDOWN_TIMEOUT_MS, which the
  // log line proves (how long that took is the machine's speed, not asserted).
  expect(g.p.output()).toMatch(/gateway: in-flight requests cut after 300 ms/);
  raw.destroy();
});

test('subgraph: SIGTERM fails /readyz first while it still answers; a second SIGTERM ends the delay; exit 0', async () => {
  const c = await commerce({ SHUTDOWN_DELAY_MS: '600000' });
  expect((await fetch(`http://127.0.0.1:${c.port}/readyz`)).status).toBe(200);
  c.p.child.kill('SIGTERM');
  await c.p.waitFor(/commerce subgraph: SIGTERM, \/readyz failing for 600000 ms/);
  const ready = await fetch(`http://127.0.0.1:${c.port}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'draining' });
  const health = await fetch(`http://127.0.0.1:${c.port}/healthz`);
  expect(health.status).toBe(200);
  expect(health.headers.get('connection')).toBe('close');
  c.p.child.kill('SIGTERM');
  expect(await c.p.exited).toEqual({ code: 0, signal: null });
  expect(c.p.output()).toMatch(/commerce subgraph: drained, exiting/);
});

// The bounded shutdown (lib/http.ts gracefulShutdown) on a live stack in this process, its timers
// injected and fired by hand: nothing here waits on a wall-clock expiry. SIGTERM → /readyz 503
// while /graphql still answers (the de-registration delay) → the listener closes, a subscriber's
// WebSocket gets 1001 "going away", an SSE stream ends, and the shutdown is over before its
// timeout (a multipart stream too); a client that never answers the close is cut when the timeout fires, and the exit
// code says so. The case subgraph's own WebSockets get 1001 the same way.
import { connect, type Socket } from 'node:net';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  startEmulator,
  startGateway,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
  type RunningGateway,
  type RunningSubgraph,
  type Stack,
} from '../harness.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { attachGatewaySubscriptions } from '../../gateway/subscriptions/index.js';
import { gracefulShutdown, type Shutdown } from '../../lib/http.js';
import { PRINCIPAL_HEADER, signPrincipal } from '../../lib/principal.js';
import { citizenPrincipal } from '../support/principals.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { liveKit, until } from '../live/live-kit.js';
import { budget } from '../support/budget.js';

jest.setTimeout(budget(1));

const DELAY_MS = 5_000;
const TIMEOUT_MS = 10_000;
const QUERY = 'subscription ($id: ID) { caseUpdated(id: $id) { kind case { id status } } }';

/** Timers that fire only when the test says so. */
function manualClock() {
  const timers: Array<{ ms: number; fn: () => void; live: boolean }> = [];
  const fired: number[] = [];
  return {
    fired,
    setTimer(ms: number, fn: () => void) {
      const t = { ms, fn, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    pending: (ms: number) => timers.some((t) => t.live && t.ms === ms),
    fire(ms: number) {
      const t = timers.find((x) => x.live && x.ms === ms);
      if (!t) throw new Error(`no pending ${ms} ms timer`);
      t.live = false;
      fired.push(ms);
      t.fn();
    },
  };
}

let upstream: RunningEmulator;
let env: NodeJS.ProcessEnv;
const subgraphs: RunningSubgraph[] = [];
let subgraphUrls: Record<string, string>;
let gw: RunningGateway | undefined;
let stack: Stack;

beforeAll(async () => {
  upstream = await startEmulator({ citizens: 20, pubsub: true });
  env = {
    ...upstream.env,
    PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
    REQUEST_DEADLINE_MS: String(budget(0.4)),
    SUBGRAPH_TIMEOUT_MS: String(budget(0.4) - 2_000),
    IDENTITY_TIMEOUT_MS: String(budget(0.2)),
    UPSTREAM_TIMEOUT_MS: String(budget(0.2)),
  };
  for (const s of SUBGRAPHS) subgraphs.push(await startSubgraph(s.name, env, { live: true }));
  subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
});
afterEach(async () => {
  await live.closeAll();
  await gw?.stop().catch(() => undefined);
  gw = undefined;
});
afterAll(async () => {
  for (const s of subgraphs.splice(0).reverse()) await s.stop();
  await upstream.stop();
});

/** A gateway with its subscriptions, and its shutdown on a manual clock. */
async function gatewayWithShutdown(delayMs: number) {
  gw = await startGateway(env, subgraphUrls);
  const subs = attachGatewaySubscriptions(gw.http.server, gw.gateway, {
    ...loadGatewayConfig(env),
    subgraphUrls,
  });
  stack = {
    emulator: upstream.emulator,
    gateway: gw.gateway,
    gatewayUrl: gw.url,
    subgraphUrls,
    env,
  } as Stack;
  const clock = manualClock();
  const log: string[] = [];
  const shutdown: Shutdown = gracefulShutdown({
    name: 'gateway',
    server: gw.http.server,
    delayMs,
    timeoutMs: TIMEOUT_MS,
    goingAway: () => subs.close(),
    log: (l) => log.push(l),
    setTimer: clock.setTimer,
  });
  return { gw, clock, log, shutdown, url: gw.url };
}

const live = liveKit(() => stack);

/** A WebSocket upgrade by hand that then never answers anything (a vanished client). */
function deafWebSocket(url: string): Promise<{ socket: Socket; received: () => Buffer }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      data = Buffer.concat([data, d]);
      if (data.includes('\r\n\r\n') && data.toString('latin1').startsWith('HTTP/1.1 101'))
        resolve({ socket, received: () => data });
    });
    socket.once('error', reject);
    socket.write(
      [
        'GET /graphql HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Protocol: graphql-transport-ws',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

/** The close code of the first close frame in `bytes` (server frames are unmasked). */
function closeCode(bytes: Buffer): number | undefined {
  const at = bytes.indexOf(Buffer.from([0x88]), bytes.indexOf('\r\n\r\n'));
  return at < 0 || bytes.length < at + 4 ? undefined : bytes.readUInt16BE(at + 2);
}

test('SIGTERM: /readyz 503 while /graphql answers; then 1001 to the subscriber, the SSE and multipart streams end, exit 0 before the timeout', async () => {
  const { clock, shutdown, url, log } = await gatewayWithShutdown(DELAY_MS);
  const citizen = await live.citizenWithCase(0);
  let closedWith: number | undefined;
  const client = createWsClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: citizen.authorization },
    retryAttempts: 0,
    on: { closed: (e) => (closedWith = (e as { code: number }).code) },
  });
  const ws = { results: [] as unknown[], errors: [] as unknown[] };
  client.subscribe(
    { query: QUERY, variables: { id: citizen.caseId } },
    { next: (r) => ws.results.push(r), error: (e) => ws.errors.push(e), complete: () => {} },
  );
  const sse = live.overSse(citizen.authorization, {
    query: QUERY,
    variables: { id: citizen.caseId },
  });
  // And one over Apollo's multipart HTTP protocol: open once its first (heartbeat) part arrives.
  const multipart = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;subscriptionSpec=1.0',
      authorization: citizen.authorization,
    },
    body: JSON.stringify({ query: QUERY, variables: { id: citizen.caseId } }),
  });
  expect(multipart.status).toBe(200);
  const parts = multipart.body!.getReader();
  expect((await parts.read()).done).toBe(false);
  // Both subscriptions are live upstream: each has received an event.
  await live.changeStatusUntil(
    citizen.caseId,
    () => ws.results.length > 0 && sse.results.length > 0,
  );

  const exit = shutdown.begin('SIGTERM');
  expect(shutdown.phase).toBe('deregistering');
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'draining' });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  const answer = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('connection')).toBe('close');
  expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  expect(closedWith).toBeUndefined(); // still subscribed during the delay

  clock.fire(DELAY_MS);
  await until(() => shutdown.phase !== 'deregistering');
  await until(() => closedWith !== undefined);
  expect(closedWith).toBe(1001);
  await until(() => sse.completed() || sse.errors.length > 0);
  // The multipart stream ends too (read to its end).
  while (!(await parts.read()).done);
  expect(await exit).toBe(0);
  expect(clock.fired).toEqual([DELAY_MS]); // the timeout never had to cut anything
  expect(log).toEqual([
    `gateway: SIGTERM, /readyz failing for ${DELAY_MS} ms before the listener closes`,
    `gateway: SIGTERM, draining (up to ${TIMEOUT_MS} ms)`,
    'gateway: drained, exiting',
  ]);
  await client.dispose();
});

test('a second SIGTERM ends the delay at once', async () => {
  const { shutdown, clock } = await gatewayWithShutdown(DELAY_MS);
  const exit = shutdown.begin('SIGTERM');
  expect(shutdown.phase).toBe('deregistering');
  void shutdown.begin('SIGTERM');
  expect(await exit).toBe(0);
  expect(clock.fired).toEqual([]);
});

test('a WebSocket client that never answers the close is cut when SHUTDOWN_TIMEOUT_MS fires: exit 1', async () => {
  const { clock, shutdown, url, log } = await gatewayWithShutdown(0);
  const deaf = await deafWebSocket(url);
  let socketClosed = false;
  deaf.socket.once('close', () => (socketClosed = true));
  const exit = shutdown.begin('SIGTERM');
  let code: number | undefined;
  void exit.then((c) => (code = c));
  // It was told: a close frame 1001 arrived, and it never answers.
  await until(() => closeCode(deaf.received()) !== undefined);
  expect(closeCode(deaf.received())).toBe(1001);
  expect(code).toBeUndefined();
  expect(clock.pending(TIMEOUT_MS)).toBe(true);
  clock.fire(TIMEOUT_MS);
  expect(await exit).toBe(1);
  await until(() => socketClosed);
  expect(log.at(-1)).toBe(`gateway: in-flight requests cut after ${TIMEOUT_MS} ms`);
});

test("the case subgraph's WebSockets get 1001 too", async () => {
  const kase = await startSubgraph('case', env, { live: true });
  try {
    const c = upstream.emulator.core.world.citizens[0];
    const clock = manualClock();
    const shutdown = gracefulShutdown({
      name: 'case subgraph',
      server: kase.http.server,
      delayMs: 0,
      timeoutMs: TIMEOUT_MS,
      goingAway: () => kase.ws!.close(),
      log: () => {},
      setTimer: clock.setTimer,
    });
    let acked = false;
    let closedWith: number | undefined;
    const client = createWsClient({
      url: kase.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: {
        [PRINCIPAL_HEADER]: signPrincipal(citizenPrincipal(c), TEST_PRINCIPAL_SECRET, {
          audience: 'case',
          subscription: true,
        }),
      },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      on: {
        connected: () => (acked = true),
        closed: (e) => (closedWith = (e as { code: number }).code),
      },
    });
    client.on('error', () => {});
    await until(() => acked);
    expect(await shutdown.begin('SIGTERM')).toBe(0);
    await until(() => closedWith !== undefined);
    expect(closedWith).toBe(1001);
    expect(clock.fired).toEqual([]);
    await client.dispose();
  } finally {
    await kase.stop().catch(() => undefined);
  }
});

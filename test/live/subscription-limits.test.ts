// Every streaming way in is bounded before work is spent (the attacks of issue 21 on
// subscriptions): a WebSocket frame or an SSE/multipart body above MAX_BODY_BYTES is refused
// without being read whole or parsed (bytes read counted on the server's socket), anonymous
// callers are refused on every transport, one client address holds at most
// SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS connections, a WebSocket that holds no subscription
// is closed when its idle timer fires (timers injected and fired by the test, never slept on), and
// a subscription's document meets POST's token, alias, depth and cost limits.
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { waitFor as poll } from '../support/wait-for.js';
import request from 'supertest';
import {
  startEmulator,
  startGateway,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
  type RunningGateway,
} from '../harness.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { attachGatewaySubscriptions } from '../../gateway/subscriptions/index.js';
import type { Schedule } from '../../gateway/subscriptions/limits.js';

const LIMIT = 100_000; // MAX_BODY_BYTES
const MAX_CONNECTIONS = 3;

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Set<{ ms: number; fn: () => void }>();
  const schedule: Schedule = (ms, fn) => {
    const t = { ms, fn };
    pending.add(t);
    return () => void pending.delete(t);
  };
  return {
    schedule,
    pending: () => [...pending].map((t) => t.ms),
    fireAll: () => {
      for (const t of [...pending]) {
        pending.delete(t);
        t.fn();
      }
    },
  };
}

let emulator: RunningEmulator;
let gateway: RunningGateway;
let live: { close(): Promise<void> };
let bearer: string;
const timers = manualTimers();
/** The gateway's side of every TCP connection (by the client's port), to count bytes read. */
const serverSockets = new Map<number, Socket>();
const opened: Array<{ close(): void }> = [];

beforeAll(async () => {
  emulator = await startEmulator({ citizens: 5 });
  const env = {
    ...emulator.env,
    PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
    MAX_BODY_BYTES: String(LIMIT),
    SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS: String(MAX_CONNECTIONS),
    SUBSCRIPTION_IDLE_TIMEOUT_MS: '60000',
  };
  // No subgraph is reached: every request here is refused before a subscription starts.
  const subgraphUrls = Object.fromEntries(
    ['customer', 'case', 'commerce', 'session'].map((n) => [n, 'http://127.0.0.1:9/graphql']),
  );
  gateway = await startGateway(env, subgraphUrls);
  gateway.http.server.on('connection', (s: Socket) => serverSockets.set(s.remotePort!, s));
  live = attachGatewaySubscriptions(
    gateway.http.server,
    gateway.gateway,
    { ...loadGatewayConfig(env), subgraphUrls },
    { schedule: timers.schedule },
  );
  const { world } = emulator.emulator.core;
  const token = await request(`${emulator.url}/crm`)
    .post('/services/oauth2/token')
    .type('form')
    .send({
      grant_type: 'client_credentials',
      client_id: world.integration.clientId,
      client_secret: world.integration.clientSecret,
    });
  bearer = `Bearer ${token.body.access_token}`;
}, 60_000);
afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  // Every connection of the test closed on the gateway's side (the per-address cap is free).
  await waitFor(() => [...serverSockets.values()].every((s) => s.destroyed));
  expect(timers.pending()).toEqual([]); // a closed socket's idle timer is cancelled
});
afterAll(async () => {
  await live.close();
  await gateway.stop();
  await emulator.stop();
});

const wsUrl = () => `${gateway.url.replace(/^http/, 'ws')}/graphql`;

/** A raw graphql-ws connection: what the server sent, and how it closed. */
function rawWs() {
  const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
  opened.push(socket);
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const failed = new Promise<string>((resolve) => socket.once('error', (e) => resolve(e.message)));
  const open = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const next = (type: string) =>
    new Promise<(typeof messages)[number]>((resolve) => {
      const seen = messages.find((m) => m.type === type);
      if (seen) return resolve(seen);
      const on = (data: WebSocket.RawData) => {
        const m = JSON.parse(data.toString()) as (typeof messages)[number];
        if (m.type === type) {
          socket.off('message', on);
          resolve(m);
        }
      };
      socket.on('message', on);
    });
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  const send = (m: unknown) => socket.send(JSON.stringify(m));
  return { socket, messages, closed, failed, open, next, send };
}

/** A signed-in graphql-ws connection, acknowledged. */
async function signedInWs() {
  const c = rawWs();
  await c.open;
  c.send({ type: 'connection_init', payload: { authorization: bearer } });
  await c.next('connection_ack');
  return c;
}

/** Bytes the gateway read on the socket whose local port is `port`. */
const bytesReadFrom = (port: number) => serverSockets.get(port)?.bytesRead ?? NaN;

test('a WebSocket frame declaring 4 MB is refused from its header: close 1009, the payload never read', async () => {
  const socket = connect((gateway.http.server.address() as AddressInfo).port, '127.0.0.1');
  opened.push({ close: () => socket.destroy() });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const port = socket.localPort!;
  const received: Buffer[] = [];
  socket.on('data', (d) => received.push(d));
  socket.write(
    'GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
  );
  await waitFor(() => Buffer.concat(received).includes('\r\n\r\n'));
  expect(Buffer.concat(received).toString().split('\r\n')[0]).toBe(
    'HTTP/1.1 101 Switching Protocols',
  );
  received.length = 0;
  // A masked text frame whose header says 4 MiB; only 1 KiB of it is sent.
  const header = Buffer.alloc(14);
  header[0] = 0x81;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(4 * 1024 * 1024), 2);
  socket.write(Buffer.concat([header, Buffer.alloc(1024, 0x20)]));
  await waitFor(() => Buffer.concat(received).length >= 4);
  const frame = Buffer.concat(received);
  expect(frame[0]).toBe(0x88); // close
  expect(frame.readUInt16BE(2)).toBe(1009); // message too big
  expect(bytesReadFrom(port)).toBeLessThan(2048);
});

test('a real 4 MB WebSocket message from a signed-in client closes the connection with 1009', async () => {
  const c = await signedInWs();
  c.socket.send('x'.repeat(4 * 1024 * 1024));
  expect((await c.closed).code).toBe(1009);
  expect(c.messages.map((m) => m.type)).toEqual(['connection_ack']);
});

/** POSTs `size` bytes to /graphql, chunked (no Content-Length) unless `declared`. */
function bigPost(size: number, headers: Record<string, string>, declared = false) {
  return new Promise<{ status: number; body: string; port: number }>((resolve, reject) => {
    const req = httpRequest(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': String(size) } : {}),
        ...headers,
      },
    });
    let port = 0;
    req.once('socket', (s) => s.once('connect', () => (port = s.localPort!)));
    let answered = false;
    req.once('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, port }));
      res.on('error', reject);
    });
    req.on('error', () => undefined); // the gateway closes the connection after refusing
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

test('a 5 MB anonymous SSE POST is refused 401 before its body is read', async () => {
  const res = await bigPost(5 * 1024 * 1024, { accept: 'text/event-stream' }, true);
  expect(res.status).toBe(401);
  expect(JSON.parse(res.body).errors[0]).toEqual({
    message: expect.stringContaining('signed-in caller'),
    extensions: { code: 'UNAUTHENTICATED' },
  });
  expect(bytesReadFrom(res.port)).toBeLessThanOrEqual(LIMIT);
});

test('a 5 MB signed-in SSE or multipart POST is refused 413 having read at most the limit (chunked: + one socket read)', async () => {
  for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec=1.0']) {
    for (const declared of [true, false]) {
      const res = await bigPost(5 * 1024 * 1024, { accept, authorization: bearer }, declared);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).errors[0].message).toContain('MAX_BODY_BYTES');
      // Declared: refused on its Content-Length, before its body is read (one socket read, 64
      // KiB, may already have arrived). Chunked: read up to the limit, then refused.
      expect(bytesReadFrom(res.port)).toBeLessThanOrEqual(declared ? LIMIT : LIMIT + 64 * 1024);
    }
  }
});

test('anonymous subscriptions are refused on every transport, saying how to sign in', async () => {
  const ws = rawWs();
  await ws.open;
  ws.send({ type: 'connection_init', payload: {} });
  expect(await ws.closed).toEqual({
    code: 4401,
    reason: 'Unauthorized: send connection_init {"authorization": "Bearer <token>"}.',
  });
  const bad = rawWs();
  await bad.open;
  bad.send({ type: 'connection_init', payload: { authorization: 'Bearer nope' } });
  expect((await bad.closed).code).toBe(4401);
  const subscription = { query: 'subscription { caseUpdated { kind } }' };
  for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec=1.0']) {
    const res = await request(gateway.url)
      .post('/graphql')
      .set('accept', accept)
      .send(subscription);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  }
});

test('one address holds at most SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS connections; a closed one frees its place', async () => {
  const held = Array.from({ length: MAX_CONNECTIONS }, () => rawWs());
  await Promise.all(held.map((c) => c.open));
  const refused = rawWs();
  expect(await refused.failed).toBe('Unexpected server response: 429');
  const sse = await request(gateway.url)
    .post('/graphql')
    .set({ accept: 'text/event-stream', authorization: bearer })
    .send({ query: 'subscription { caseUpdated { kind } }' });
  expect(sse.status).toBe(429);
  expect(sse.body.errors[0].message).toContain('SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS');
  held[0].socket.close();
  await held[0].closed;
  await waitFor(
    () => [...serverSockets.values()].filter((s) => !s.destroyed).length <= MAX_CONNECTIONS,
  );
  const again = rawWs();
  await again.open;
});

test('a WebSocket that holds no subscription is closed when its idle timer fires (signed in or not)', async () => {
  const signed = await signedInWs();
  const silent = rawWs();
  await silent.open;
  expect(timers.pending()).toEqual([60_000, 60_000]);
  timers.fireAll();
  for (const c of [signed, silent])
    expect(await c.closed).toEqual({
      code: 4408,
      reason: 'Closed: no subscription within 60000 ms (SUBSCRIPTION_IDLE_TIMEOUT_MS).',
    });
});

test('a WebSocket holding a subscription is not idle; it is once the subscription ends', async () => {
  const c = await signedInWs();
  expect(timers.pending()).toEqual([60_000]);
  c.send({
    type: 'subscribe',
    id: 'live',
    payload: { query: 'subscription { caseUpdated { kind } }' },
  });
  await waitFor(() => timers.pending().length === 0); // the idle timer is cancelled
  timers.fireAll();
  c.send({ type: 'ping' });
  await c.next('pong'); // still open
  c.send({ type: 'complete', id: 'live' });
  await waitFor(() => timers.pending().length === 1); // idle again, from the end of the subscription
  timers.fireAll();
  expect((await c.closed).code).toBe(4408);
});

test("a subscription's document meets POST's token, alias, depth and cost limits on every transport", async () => {
  const aliases = `subscription { caseUpdated { ${Array.from({ length: 16 }, (_, i) => `k${i}: kind`).join(' ')} } }`;
  const deep = `subscription { caseUpdated { case { ${'citizen { cases { edges { node { '.repeat(3)}id${' } } } }'.repeat(3)} } } }`;
  const tokens = `subscription { caseUpdated { ${'kind '.repeat(2001)} } }`;
  const orders = Array.from(
    { length: 7 },
    (_, i) => `o${i}: orders(first: 100) { edges { node { orderNo } } }`,
  ).join(' ');
  const costly = `subscription { caseUpdated { case { citizen { cases(first: 100) { edges { node { citizen { ${orders} } } } } } } } }`;
  const cases: Array<[string, RegExp, string]> = [
    [aliases, /the limit is 15 \(MAX_QUERY_ALIASES\)/, 'GRAPHQL_VALIDATION_FAILED'],
    [deep, /the limit is 12 \(MAX_QUERY_DEPTH\)/, 'GRAPHQL_VALIDATION_FAILED'],
    [tokens, /the limit is 2000 \(MAX_QUERY_TOKENS\)/, 'GRAPHQL_VALIDATION_FAILED'],
    [costly, /Salesforce API calls; the limit is 600/, 'COST_LIMIT_EXCEEDED'],
  ];
  const ws = await signedInWs();
  for (const [query, message, code] of cases) {
    const id = String(cases.findIndex((c) => c[0] === query));
    ws.send({ type: 'subscribe', id, payload: { query } });
    const error = await waitForMessage(ws, id);
    expect(error).toEqual({
      type: 'error',
      id,
      payload: [
        { message: expect.stringMatching(message), extensions: expect.objectContaining({ code }) },
      ],
    });
    for (const accept of ['text/event-stream', 'multipart/mixed;subscriptionSpec=1.0']) {
      const res = await request(gateway.url)
        .post('/graphql')
        .set({ accept, authorization: bearer })
        .send({ query });
      expect([res.status, res.body.errors[0].extensions.code]).toEqual([400, code]);
      expect(res.body.errors[0].message).toMatch(message);
    }
  }
});

async function waitForMessage(c: ReturnType<typeof rawWs>, id: string) {
  await waitFor(() => c.messages.some((m) => m.id === id), `message ${id}`);
  return c.messages.find((m) => m.id === id);
}

/** Waits for an event the test caused (a message, a close); bounded so a bug fails, not hangs. */
const waitFor = (ok: () => boolean, what = 'an event the test caused') => poll(ok, { what });

// The breaker and retry rules against a tiny real server: what counts against an upstream, what
// is retried, the deadline, cancellation, and the retry budget under a storm.
import express from 'express';
import { request as httpRequest } from 'node:http';
import {
  boundRequestDeadline,
  callUpstream,
  DEADLINE_HEADER,
  requestDeadline,
} from '../upstream-http.js';
import { Breakers, countsAgainstUpstream, isRetryable } from '../resilience.js';
import { UpstreamError } from '../errors.js';
import { listen, type Listening } from '../http.js';
import { waitFor } from '../../test/support/wait-for.js';

let upstream: Listening;
let script: Array<{
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Never answers: the call ends only when the client cuts it (abort, timeout). */
  hang?: true;
  /** Answers once this settles (the test decides when, not a timer). */
  release?: Promise<void>;
}> = [];
let hits = 0;
let open = 0;

beforeAll(async () => {
  const app = express();
  app.all('/x', (_req, res) => {
    hits++;
    open++;
    res.once('close', () => open--);
    const next = script.shift() ?? { status: 200 };
    for (const [k, v] of Object.entries(next.headers ?? {})) res.setHeader(k, v);
    const answer = () => {
      if (!res.writableEnded && !res.destroyed) res.status(next.status).json({});
    };
    if (next.hang) return;
    if (next.release) void next.release.then(answer);
    else if (next.delayMs) setTimeout(answer, next.delayMs);
    else answer();
  });
  upstream = await listen(app);
});
afterAll(() => upstream.close());
beforeEach(() => {
  script = [];
  hits = 0;
});

const breakerOptions = {
  rollingCountTimeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeout: 200,
};
const get = (breakers: Breakers, extra: Record<string, unknown> = {}, transport = {}) =>
  callUpstream(
    {
      family: 'datacloud',
      method: 'GET',
      url: `${upstream.url}/x`,
      timeoutMs: 1000,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
      ...extra,
    },
    { breakers, ...transport },
  );

test('predicates: a timeout counts against the upstream but is not retried; a 429 is retried but does not count', () => {
  const timeout = new UpstreamError('crm', 0, undefined, 't', true);
  const throttled = new UpstreamError('crm', 429, undefined, 'r', false, 1);
  const notFound = new UpstreamError('crm', 404, 'NOT_FOUND', 'n');
  const down = new UpstreamError('crm', 503, undefined, 'd');
  expect([timeout, throttled, notFound, down].map(isRetryable)).toEqual([false, true, false, true]);
  expect([timeout, throttled, notFound, down].map(countsAgainstUpstream)).toEqual([
    true,
    false,
    false,
    true,
  ]);
});

test('timeouts open the breaker (no upstream call while open) and a half-open probe closes it', async () => {
  const breakers = new Breakers(breakerOptions);
  script = Array.from({ length: 5 }, () => ({ status: 200, hang: true as const }));
  for (let i = 0; i < 5; i++) {
    const err = await get(breakers, { timeoutMs: 150 }).catch((e: UpstreamError) => e);
    expect((err as UpstreamError).code).toBe('UPSTREAM_TIMEOUT');
  }
  expect(hits).toBe(5);
  const fast = await get(breakers).catch((e: UpstreamError) => e);
  expect((fast as UpstreamError).upstreamCode).toBe('CIRCUIT_OPEN');
  expect((fast as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
  expect(hits).toBe(5);
  const b = breakers.breakerFor('datacloud', upstream.url);
  await new Promise<void>((r) => b.once('halfOpen', () => r()));
  script = [];
  await expect(get(breakers)).resolves.toMatchObject({ status: 200 });
  expect(hits).toBe(6);
  expect(b.closed).toBe(true);
  breakers.reset();
});

test('429s never open the breaker and reach the client as RATE_LIMITED with retryAfterSeconds', async () => {
  const breakers = new Breakers(breakerOptions);
  script = Array.from({ length: 30 }, () => ({ status: 429, headers: { 'retry-after': '7' } }));
  const codes = new Set<string>();
  for (let i = 0; i < 10; i++) {
    const err = (await get(breakers).catch((e) => e)) as UpstreamError;
    codes.add(err.code);
    expect(err.retryAfterSeconds).toBe(7);
  }
  expect([...codes]).toEqual(['RATE_LIMITED']);
  // Retry-After 7 s is beyond what a read waits: no retries, one call per logical call.
  expect(hits).toBe(10);
  expect(breakers.breakerFor('datacloud', upstream.url).closed).toBe(true);
  breakers.reset();
});

test('a 429 whose Retry-After exceeds the time left before the deadline is not retried', async () => {
  const breakers = new Breakers();
  script = [{ status: 429, headers: { 'retry-after': '1' } }];
  const err = (await get(
    breakers,
    { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2_000 } },
    { deadline: Date.now() + 500 },
  ).catch((e) => e)) as UpstreamError;
  expect(err.code).toBe('RATE_LIMITED');
  expect(err.retryAfterSeconds).toBe(1);
  expect(hits).toBe(1);
});

test('no call is started when the deadline has passed; a call is cut at the deadline', async () => {
  const breakers = new Breakers();
  const none = (await get(breakers, {}, { deadline: Date.now() - 1 }).catch(
    (e) => e,
  )) as UpstreamError;
  expect([none.code, none.upstreamCode, hits]).toEqual([
    'UPSTREAM_TIMEOUT',
    'DEADLINE_EXCEEDED',
    0,
  ]);
  script = [{ status: 200, hang: true }];
  const cut = (await get(breakers, { timeoutMs: 5_000 }, { deadline: Date.now() + 50 }).catch(
    (e) => e,
  )) as UpstreamError;
  expect([cut.code, cut.upstreamCode, hits]).toEqual(['UPSTREAM_TIMEOUT', 'DEADLINE_EXCEEDED', 1]);
  // Our deadline is not the upstream's fault: the breaker saw no failure.
  expect(breakers.breakerFor('datacloud', upstream.url).stats.failures).toBe(0);
});

test('an aborted signal cuts the in-flight call (the upstream sees the connection close) and stops retries', async () => {
  const breakers = new Breakers();
  script = [
    { status: 503, delayMs: 0 },
    { status: 200, hang: true },
  ];
  const controller = new AbortController();
  const pending = get(breakers, { timeoutMs: 5_000 }, { signal: controller.signal }).catch(
    (e) => e,
  );
  await waitFor(() => hits === 2, { what: 'the retry to reach the upstream' });
  expect(open).toBe(1);
  controller.abort(Object.assign(new Error('REQUEST_CANCELLED'), { name: 'REQUEST_CANCELLED' }));
  const err = (await pending) as UpstreamError;
  expect(err.upstreamCode).toBe('REQUEST_CANCELLED');
  await waitFor(() => open === 0, { what: 'the upstream to see the connection close' });
  expect(hits).toBe(2);
});

test('a server request scope: the client disconnecting aborts the upstream call made for it', async () => {
  let outcome: UpstreamError | undefined;
  const app = express();
  app.get('/proxy', async (_req, res) => {
    script = [{ status: 200, hang: true }];
    outcome = (await callUpstream({
      family: 'crm',
      method: 'GET',
      url: `${upstream.url}/x`,
      timeoutMs: 10_000,
    }).catch((e) => e)) as UpstreamError;
    res.end();
  });
  const service = await listen(app);
  const req = httpRequest(`${service.url}/proxy`);
  req.on('error', () => undefined);
  req.end();
  await waitFor(() => hits === 1, { what: 'the proxied call to reach the upstream' });
  req.destroy();
  const ended = await waitFor(() => outcome, { what: 'the proxied call to end' });
  expect(ended.upstreamCode).toBe('REQUEST_CANCELLED');
  await service.close();
});

test(`a server request scope takes the caller's ${DEADLINE_HEADER} as a bound`, async () => {
  let outcome: UpstreamError | undefined;
  const app = express();
  app.get('/proxy', async (_req, res) => {
    outcome = (await callUpstream({
      family: 'crm',
      method: 'GET',
      url: `${upstream.url}/x`,
      timeoutMs: 10_000,
    }).catch((e) => e)) as UpstreamError;
    res.end();
  });
  const service = await listen(app);
  const res = await fetch(`${service.url}/proxy`, {
    headers: { [DEADLINE_HEADER]: String(Date.now() - 1) },
  });
  expect(res.status).toBe(200);
  expect([outcome?.upstreamCode, hits]).toEqual(['DEADLINE_EXCEEDED', 0]);
  await service.close();
});

test.each([
  // Below the breaker's volume: 12 first attempts + 3 retries (floor) + 0.2 per first attempt.
  [12, 18],
  // A long storm: the circuit opens after 20 failed attempts; the rest fail fast, uncalled.
  [100, 20],
])(
  'a 503 storm of %i reads: %i upstream calls (≤ 1.5 per logical call; 3 each without the budget)',
  async (logical, calls) => {
    const breakers = new Breakers(); // the production defaults
    script = Array.from({ length: 1000 }, () => ({ status: 503 }));
    for (let i = 0; i < logical; i++) await get(breakers).catch(() => undefined);
    expect(hits).toBe(calls);
    expect(hits / logical).toBeLessThanOrEqual(1.5);
    breakers.reset();
  },
);

test('slow calls open the breaker while they are still running (a hang is not waited out), and observers see it', async () => {
  const breakers = new Breakers({ ...breakerOptions, slowCallMs: 50 });
  const states: string[] = [];
  breakers.observe((family, key, state) => states.push(`${family} ${key} ${state}`));
  const opened = new Promise<void>((r) =>
    breakers.breakerFor('datacloud', upstream.url).once('open', () => r()),
  );
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  script = Array.from({ length: 5 }, () => ({ status: 200, release: held }));
  let settled = 0;
  const slow = Array.from({ length: 5 }, () =>
    get(breakers, { timeoutMs: 5_000 }).finally(() => settled++),
  );
  await opened;
  expect(settled).toBe(0); // opened by the slow calls, not by their ends
  expect(breakers.notClosed()).toEqual({ [`datacloud ${upstream.url}`]: 'open' });
  const fast = (await get(breakers).catch((e: unknown) => e)) as UpstreamError;
  expect(fast.upstreamCode).toBe('CIRCUIT_OPEN');
  expect(states).toEqual([`datacloud ${upstream.url} open`]);
  // The slow calls themselves still get their answers.
  release();
  expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  // Counted once all have arrived (not when the circuit opened: how soon the five reach the
  // server depends on the machine): the fast failure was never sent.
  expect(hits).toBe(5);
  breakers.reset();
  expect(states.at(-1)).toBe(`datacloud ${upstream.url} closed`);
});

test('slowCallMs 0 (the development default) counts no slow call', async () => {
  const breakers = new Breakers({ ...breakerOptions, slowCallMs: 0 });
  script = Array.from({ length: 6 }, () => ({ status: 200, delayMs: 100 }));
  await Promise.all(Array.from({ length: 6 }, () => get(breakers)));
  expect(breakers.notClosed()).toEqual({});
  breakers.reset();
});

test("a server's own maximum bounds the deadline, whatever the caller's header says (MAX_REQUEST_DEADLINE_MS)", async () => {
  let outcome: UpstreamError | undefined;
  const app = express();
  // The bound a subgraph server applies in its first middleware (lib/subgraph-server.ts).
  app.use((req, _res, next) => {
    boundRequestDeadline(req, 100);
    next();
  });
  app.get('/proxy', async (_req, res) => {
    outcome = (await callUpstream({
      family: 'crm',
      method: 'GET',
      url: `${upstream.url}/x`,
      timeoutMs: 20_000,
    }).catch((e) => e)) as UpstreamError;
    res.end();
  });
  const service = await listen(app);
  // The upstream answers after 10 s: only the server's 100 ms bound can end the call sooner (not
  // the caller's hour, not the call's 20 s); without it the call would succeed.
  script = [{ status: 200, delayMs: 10_000 }];
  try {
    const res = await fetch(`${service.url}/proxy`, {
      headers: { [DEADLINE_HEADER]: String(Date.now() + 3_600_000) },
    });
    expect(res.status).toBe(200);
    expect([outcome?.code, outcome?.upstreamCode, hits]).toEqual([
      'UPSTREAM_TIMEOUT',
      'DEADLINE_EXCEEDED',
      1,
    ]);
  } finally {
    await service.close();
  }
});

test('the maximum may be above the process default: a header within it is kept', () => {
  const now = 1_000_000;
  const req = { headers: { [DEADLINE_HEADER]: String(now + 45_000) } } as never;
  expect(requestDeadline(req, now)).toBe(now + 30_000);
  expect(requestDeadline(req, now, 60_000)).toBe(now + 45_000);
  expect(requestDeadline({ headers: {} } as never, now, 60_000)).toBe(now + 60_000);
});

// callUpstream against a tiny real server: typed errors, retries for reads only, Retry-After, breaker.
import express from 'express';
import { callUpstream } from '../upstream-http.js';
import { UpstreamError } from '../errors.js';
import { resetBreakers } from '../resilience.js';
import { UpstreamCost } from '../upstream-cost.js';
import { listen, type Listening } from '../http.js';

let server: Listening;
let script: Array<{ status: number; body?: unknown; headers?: Record<string, string> }> = [];
let hits = 0;

beforeAll(async () => {
  const app = express();
  app.all('/x', (_req, res) => {
    hits++;
    const next = script.shift() ?? { status: 200, body: { ok: true } };
    for (const [k, v] of Object.entries(next.headers ?? {})) res.setHeader(k, v);
    res.status(next.status).json(next.body ?? {});
  });
  app.get('/slow', (_req, res) => {
    hits++;
    setTimeout(() => res.json({}), 300);
  });
  server = await listen(app);
});
afterAll(() => server.close());
beforeEach(() => {
  script = [];
  hits = 0;
  resetBreakers();
});

const get = (path = '/x', extra = {}) =>
  callUpstream({
    family: 'crm',
    method: 'GET',
    url: `${server.url}${path}`,
    timeoutMs: 1000,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
    ...extra,
  });

test('a 2xx returns the parsed body and is metered', async () => {
  const cost = new UpstreamCost();
  const res = await callUpstream(
    { family: 'scapi', method: 'GET', url: `${server.url}/x`, timeoutMs: 1000 },
    { cost },
  );
  expect(res.body).toEqual({ ok: true });
  expect(cost.report().scapi?.calls).toBe(1);
});

test('transient failures of a read are retried, then succeed', async () => {
  script = [{ status: 503 }, { status: 502 }];
  await expect(get()).resolves.toMatchObject({ status: 200 });
  expect(hits).toBe(3);
});

test('writes are never retried', async () => {
  script = [{ status: 503 }];
  await expect(
    callUpstream({
      family: 'crm',
      method: 'POST',
      url: `${server.url}/x`,
      json: {},
      timeoutMs: 1000,
    }),
  ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  expect(hits).toBe(1);
});

test('Retry-After is honoured when short, and a long one gives up as RATE_LIMITED', async () => {
  script = [{ status: 429, headers: { 'retry-after': '0' } }];
  await expect(get()).resolves.toMatchObject({ status: 200 });
  script = [{ status: 429, headers: { 'retry-after': '120' } }];
  const err = await get().catch((e) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect(err.code).toBe('RATE_LIMITED');
  expect(err.retryAfterSeconds).toBe(120);
});

test('the daily API limit is not retried and maps to RATE_LIMITED', async () => {
  script = [
    {
      status: 403,
      body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }],
    },
  ];
  const err = await get().catch((e) => e);
  expect(err.code).toBe('RATE_LIMITED');
  expect(hits).toBe(1);
});

test('a slow upstream times out as UPSTREAM_TIMEOUT', async () => {
  const err = await get('/slow', {
    timeoutMs: 50,
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  }).catch((e) => e);
  expect(err.code).toBe('UPSTREAM_TIMEOUT');
});

test('404 can be accepted by the caller', async () => {
  script = [{ status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'nope' }] }];
  await expect(get('/x', { accept: [404] })).resolves.toMatchObject({ status: 404 });
});

test('the circuit opens after repeated failures and answers fast', async () => {
  script = Array.from({ length: 40 }, () => ({ status: 500 }));
  for (let i = 0; i < 25; i++)
    await get('/x', { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).catch(
      () => undefined,
    );
  const before = hits;
  const err = await get().catch((e) => e);
  expect(err.upstreamCode).toBe('CIRCUIT_OPEN');
  expect(err.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(hits).toBe(before);
});

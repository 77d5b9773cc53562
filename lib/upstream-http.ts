// The one HTTP path every upstream client uses: timeouts bounded by the request's deadline,
// cancellation when the client goes away, retries within a budget, the breaker, the cost meter,
// and a typed UpstreamError for anything that is not a 2xx. Calls go over keep-alive pools per
// origin (lib/http-pool.ts), not the global fetch (see there why); tests may inject a fetch.
//
// Request scope: every HTTP request a Node server in this process receives gets a scope (through
// the `http.server.request.start` diagnostics channel, so no server code has to pass it along):
// an AbortSignal aborted when the client disconnects or the deadline passes, the deadline itself
// (the caller's `x-c360-deadline`, trusted only as a bound and capped by this process's own
// maximum) and the breakers of that server instance. Every callUpstream made while serving the
// request — in resolvers, DataLoader batches and retries alike — reads it from AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { setMaxListeners } from 'node:events';
import { callSignal } from './abort.js';
import { noteWriteSent } from './keyed-lock.js';
import { HttpPool } from './http-pool.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UpstreamError, type UpstreamFamily } from './errors.js';
import type { UpstreamCost } from './upstream-cost.js';
import {
  Breakers,
  CANCELLED,
  DEADLINE_EXCEEDED,
  DEFAULT_RETRY,
  defaultBreakers,
  withRetry,
  type RetryPolicy,
} from './resilience.js';
import { endpointTemplate, parseLimitInfo } from './observability/upstream-observer.js';
import { endUpstreamSpan, injectTraceHeaders, startUpstreamSpan } from './observability/tracing.js';
import type { CacheHint, ReadCacheStage } from './read-cache/types.js';

export interface UpstreamRequest {
  family: UpstreamFamily;
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or a form (sent as x-www-form-urlencoded). */
  json?: unknown;
  form?: Record<string, string | undefined>;
  timeoutMs: number;
  /** Statuses the caller handles itself instead of getting an UpstreamError (e.g. 404 → null). */
  accept?: number[];
  /**
   * Statuses (among `accept`) that are a normal answer, not a failure: not logged as one (e.g.
   * userinfo's 403 for a client-credentials token, which has no identity scope).
   */
  expected?: number[];
  /** Do not follow redirects (SLAS answers 303 with the code in Location). */
  manualRedirect?: boolean;
  /**
   * Safe to repeat (reads, and POSTs that only read such as a Data Cloud query). GETs are
   * idempotent by default; writes are never retried here — they are made idempotent by keys.
   */
  idempotent?: boolean;
  retry?: RetryPolicy;
  /** What the read cache may do with it (lib/read-cache): a read to keep, or a write's records. */
  cache?: CacheHint;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: { get(name: string): string | null };
  body: T;
}

export interface UpstreamTransport {
  /** Tests put a fake or TLS-pinned fetch here; by default calls go through UPSTREAM_POOLS. */
  fetch?: typeof fetch;
  cost?: UpstreamCost;
  /** Aborts in-flight calls and stops retries (default: the current request's scope). */
  signal?: AbortSignal;
  /** Absolute epoch ms; no call starts after it and none outlives it (default: the request's). */
  deadline?: number;
  /** Breakers and retry budgets (default: the current server's, else a process-wide one). */
  breakers?: Breakers;
  /** The server's read cache (lib/read-cache): requests with a `cache` hint go through it. */
  readCache?: ReadCacheStage;
}

/**
 * Sockets per Salesforce origin, process-wide: one keep-alive pool per origin (lib/http-pool.ts).
 * Sized above the widest fan-out of one request (SCAPI_PER_CUSTOMER_CONCURRENCY, 100 by
 * default) so that one members page never waits for a socket another request holds long.
 */
const UPSTREAM_MAX_SOCKETS = 256;
const pools = new Map<string, HttpPool>();
function poolFor(url: string): HttpPool {
  const origin = new URL(url).origin;
  let pool = pools.get(origin);
  if (!pool) pools.set(origin, (pool = new HttpPool(origin, { maxSockets: UPSTREAM_MAX_SOCKETS })));
  return pool;
}

/** The gateway's deadline for one request, absolute epoch ms, sent to each subgraph. */
export const DEADLINE_HEADER = 'x-c360-deadline';

export interface RequestScope {
  signal: AbortSignal;
  deadline: number;
  breakers: Breakers;
}

const scopes = new AsyncLocalStorage<RequestScope>();
const serverBreakers = new WeakMap<object, Breakers>();
let maxDeadlineMs = 30_000;

/** The longest any request of this process may run upstream, whatever its caller's header says. */
export function setMaxRequestDeadlineMs(ms: number): void {
  maxDeadlineMs = ms;
}

/** The breakers of one server instance (each server gets its own on its first request). */
export function breakersOf(server: object): Breakers {
  let b = serverBreakers.get(server);
  if (!b) serverBreakers.set(server, (b = new Breakers()));
  return b;
}

/** The request scope in effect, if this code runs while serving an HTTP request. */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/**
 * The request's deadline: the caller's `x-c360-deadline` as a bound only, capped by this
 * process's own maximum.
 */
export function requestDeadline(req: IncomingMessage, now = Date.now()): number {
  const cap = now + maxDeadlineMs;
  const raw = req.headers[DEADLINE_HEADER];
  const given = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(given) && given > 0 ? Math.min(given, cap) : cap;
}

/**
 * An AbortSignal aborted when the client disconnects before the answer is written (reason
 * REQUEST_CANCELLED). The deadline is enforced per call (each timeout is min(its own, time
 * left), no call starts after it), not by this signal, so a caller's header can only shorten
 * the upstream calls made for it, never cut anything else.
 */
export function requestSignal(_req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // Every concurrent upstream call of the request listens to it (a members page: 100 shopper
  // calls at once); that is the design, not a leak, so Node's 10-listener warning is off for it.
  setMaxListeners(0, controller.signal);
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(reason(CANCELLED));
  });
  return controller.signal;
}

function reason(code: string): Error {
  const e = new Error(code);
  e.name = code;
  return e;
}

/**
 * One subscriber per process: the channel is process-wide, and a module loaded again (a test
 * runner's fresh registry per file, a hot reload) would otherwise stack one more subscriber —
 * and one more `close` listener per response — for each load. The newest load replaces the last.
 */
const SUBSCRIBER = Symbol.for('c360.upstream-http.request-scope');
const REQUEST_START = 'http.server.request.start';
const registry = diagnostics as typeof diagnostics & { [SUBSCRIBER]?: (message: unknown) => void };
const previous = registry[SUBSCRIBER];
if (previous) diagnostics.unsubscribe(REQUEST_START, previous);
registry[SUBSCRIBER] = enterRequestScope;
diagnostics.subscribe(REQUEST_START, enterRequestScope);

function enterRequestScope(message: unknown): void {
  const { request, response, server } = message as {
    request: IncomingMessage;
    response: ServerResponse;
    server: object;
  };
  const deadline = requestDeadline(request);
  // enterWith: the server emits 'request' right after this, in the same synchronous step, so
  // everything the handler starts (body parsing, Apollo, resolvers, loaders) runs in this scope.
  scopes.enterWith({
    signal: requestSignal(request, response),
    deadline,
    breakers: breakersOf(server),
  });
}

export async function callUpstream<T = unknown>(
  req: UpstreamRequest,
  transport: UpstreamTransport = {},
): Promise<UpstreamResponse<T>> {
  const send = () => sendUpstream<T>(req, transport);
  return transport.readCache
    ? transport.readCache.through(req.family, req, transport.cost, send)
    : send();
}

async function sendUpstream<T>(
  req: UpstreamRequest,
  transport: UpstreamTransport,
): Promise<UpstreamResponse<T>> {
  const idempotent =
    req.idempotent ??
    (req.method.toUpperCase() === 'GET' || isRepeatableGrant(req.form?.grant_type));
  const policy = idempotent ? (req.retry ?? DEFAULT_RETRY) : { ...DEFAULT_RETRY, attempts: 1 };
  const origin = new URL(req.url).origin;
  const scope = scopes.getStore();
  const limits: CallLimits = {
    signal: transport.signal ?? scope?.signal,
    deadline: transport.deadline ?? scope?.deadline,
  };
  const breakers = transport.breakers ?? scope?.breakers ?? defaultBreakers;
  const budget = breakers.budgetFor(req.family);
  budget.request();
  let attempt = 0;
  return withRetry(
    () =>
      breakers.fire(req.family, origin, () =>
        // A write whose lost answer leaves a keyed holder's outcome unknown (lib/keyed-lock.ts):
        // not an OAuth token request (a form), which mints a token and changes no record.
        callOnce<T>(req, transport, limits, attempt++ > 0, !idempotent && req.form === undefined),
      ),
    policy,
    { ...limits, mayRetry: () => budget.tryRetry() },
  );
}

interface CallLimits {
  signal?: AbortSignal;
  deadline?: number;
}

async function callOnce<T>(
  req: UpstreamRequest,
  transport: UpstreamTransport,
  limits: CallLimits,
  retry: boolean,
  write: boolean,
): Promise<UpstreamResponse<T>> {
  // Never start a call the request can no longer use.
  if (limits.signal?.aborted) throw cutOff(req.family, limits.signal.reason);
  const left = limits.deadline === undefined ? Infinity : limits.deadline - Date.now();
  if (left <= 0)
    throw new UpstreamError(
      req.family,
      0,
      DEADLINE_EXCEEDED,
      `${req.family} not called: the request's deadline has passed`,
      true,
    );
  const timeoutMs = Math.min(req.timeoutMs, left);
  const cutByDeadline = timeoutMs < req.timeoutMs;
  const endpoint = endpointTemplate(req.url);
  const span = startUpstreamSpan({ family: req.family, method: req.method, endpoint, retry });
  const seen = (status: number, started: number, upstreamCode?: string) => {
    endUpstreamSpan(span, status, upstreamCode);
    transport.cost?.call({
      family: req.family,
      method: req.method,
      endpoint,
      status,
      ms: performance.now() - started,
      upstreamCode,
      retry,
      ...(req.expected?.includes(status) ? { expected: true } : {}),
    });
  };
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  injectTraceHeaders((k, v) => (headers[k] = v));
  let body: string | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.set(k, v);
    body = form.toString();
  }
  const started = performance.now();
  // A keyed write's holder (lib/keyed-lock.ts): from here, no answer means an unknown outcome.
  if (write) noteWriteSent();
  const call = callSignal(timeoutMs, limits.signal);
  try {
    return await answerOf<T>({
      req,
      transport,
      limits,
      signal: call.signal,
      headers,
      body,
      started,
      timeoutMs,
      cutByDeadline,
      seen,
    });
  } finally {
    call.done();
  }
}

interface AnswerContext {
  req: UpstreamRequest;
  transport: UpstreamTransport;
  limits: CallLimits;
  signal: AbortSignal;
  headers: Record<string, string>;
  body: string | undefined;
  started: number;
  timeoutMs: number;
  cutByDeadline: boolean;
  seen: (status: number, started: number, upstreamCode?: string) => void;
}

/** Sends the call and reads its whole answer under one signal (the timeout covers the body). */
async function answerOf<T>(ctx: AnswerContext): Promise<UpstreamResponse<T>> {
  const { req, transport, limits, headers, body, started, timeoutMs, cutByDeadline, seen } = ctx;
  let res: { status: number; headers: UpstreamResponse['headers']; text(): Promise<string> };
  try {
    const redirect = req.manualRedirect ? 'manual' : 'follow';
    res = transport.fetch
      ? await transport.fetch(req.url, {
          method: req.method,
          headers,
          body,
          redirect,
          signal: ctx.signal,
        })
      : await poolFor(req.url).send(
          req.url,
          { method: req.method, headers, body, redirect },
          ctx.signal,
        );
  } catch (err) {
    seen(0, started);
    if (limits.signal?.aborted) throw cutOff(req.family, limits.signal.reason);
    const timedOut =
      (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    throw new UpstreamError(
      req.family,
      0,
      timedOut && cutByDeadline ? DEADLINE_EXCEEDED : undefined,
      timedOut
        ? `${req.family} did not answer within ${timeoutMs} ms`
        : `${req.family} unreachable: ${(err as Error).message}`,
      timedOut,
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    seen(0, started);
    if (limits.signal?.aborted) throw cutOff(req.family, limits.signal.reason);
    const timedOut =
      (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    throw new UpstreamError(
      req.family,
      0,
      timedOut && cutByDeadline ? DEADLINE_EXCEEDED : undefined,
      `${req.family} answer was cut off`,
      timedOut,
    );
  }
  const parsed = parseBody(text);
  seen(res.status, started, res.status >= 400 ? upstreamCode(parsed) : undefined);
  const usage = parseLimitInfo(res.headers.get('sforce-limit-info'));
  if (usage) transport.cost?.observer?.apiUsage(req.family, usage[0], usage[1]);
  const ok =
    (res.status >= 200 && res.status < 300) ||
    (req.manualRedirect && res.status >= 300 && res.status < 400);
  if (!ok && !req.accept?.includes(res.status)) {
    const retryAfter = res.headers.get('retry-after');
    throw new UpstreamError(
      req.family,
      res.status,
      upstreamCode(parsed),
      `${req.family} answered ${res.status}${upstreamCode(parsed) ? ` ${upstreamCode(parsed)}` : ''} for ${req.method} ${new URL(req.url).pathname}`,
      false,
      retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
    );
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A call cut by us: the client went away (REQUEST_CANCELLED) or the deadline passed. */
function cutOff(family: UpstreamFamily, why: unknown): UpstreamError {
  const code = (why as Error)?.name === CANCELLED ? CANCELLED : DEADLINE_EXCEEDED;
  return new UpstreamError(
    family,
    0,
    code,
    code === CANCELLED
      ? `${family} call cancelled: the client went away`
      : `${family} call cut: the request's deadline passed`,
    true,
  );
}

/** Token requests that mint a fresh token each time and consume nothing (unlike an authorization code). */
const REPEATABLE_GRANTS = new Set(['client_credentials', 'urn:salesforce:grant-type:external:cdp']);
function isRepeatableGrant(grant: string | undefined): boolean {
  return !!grant && REPEATABLE_GRANTS.has(grant);
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The upstream's own error code from any of the four envelopes. */
export function upstreamCode(body: unknown): string | undefined {
  if (Array.isArray(body)) return (body[0] as { errorCode?: string })?.errorCode;
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.errorCode === 'string') return b.errorCode;
    if (typeof b.error === 'string') return b.error;
    if (typeof b.type === 'string') return b.type.split('/').pop();
  }
  return undefined;
}

/** Joins a base URL and a path without dropping the base's path prefix (e.g. the emulator's /crm). */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

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
// Why not an explicit argument in each request's context: @apollo/gateway calls the subgraph
// fetcher with the URL and options only (no context), a token cache's one in-flight token request
// serves many requests at once, and lib/keyed-lock.ts bounds a held key by the holder's deadline;
// each of those would have to be given the scope by hand. Callers that have one pass it anyway
// (`UpstreamTransport.signal`, `deadline`, `breakers`), and it wins over the ambient one.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { setMaxListeners } from 'node:events';
import { noteWriteSent } from './keyed-lock.js';
import { HttpPool } from './http-pool.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CutOff, UpstreamError, type UpstreamFamily } from './errors.js';
import type { UpstreamCost } from './upstream-cost.js';
import { Breakers, DEFAULT_RETRY, defaultBreakers, type RetryPolicy } from './resilience.js';
import { endpointTemplate } from './observability/upstream-observer.js';
import { compose, type OutboundResponse, type Stage } from './outbound/pipeline.js';
import { retry } from './outbound/retry.js';
import { breaker } from './outbound/breaker.js';
import { cancel } from './outbound/cancel.js';
import { deadline } from './outbound/deadline.js';
import { trace } from './outbound/trace.js';
import { cost } from './outbound/cost.js';
import { transport as outbound } from './outbound/transport.js';
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
  /** When the request arrived (epoch ms): the server's own maximum counts from there. */
  arrivedAt: number;
}

const scopes = new AsyncLocalStorage<RequestScope>();
const serverBreakers = new WeakMap<object, Breakers>();
/** The longest any request of this process may run upstream, whatever its caller's header says. */
export const MAX_REQUEST_DEADLINE_MS = 30_000;

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
export function requestDeadline(
  req: IncomingMessage,
  now = Date.now(),
  maxMs = MAX_REQUEST_DEADLINE_MS,
): number {
  const cap = now + maxMs;
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
    if (!res.writableFinished) controller.abort(reason(CutOff.CANCELLED));
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
  const arrivedAt = Date.now();
  const deadline = requestDeadline(request, arrivedAt);
  // enterWith: the server emits 'request' right after this, in the same synchronous step, so
  // everything the handler starts (body parsing, Apollo, resolvers, loaders) runs in this scope.
  scopes.enterWith({
    signal: requestSignal(request, response),
    deadline,
    breakers: breakersOf(server),
    arrivedAt,
  });
}

/**
 * Bounds the current request's deadline by this server's own maximum (a subgraph's
 * MAX_REQUEST_DEADLINE_MS), from the request's arrival: called by the server's first middleware,
 * before any upstream call of the request.
 */
export function boundRequestDeadline(req: IncomingMessage, maxMs: number): void {
  const scope = scopes.getStore();
  if (scope) scope.deadline = requestDeadline(req, scope.arrivedAt, maxMs);
}

/**
 * One call to Salesforce: the subgraph → Salesforce composition of the outbound stages
 * (lib/outbound/pipeline.ts): [read cache] → retry → breaker → cancel → deadline → answer →
 * trace → cost → transport. The read cache (lib/read-cache, when the transport carries one and
 * the request a `cache` hint) is outermost: it keeps parsed answers, so a hit skips every stage
 * below it (no retry budget, breaker, trace or meter spent; `cacheHits` counts it instead), and a
 * write's invalidation runs once, after its retries. The request scope gives the signal, the deadline and the breakers unless the
 * caller's transport names its own.
 */
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
  const scope = scopes.getStore();
  const signal = transport.signal ?? scope?.signal;
  const deadlineAt = transport.deadline ?? scope?.deadline;
  const breakers = transport.breakers ?? scope?.breakers ?? defaultBreakers;
  const endpoint = endpointTemplate(req.url);
  // A write whose lost answer leaves a keyed holder's outcome unknown (lib/keyed-lock.ts):
  // not an OAuth token request (a form), which mints a token and changes no record.
  const write = !idempotent && req.form === undefined;
  const send = compose(
    [
      retry({ policy, budget: breakers.budgetFor(req.family), deadline: deadlineAt, signal }),
      breaker(breakers),
      cancel(signal),
      deadline(deadlineAt),
      answer(req),
      trace({ endpoint, codeOf }),
      cost(transport.cost, { endpoint, expected: req.expected, codeOf }),
      write && writeSent,
    ],
    outbound({ pool: poolFor, fetch: transport.fetch }),
  );
  const res = await send({
    target: req.family,
    key: new URL(req.url).origin,
    method: req.method,
    url: req.url,
    ...encodeBody(req),
    redirect: req.manualRedirect ? 'manual' : 'follow',
    timeoutMs: req.timeoutMs,
  });
  return { status: res.status, headers: res.headers, body: parseBody(await res.text()) as T };
}

/** The request's headers and body (JSON or a form). */
function encodeBody(req: UpstreamRequest): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    return { headers, body: JSON.stringify(req.json) };
  }
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.set(k, v);
    return { headers, body: form.toString() };
  }
  return { headers };
}

/** The upstream's own code in a failed answer (read from a copy: the answer is read once more). */
async function codeOf(res: OutboundResponse): Promise<string | undefined> {
  return upstreamCode(parseBody(await res.clone().text()));
}

/** A keyed write's holder (lib/keyed-lock.ts): from the send on, no answer means an unknown outcome. */
const writeSent: Stage = (next) => (call) => {
  noteWriteSent();
  return next(call);
};

/** Salesforce's answer stage: a non-2xx answer the caller does not accept is an UpstreamError. */
function answer(req: UpstreamRequest): Stage {
  return (next) => async (call) => {
    const res = await next(call);
    const ok =
      (res.status >= 200 && res.status < 300) ||
      (req.manualRedirect && res.status >= 300 && res.status < 400);
    if (ok || req.accept?.includes(res.status)) return res;
    const code = await codeOf(res);
    const retryAfter = res.headers.get('retry-after');
    throw UpstreamError.answered(
      req.family,
      res.status,
      `${req.family} answered ${res.status}${code ? ` ${code}` : ''} for ${req.method} ${new URL(req.url).pathname}`,
      code,
      retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined,
    );
  };
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

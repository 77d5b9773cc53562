// The one HTTP path every upstream client uses: timeouts, the cost meter, and a typed
// UpstreamError for anything that is not a 2xx. Node's fetch keeps connections alive.
import { UpstreamError, type UpstreamFamily } from './errors.js';
import type { UpstreamCost } from './upstream-cost.js';
import { DEFAULT_RETRY, throughBreaker, withRetry, type RetryPolicy } from './resilience.js';
import { endpointTemplate, parseLimitInfo } from './observability/upstream-observer.js';
import { endUpstreamSpan, injectTraceHeaders, startUpstreamSpan } from './observability/tracing.js';

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
  /** Do not follow redirects (SLAS answers 303 with the code in Location). */
  manualRedirect?: boolean;
  /**
   * Safe to repeat (reads, and POSTs that only read such as a Data Cloud query). GETs are
   * idempotent by default; writes are never retried here — they are made idempotent by keys.
   */
  idempotent?: boolean;
  retry?: RetryPolicy;
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface UpstreamTransport {
  fetch?: typeof fetch;
  cost?: UpstreamCost;
}

export async function callUpstream<T = unknown>(
  req: UpstreamRequest,
  transport: UpstreamTransport = {},
): Promise<UpstreamResponse<T>> {
  const idempotent =
    req.idempotent ??
    (req.method.toUpperCase() === 'GET' || isRepeatableGrant(req.form?.grant_type));
  const policy = idempotent ? (req.retry ?? DEFAULT_RETRY) : { ...DEFAULT_RETRY, attempts: 1 };
  const origin = new URL(req.url).origin;
  let attempt = 0;
  return throughBreaker(req.family, origin, () =>
    withRetry(() => callOnce<T>(req, transport, attempt++ > 0), policy),
  );
}

async function callOnce<T>(
  req: UpstreamRequest,
  transport: UpstreamTransport,
  retry: boolean,
): Promise<UpstreamResponse<T>> {
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
  let res: Response;
  try {
    res = await (transport.fetch ?? fetch)(req.url, {
      method: req.method,
      headers,
      body,
      redirect: req.manualRedirect ? 'manual' : 'follow',
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    seen(0, started);
    const timedOut =
      (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    throw new UpstreamError(
      req.family,
      0,
      undefined,
      timedOut
        ? `${req.family} did not answer within ${req.timeoutMs} ms`
        : `${req.family} unreachable: ${(err as Error).message}`,
      timedOut,
    );
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    seen(0, started);
    const timedOut =
      (err as Error)?.name === 'TimeoutError' || (err as Error)?.name === 'AbortError';
    throw new UpstreamError(req.family, 0, undefined, `${req.family} answer was cut off`, timedOut);
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

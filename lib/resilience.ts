// Retries with exponential backoff and full jitter for idempotent calls (honouring Retry-After),
// and one circuit breaker per upstream family (opossum) so a failing Salesforce service is
// answered fast with UPSTREAM_UNAVAILABLE instead of piling up timeouts.
import CircuitBreaker from 'opossum';
import { UpstreamError, type UpstreamFamily } from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Worth another try: no answer, throttling, or a transient server failure. Never 4xx business errors. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.upstreamCode === 'REQUEST_LIMIT_EXCEEDED' && err.status === 403) return false; // daily limit: waiting won't help today
  // A timeout is not retried: repeating a slow call would multiply the wait the client already sees.
  if (err.timedOut) return false;
  return (
    err.status === 0 ||
    err.status === 429 ||
    err.status === 502 ||
    err.status === 503 ||
    err.status === 504 ||
    err.status === 500
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      const e = err as UpstreamError;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      let delay = Math.random() * backoff; // full jitter
      if (e.retryAfterSeconds !== undefined) {
        // The upstream told us when: wait that long, unless it is longer than we are willing to wait.
        if (e.retryAfterSeconds * 1000 > policy.maxDelayMs) throw err;
        delay = e.retryAfterSeconds * 1000;
      }
      await sleep(delay);
    }
  }
}

const breakers = new Map<string, CircuitBreaker>();

export interface BreakerOptions {
  /** Rolling window in which failures are counted. */
  rollingCountTimeout: number;
  /** Percentage of failures that opens the circuit. */
  errorThresholdPercentage: number;
  /** Minimum calls in the window before the circuit may open. */
  volumeThreshold: number;
  /** How long the circuit stays open before letting one trial call through. */
  resetTimeout: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  rollingCountTimeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  resetTimeout: 5_000,
};

/** The process-wide breaker for one upstream family at one base (long-lived on purpose: it must see all requests). */
export function breakerFor(
  family: UpstreamFamily,
  key: string,
  options: BreakerOptions = DEFAULT_BREAKER,
): CircuitBreaker {
  const id = `${family} ${key}`;
  let b = breakers.get(id);
  if (!b) {
    b = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      ...options,
      timeout: false, // each call has its own timeout already
      // Only infrastructure failures count against the upstream; a 404 or a validation error does not.
      errorFilter: (err: unknown) => !isTransient(err),
    });
    breakers.set(id, b);
  }
  return b;
}

export async function throughBreaker<T>(
  family: UpstreamFamily,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const breaker = breakerFor(family, key);
  try {
    return (await breaker.fire(fn)) as T;
  } catch (err) {
    if ((err as { code?: string })?.code === 'EOPENBREAKER')
      throw new UpstreamError(
        family,
        0,
        'CIRCUIT_OPEN',
        `${family} circuit is open after repeated failures`,
      );
    throw err;
  }
}

/** For tests: forget every breaker's state. */
export function resetBreakers(): void {
  for (const b of breakers.values()) b.shutdown();
  breakers.clear();
}

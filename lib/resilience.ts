// Retries with exponential backoff and full jitter for idempotent calls (honouring Retry-After
// and the request's deadline), a retry budget so a storm is not amplified, and circuit breakers
// (opossum) per target — a Salesforce family at one base, or a subgraph by name — owned by one
// `Breakers` registry per server instance (each subgraph server's, see upstream-http's request
// scope; the gateway's, see gateway/server.ts) so a failing upstream is answered fast with
// UPSTREAM_UNAVAILABLE instead of piling up timeouts. The outbound stages (lib/outbound/) apply
// these rules; this module owns them.
//
// Two separate questions about a failure:
// - isRetryable: would the same call, repeated soon, likely succeed? (no answer, throttling, 5xx)
// - countsAgainstUpstream: is it evidence that the upstream is unhealthy? (no answer, timeouts,
//   5xx — never a 4xx, never throttling: a 429 is the upstream working as designed, and opening
//   the circuit on it would turn RATE_LIMITED into UPSTREAM_UNAVAILABLE.)
import CircuitBreaker from 'opossum';
import { CutOff, UpstreamError, type UpstreamTarget } from './errors.js';

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Worth another try: no answer, throttling, or a transient server failure. Never 4xx business errors. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.upstreamCode === 'REQUEST_LIMIT_EXCEEDED' && err.status === 403) return false; // daily limit: waiting won't help today
  // A timeout is not retried: repeating a slow call would multiply the wait the client already sees.
  if (err.timedOut) return false;
  if (err.upstreamCode === CutOff.CIRCUIT_OPEN) return false;
  return [0, 429, 500, 502, 503, 504].includes(err.status);
}

/** Evidence the upstream is unhealthy: counted by the breaker. Timeouts count; 4xx and 429 do not. */
export function countsAgainstUpstream(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.cutOff) return false;
  if (err.upstreamCode === CutOff.CIRCUIT_OPEN) return false;
  if (err.timedOut) return true;
  return err.status === 0 || err.status >= 500;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryContext {
  /** Absolute epoch ms after which nothing more is tried. */
  deadline?: number;
  /** Aborted when the caller went away: no more attempts, no more waiting. */
  signal?: AbortSignal;
  /** Asked before each retry (not the first attempt); false = give up with the last error. */
  mayRetry?: () => boolean;
}

export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  ctx: RetryContext = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err)) throw err;
      if (ctx.signal?.aborted) throw err;
      const e = err as UpstreamError;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      let delay = Math.random() * backoff; // full jitter
      if (e.retryAfterSeconds !== undefined) {
        // The upstream told us when: wait that long, unless it is longer than we are willing to wait.
        if (e.retryAfterSeconds * 1000 > policy.maxDelayMs) throw err;
        delay = e.retryAfterSeconds * 1000;
      }
      // No retry that could not finish before the deadline (a Retry-After beyond it included).
      if (ctx.deadline !== undefined && Date.now() + delay >= ctx.deadline) throw err;
      if (ctx.mayRetry && !ctx.mayRetry()) throw err;
      try {
        await sleep(delay, ctx.signal);
      } catch {
        throw err;
      }
    }
  }
}

export interface BreakerOptions {
  /** Rolling window in which failures are counted. */
  rollingCountTimeout: number;
  /** Percentage of failures that opens the circuit. */
  errorThresholdPercentage: number;
  /** Minimum calls in the window before the circuit may open. */
  volumeThreshold: number;
  /** How long the circuit stays open before letting one trial call through. */
  resetTimeout: number;
  /**
   * A call still running after this long counts as slow (0: slow calls are not counted). It is
   * counted when it crosses the line, not when it ends, so a hang opens the circuit without
   * waiting for the hung calls' timeouts (slowCalls).
   */
  slowCallMs?: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  rollingCountTimeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  resetTimeout: 5_000,
};

/**
 * The one table of breaker defaults, per target: a subgraph (gateway → subgraph) opens after
 * fewer calls — every request of the gateway goes through few subgraphs, so 5 failures in the
 * window are already most of its traffic.
 */
export const DEFAULT_BREAKERS: Record<'salesforce' | 'subgraph', BreakerOptions> = {
  salesforce: DEFAULT_BREAKER,
  subgraph: { ...DEFAULT_BREAKER, volumeThreshold: 5 },
};

export type CircuitState = 'open' | 'halfOpen' | 'closed';

/** The state of an opossum breaker. */
function circuitState(breaker: CircuitBreaker): CircuitState {
  return breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';
}

/** Calls `onChange` with every state the breaker enters (the metric and /readyz follow it). */
function watchCircuit(breaker: CircuitBreaker, onChange: (state: CircuitState) => void): void {
  breaker.on('open', () => onChange('open'));
  breaker.on('halfOpen', () => onChange('halfOpen'));
  breaker.on('close', () => onChange('closed'));
}

/**
 * Slow calls count against the circuit as failures do. `run` wraps each call of the breaker: a
 * call still running after `slowCallMs` is counted slow at that moment (a hung call need not end);
 * when the window's slow calls reach the breaker's `volumeThreshold` and its
 * `errorThresholdPercentage` of the window's calls, the circuit opens — as does a slow trial
 * call while it is half open. opossum counts failures, not latency; this adds the latter.
 */
class SlowCalls {
  private slow: number[] = [];
  constructor(
    private readonly breaker: CircuitBreaker,
    private readonly o: Pick<
      BreakerOptions,
      'rollingCountTimeout' | 'errorThresholdPercentage' | 'volumeThreshold' | 'slowCallMs'
    >,
  ) {}

  /** Slow calls in the rolling window. */
  count(now = Date.now()): number {
    this.slow = this.slow.filter((t) => now - t < this.o.rollingCountTimeout);
    return this.slow.length;
  }

  private crossed() {
    const now = Date.now();
    this.slow.push(now);
    if (this.breaker.halfOpen) return this.breaker.open();
    const slow = this.count(now);
    const calls = Math.max(slow, this.breaker.stats.fires);
    if (slow >= this.o.volumeThreshold && (slow / calls) * 100 >= this.o.errorThresholdPercentage)
      this.breaker.open();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const ms = this.o.slowCallMs ?? 0;
    if (ms <= 0) return fn();
    const timer = setTimeout(() => this.crossed(), ms);
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Retries allowed per family in a window: a floor plus a share of the first attempts, so in a
 * storm the upstream sees at most ~(1 + ratio) calls per logical call (plus the floor).
 */
export interface RetryBudgetOptions {
  windowMs: number;
  minRetries: number;
  ratio: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = {
  windowMs: 10_000,
  minRetries: 3,
  ratio: 0.2,
};

/** What the retry stage asks of a target's retry budget. */
export interface RetryBudgetLike {
  request(): void;
  tryRetry(): boolean;
}

class RetryBudget implements RetryBudgetLike {
  private windowStart = Date.now();
  private requests = 0;
  private retries = 0;
  constructor(private readonly o: RetryBudgetOptions) {}
  private roll() {
    if (Date.now() - this.windowStart >= this.o.windowMs) {
      this.windowStart = Date.now();
      this.requests = 0;
      this.retries = 0;
    }
  }
  request() {
    this.roll();
    this.requests++;
  }
  tryRetry(): boolean {
    this.roll();
    if (this.retries >= this.o.minRetries + this.o.ratio * this.requests) return false;
    this.retries++;
    return true;
  }
}

const live = new Set<WeakRef<Breakers>>();

/** A breaker's state change: which upstream family, at which base. */
export type CircuitObserver = (family: UpstreamTarget, key: string, state: CircuitState) => void;

/** The circuit breakers and retry budgets of one server instance (or of one test). */
export class Breakers {
  private readonly breakers = new Map<
    string,
    { breaker: CircuitBreaker; slow: SlowCalls; family: UpstreamTarget; key: string }
  >();
  private readonly budgets = new Map<UpstreamTarget, RetryBudget>();
  private readonly observers = new Set<CircuitObserver>();
  private options: BreakerOptions;
  private readonly perTarget = new Map<string, Partial<BreakerOptions>>();
  constructor(
    options: BreakerOptions = DEFAULT_BREAKER,
    private readonly budget: RetryBudgetOptions = DEFAULT_RETRY_BUDGET,
  ) {
    this.options = options;
    live.add(new WeakRef(this));
  }

  /** Changes the options of the Salesforce breakers made from now on (a server's config: slowCallMs). */
  configure(options: Partial<BreakerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /**
   * Options of one target's breakers made from now on, over DEFAULT_BREAKERS for its kind (the
   * gateway's SUBGRAPH_BREAKER_* settings, per subgraph); `key` undefined: every key of the target.
   */
  configureTarget(
    family: UpstreamTarget,
    key: string | undefined,
    options: Partial<BreakerOptions>,
  ) {
    const id = key === undefined ? family : `${family} ${key}`;
    this.perTarget.set(id, { ...this.perTarget.get(id), ...options });
  }

  private optionsFor(family: UpstreamTarget, key: string): BreakerOptions {
    const base = family === 'subgraph' ? DEFAULT_BREAKERS.subgraph : this.options;
    return { ...base, ...this.perTarget.get(family), ...this.perTarget.get(`${family} ${key}`) };
  }

  /** Follows every breaker's state changes (the circuit_breaker_open metric). */
  observe(observer: CircuitObserver): void {
    this.observers.add(observer);
  }

  /**
   * Breakers not closed now, as `<family> <base>` → state (a subgraph's /readyz lists them); of
   * one target only, as `<key>` → state (the gateway's /readyz: subgraph name → state).
   */
  notClosed(only?: UpstreamTarget): Record<string, CircuitState> {
    const out: Record<string, CircuitState> = {};
    for (const [id, { breaker, family, key }] of this.breakers) {
      if (only !== undefined && family !== only) continue;
      const state = circuitState(breaker);
      if (state !== 'closed') out[only === undefined ? id : key] = state;
    }
    return out;
  }

  /** The state of one target's breaker now (closed if it has none yet). */
  state(family: UpstreamTarget, key: string): CircuitState {
    const e = this.breakers.get(`${family} ${key}`);
    return e ? circuitState(e.breaker) : 'closed';
  }

  private entry(family: UpstreamTarget, key: string) {
    const id = `${family} ${key}`;
    let e = this.breakers.get(id);
    if (!e) {
      const options = this.optionsFor(family, key);
      const breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
        ...options,
        timeout: false, // each call has its own timeout already
        // errorFilter true = "not a failure": only evidence of an unhealthy upstream counts.
        errorFilter: (err: unknown) => !countsAgainstUpstream(err),
      });
      watchCircuit(breaker, (state) => {
        for (const o of this.observers) o(family, key, state);
      });
      e = { breaker, slow: new SlowCalls(breaker, options), family, key };
      this.breakers.set(id, e);
    }
    return e;
  }

  /** The breaker for one upstream family at one base (long-lived on purpose: it must see all requests). */
  breakerFor(family: UpstreamTarget, key: string): CircuitBreaker {
    return this.entry(family, key).breaker;
  }

  budgetFor(family: UpstreamTarget): RetryBudget {
    let b = this.budgets.get(family);
    if (!b) this.budgets.set(family, (b = new RetryBudget(this.budget)));
    return b;
  }

  async fire<T>(family: UpstreamTarget, key: string, fn: () => Promise<T>): Promise<T> {
    const { breaker, slow } = this.entry(family, key);
    try {
      return (await breaker.fire(() => slow.run(fn))) as T;
    } catch (err) {
      if ((err as { code?: string })?.code === 'EOPENBREAKER')
        throw UpstreamError.circuitOpen(
          family,
          `${family} circuit is open after repeated failures`,
        );
      throw err;
    }
  }

  /** Forget every breaker's state and every budget. */
  reset(): void {
    for (const { breaker, family, key } of this.breakers.values()) {
      breaker.shutdown();
      for (const o of this.observers) o(family, key, 'closed');
    }
    this.breakers.clear();
    this.budgets.clear();
  }
}

/** Calls made outside any server's request (start-up checks, scripts, unit tests). */
export const defaultBreakers = new Breakers();

/** For tests: forget the state of every live registry (each server's and the default one). */
export function resetBreakers(): void {
  for (const ref of live) {
    const b = ref.deref();
    if (b) b.reset();
    else live.delete(ref);
  }
}

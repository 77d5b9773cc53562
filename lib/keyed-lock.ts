// Serialises work per key: while one holder runs, later callers with the same key wait for it,
// then run in turn. Idempotent writes use it so that racing retries of one request (a client
// that timed out and sent again while the first attempt is still in flight) run one after the
// other: the second finds what the first wrote instead of writing it again.
//
// An attempt's outcome is never guessed. When a holder fails after it SENT a write and got no
// answer (timed out, cut off, connection lost: Salesforce may still commit it, even seconds
// later), the key keeps an "outcome unknown" marker for a window (IDEMPOTENCY_UNKNOWN_OUTCOME_MS).
// The holders after it run with `attempt.outcomeUnknown`: they may only look for what the
// earlier attempt wrote — found, they answer it and the marker goes; not found, they answer
// `attempt.inUse()` (IDEMPOTENCY_KEY_IN_USE, retryable) and write nothing. When the window has
// passed, the key is free again. A holder that waited longer than its bound for the one in
// flight answers IDEMPOTENCY_KEY_IN_USE too (Stripe's "in progress").
//
// `KeyedLock` is the seam: `InMemoryKeyedLock` is the single-process default,
// lib/redis/keyed-lock.ts the one shared by replicas (lock and marker in Redis).
import { AsyncLocalStorage } from 'node:async_hooks';
import { ErrorCode, graphqlError, UpstreamError } from './errors.js';

/** What a holder is told about the key it runs under. */
export interface Attempt {
  /**
   * An earlier attempt's outcome is unknown (it sent a write and got no answer): look for its
   * result and answer it; when there is none yet, throw `inUse()` — never write.
   */
  readonly outcomeUnknown: boolean;
  /** The retryable IDEMPOTENCY_KEY_IN_USE error for this key. */
  inUse(): Error;
}

export interface KeyedLock {
  /** Runs `fn` once no other holder of `key` is running; resolves or rejects with `fn`'s result. */
  run<T>(key: string, fn: (attempt: Attempt) => Promise<T>): Promise<T>;
}

/** The default window during which an unknown outcome blocks the key (ms). */
export const DEFAULT_UNKNOWN_OUTCOME_MS = 60_000;

/**
 * IDEMPOTENCY_KEY_IN_USE: another attempt with this key is in flight or its outcome is not known
 * yet. Retryable: send the same request with the same key again after `retryAfterSeconds`.
 */
export function idempotencyKeyInUse(
  retryAfterSeconds = 1,
  message = 'An earlier request with this idempotency key is still in progress or its outcome is not known yet. Retry the same request with the same key shortly.',
): Error {
  return graphqlError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, message, {
    retryable: true,
    retryAfterSeconds,
  });
}

/** The retry hint while a marker has `leftMs` to live: soon, since the outcome may show up. */
export const retryHint = (leftMs: number) => Math.min(5, Math.max(1, Math.ceil(leftMs / 1000)));

export const attemptOf = (outcomeUnknown: boolean, leftMs = 0): Attempt => ({
  outcomeUnknown,
  inUse: () => idempotencyKeyInUse(retryHint(leftMs)),
});

/** Per holder: has it sent a write (a non-idempotent upstream call) yet? */
const holders = new AsyncLocalStorage<{ writeSent: boolean }>();
/** Inside `reconcilable`: writes a retry squares by itself (they leave no unknown outcome). */
const reconciled = new AsyncLocalStorage<boolean>();

/**
 * Called by the upstream HTTP path just before it sends a non-idempotent call: from here on, a
 * failure without an answer leaves the holder's outcome unknown.
 */
export function noteWriteSent(): void {
  if (reconciled.getStore()) return;
  const h = holders.getStore();
  if (h) h.writeSent = true;
}

/**
 * Runs writes whose late effect the next attempt reconciles by itself (it re-reads and squares
 * them, e.g. checkout's basket addresses and payment instrument): losing their answer does not
 * make the holder's outcome unknown. The write that cannot be squared (the order) stays outside.
 */
export function reconcilable<T>(fn: () => Promise<T>): Promise<T> {
  return reconciled.run(true, fn);
}

export type AttemptResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: unknown;
      /** A write was sent and no answer came back. */ unknown: boolean;
    };

/** Runs one holder, telling a failure whose outcome is unknown from one whose outcome is known. */
export async function runAttempt<T>(
  fn: (attempt: Attempt) => Promise<T>,
  attempt: Attempt,
): Promise<AttemptResult<T>> {
  const state = { writeSent: false };
  try {
    return { ok: true, value: await holders.run(state, () => fn(attempt)) };
  } catch (error) {
    return { ok: false, error, unknown: state.writeSent && outcomeUnknown(error) };
  }
}

/** No answer arrived (status 0): a timeout, a cut-off call, a dropped connection. */
export const outcomeUnknown = (err: unknown) => err instanceof UpstreamError && err.status === 0;

/** Markers kept before expired ones are swept (keys never retried leave theirs behind). */
const MAX_MARKERS = 10_000;

export interface InMemoryKeyedLockOptions {
  /** How long an unknown outcome blocks the key (ms). */
  unknownOutcomeMs?: number;
  /** The clock of the markers (tests inject one). */
  now?: () => number;
}

export class InMemoryKeyedLock implements KeyedLock {
  /** key → the tail of its queue (settles when the last queued holder is done). */
  private readonly tails = new Map<string, Promise<unknown>>();
  /** key → until when its last attempt's outcome is unknown (epoch ms). */
  private readonly unknown = new Map<string, number>();

  constructor(private readonly o: InMemoryKeyedLockOptions = {}) {}

  async run<T>(key: string, fn: (attempt: Attempt) => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const hold = () => this.hold(key, fn);
    const mine = previous.then(hold, hold);
    // The queue continues whether this holder succeeded or failed.
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      // Forget the key once nobody queued behind us, so the map stays bounded by live keys.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  private async hold<T>(key: string, fn: (attempt: Attempt) => Promise<T>): Promise<T> {
    const now = this.o.now ?? Date.now;
    const until = this.unknown.get(key);
    const left = until === undefined ? 0 : until - now();
    if (until !== undefined && left <= 0) this.unknown.delete(key);
    const result = await runAttempt(fn, attemptOf(left > 0, left));
    if (result.ok) {
      // Known now (found, or written by this holder).
      this.unknown.delete(key);
      return result.value;
    }
    if (result.unknown) {
      if (this.unknown.size >= MAX_MARKERS) this.prune(now());
      this.unknown.set(key, now() + (this.o.unknownOutcomeMs ?? DEFAULT_UNKNOWN_OUTCOME_MS));
    }
    throw result.error;
  }

  /** Drops the markers whose window has passed (keys nobody retried). */
  private prune(at: number) {
    for (const [k, until] of this.unknown) if (until <= at) this.unknown.delete(k);
  }

  /** Keys with a holder running or queued (for tests). */
  get size(): number {
    return this.tails.size;
  }

  /** Keys whose last outcome is unknown (for tests). */
  get unknownOutcomes(): number {
    return this.unknown.size;
  }
}

// KeyedLock on Redis (lib/keyed-lock.ts has the contract), shared by every replica:
// - the lock: `SET lock:{key} {token} NX PX lease` to take it, a compare-and-delete script to give
//   it back, so racing retries of one write on two replicas run one after the other. The lease
//   bounds how long a crashed holder can block the key; waiters poll with a small jittered
//   backoff, bounded by `maxWaitMs` and by the request's own deadline, then answer
//   IDEMPOTENCY_KEY_IN_USE (the holder is still in flight);
// - the "outcome unknown" marker: `unknown:{key}` with a PX of the window, set when a holder
//   sent a write and got no answer, read (its PTTL) in the same script that takes the lock, and
//   deleted once a holder knows the outcome.
// Redis unreachable or slow (its command timeout): the key's state cannot be known, so the write
// fails closed at once with the same retryable IDEMPOTENCY_KEY_IN_USE — never written blind.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  attemptOf,
  DEFAULT_UNKNOWN_OUTCOME_MS,
  idempotencyKeyInUse,
  runAttempt,
  type Attempt,
  type KeyedLock,
} from '../keyed-lock.js';
import { currentScope } from '../upstream-http.js';
import { countRedisError } from './connect.js';

// KEYS: lock, marker. ARGV: token, lease. Returns -3 when the lock is taken, else the marker's
// PTTL (-2: no marker; -1: a marker without expiry, treated as none).
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return redis.call('PTTL', KEYS[2])
end
return -3
`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface RedisKeyedLockOptions {
  leaseMs?: number;
  maxWaitMs?: number;
  /** How long an unknown outcome blocks the key (ms). */
  unknownOutcomeMs?: number;
}

/** The key's state could not be read or written in Redis: fail closed, retryable, at once. */
function unavailable(err: unknown, where: string): Error {
  countRedisError(where, err);
  return idempotencyKeyInUse(
    1,
    'The state of this idempotency key cannot be checked right now. Retry the same request with the same key shortly.',
  );
}

export class RedisKeyedLock implements KeyedLock {
  constructor(
    private readonly redis: Redis,
    private readonly o: RedisKeyedLockOptions = {},
  ) {}

  async run<T>(key: string, fn: (attempt: Attempt) => Promise<T>): Promise<T> {
    // The braces put the lock and its marker in one hash slot (Redis Cluster runs the script on it).
    const lock = `lock:{${key}}`;
    const marker = `unknown:{${key}}`;
    const token = randomUUID();
    const lease = this.o.leaseMs ?? 30_000;
    const deadline = currentScope()?.deadline ?? Infinity;
    const until = Math.min(Date.now() + (this.o.maxWaitMs ?? 30_000), deadline - 50);
    let markerLeft: number;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      let got: number;
      try {
        got = Number(await this.redis.eval(ACQUIRE, 2, lock, marker, token, lease));
      } catch (err) {
        throw unavailable(err, 'lock');
      }
      if (got !== -3) {
        markerLeft = got;
        break;
      }
      // The holder is still in flight: "in progress", retryable.
      if (Date.now() > until) throw idempotencyKeyInUse(1);
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
    try {
      const result = await runAttempt(fn, attemptOf(markerLeft > 0, markerLeft));
      if (result.ok) {
        if (markerLeft > 0)
          await this.redis.del(marker).catch((err: unknown) => countRedisError('marker', err));
        return result.value;
      }
      if (result.unknown) {
        const window = this.o.unknownOutcomeMs ?? DEFAULT_UNKNOWN_OUTCOME_MS;
        await this.redis
          .set(marker, '1', 'PX', window)
          // Nowhere to keep it: this replica's holders still queue on the lock, but a retry
          // elsewhere after the lock is gone could write again. Counted and logged.
          .catch((err: unknown) => {
            countRedisError('marker', err);
            console.error(`idempotency: outcome-unknown marker for ${key} not stored`, err);
          });
      }
      throw result.error;
    } finally {
      await this.redis
        .eval(RELEASE, 1, lock, token)
        // The lease frees it when Redis is back.
        .catch((err: unknown) => countRedisError('lock', err));
    }
  }
}

// One ioredis connection per process for the shared state (REDIS_URL). Redis is a helper, not a
// single point of failure: every command has a short timeout (REDIS_COMMAND_TIMEOUT_MS) and there
// is no offline queue, so while Redis is down or slow a command fails at once instead of holding
// the request; ioredis reconnects by itself in the background. What each user does with a failure
// is its own rule (README.md, "Operating it": Redis is a helper): caches fall back to memory, limits to per-process
// limits, idempotency markers and lockouts fail closed with a retryable error. Every failure is
// counted in `redis_errors_total` (served by every /metrics of the process). Keys are prefixed per
// deployment.
import { Redis } from 'ioredis';
import { Counter, Registry } from 'prom-client';

export interface RedisOptions {
  url: string;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** A command not answered in this long fails (ms). */
  commandTimeoutMs?: number;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 500;

export function connectRedis(o: RedisOptions): Redis {
  const redis = new Redis(o.url, {
    keyPrefix: o.keyPrefix ?? 'c360:',
    commandTimeout: o.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    // Until the first connection, commands wait for it (each still bounded by the command
    // timeout): a process that has just started is not yet "down". From then on, down means
    // down: a command fails at once instead of waiting in a queue for a reconnect.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: true,
    // Reconnect soon, at most every 2 s, forever.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
  });
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  let lastLogged = 0;
  redis.on('error', (err: Error) => {
    countRedisError('connection', err);
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      console.error(`redis: ${err.message}`);
    }
  });
  return redis;
}

/** Metrics of the process's Redis (one connection per process), appended to every /metrics. */
export const redisRegistry = new Registry();

const redisErrors = new Counter({
  name: 'redis_errors_total',
  help: 'Failed Redis commands and connection errors, by what was asked (connection, lock, marker, cache, limiter, grants).',
  labelNames: ['operation'],
  registers: [redisRegistry],
});

/** Counts one Redis failure of `operation`. */
export function countRedisError(operation: string, _err?: unknown): void {
  redisErrors.inc({ operation });
}

/** Failures counted so far (tests). */
export async function redisErrorCount(operation?: string): Promise<number> {
  const m = await redisErrors.get();
  return m.values
    .filter((v) => operation === undefined || v.labels.operation === operation)
    .reduce((n, v) => n + v.value, 0);
}

/**
 * What /readyz says about Redis: `ready` when it answers a PING (within the command timeout),
 * else `unavailable` — at once when the connection is known to be down.
 */
export async function redisState(redis: Redis): Promise<'ready' | 'unavailable'> {
  if (redis.status !== 'ready') return 'unavailable';
  try {
    await redis.ping();
    return 'ready';
  } catch (err) {
    countRedisError('ping', err);
    return 'unavailable';
  }
}

// Shared state of a deployment with several replicas: when REDIS_URL is set, the limits, the
// idempotency locks and their outcome-unknown markers (and at the gateway the token cache and
// APQ) live in Redis; without it each process keeps its own, in memory (the embedded default of
// `npm start` and most tests). Redis is a helper, not a single point of failure
// (lib/redis/connect.ts): each user has its own fallback when a command fails.
import type { Redis } from 'ioredis';
import { readEnv, type Env } from './config/registry.js';
import type { KeyedLock } from './keyed-lock.js';
import type { RateLimiter } from './rate-limit.js';
import { connectRedis } from './redis/connect.js';
import { RedisKeyedLock } from './redis/keyed-lock.js';
import { ResilientRateLimiter } from './redis/rate-limiter.js';

export interface SharedStateConfig {
  redisUrl?: string;
  /** A Redis command not answered in this long fails (ms). */
  redisCommandTimeoutMs?: number;
  /** How long a keyed write whose outcome is unknown blocks its key (ms). */
  unknownOutcomeMs?: number;
}

export function loadSharedStateConfig(env: Env): SharedStateConfig {
  const e = readEnv(env);
  return {
    redisUrl: e.get('REDIS_URL'),
    redisCommandTimeoutMs: e.get('REDIS_COMMAND_TIMEOUT_MS'),
    unknownOutcomeMs: e.get('IDEMPOTENCY_UNKNOWN_OUTCOME_MS'),
  };
}

export interface SharedState {
  redis?: Redis;
  /**
   * The session subgraph's lockouts (sign-in, passcodes). Undefined without Redis: each server
   * then makes its in-memory default. On Redis they fail closed while Redis fails.
   */
  limiter?: RateLimiter;
  lock?: KeyedLock;
  close(): Promise<void>;
}

/** The shared pieces on one Redis connection (what openSharedState and the tests' replicas use). */
export function sharedStateOn(
  redis: Redis,
  c: Pick<SharedStateConfig, 'unknownOutcomeMs'> = {},
): Required<Pick<SharedState, 'redis' | 'limiter' | 'lock'>> {
  return {
    redis,
    limiter: new ResilientRateLimiter(redis, 'refuse'),
    lock: new RedisKeyedLock(redis, { unknownOutcomeMs: c.unknownOutcomeMs }),
  };
}

export function openSharedState(c: SharedStateConfig): SharedState {
  if (!c.redisUrl) return { close: async () => {} };
  const redis = connectRedis({ url: c.redisUrl, commandTimeoutMs: c.redisCommandTimeoutMs });
  return {
    ...sharedStateOn(redis, c),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

// Shared state of a deployment with several replicas: when REDIS_URL is set, the limits, the
// idempotency locks (and at the gateway the token cache and APQ) live in Redis; without it each
// process keeps its own, in memory (the embedded default of `npm start` and most tests).
import type { Redis } from 'ioredis';
import { readEnv, type Env } from './config/registry.js';
import type { KeyedLock } from './keyed-lock.js';
import type { RateLimiter } from './rate-limit.js';
import { connectRedis } from './redis/connect.js';
import { RedisKeyedLock } from './redis/keyed-lock.js';
import { RedisRateLimiter } from './redis/rate-limiter.js';

export interface SharedStateConfig {
  redisUrl?: string;
}

export function loadSharedStateConfig(env: Env): SharedStateConfig {
  return { redisUrl: readEnv(env).get('REDIS_URL') };
}

export interface SharedState {
  redis?: Redis;
  /** Undefined without Redis: each server then makes its in-memory default. */
  limiter?: RateLimiter;
  lock?: KeyedLock;
  close(): Promise<void>;
}

export function openSharedState(c: SharedStateConfig): SharedState {
  if (!c.redisUrl) return { close: async () => {} };
  const redis = connectRedis({ url: c.redisUrl });
  return {
    redis,
    limiter: new RedisRateLimiter(redis),
    lock: new RedisKeyedLock(redis),
    close: async () => {
      await redis.quit();
    },
  };
}

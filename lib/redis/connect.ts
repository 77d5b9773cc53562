// One ioredis connection per process for the shared state (REDIS_URL). ioredis reconnects by
// itself; commands issued while it reconnects are queued (bounded by its offline queue), so a
// Redis restart delays requests instead of failing them. Keys are prefixed per deployment.
import { Redis } from 'ioredis';

export interface RedisOptions {
  url: string;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
}

export function connectRedis(o: RedisOptions): Redis {
  return new Redis(o.url, {
    keyPrefix: o.keyPrefix ?? 'c360:',
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
  });
}

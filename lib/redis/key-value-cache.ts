// A key-value cache on Redis in the shape @apollo/utils.keyvaluecache defines (get/set/delete
// with a ttl in seconds): Apollo Server's APQ store, shared by every replica. It is a cache, so
// Redis failing (down, or slower than its command timeout) never fails a request: the entry is
// read from and written to this process's memory instead (a bounded LRU) until Redis answers
// again, and the failure is counted (redis_errors_total{operation="cache"}).
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { countRedisError } from './connect.js';

export interface KeyValueCache<V = string> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export class RedisKeyValueCache implements KeyValueCache<string> {
  /** Where entries live while Redis fails. */
  private readonly local: LRUCache<string, string>;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    o: { fallbackEntries?: number } = {},
  ) {
    this.local = new LRUCache({ max: o.fallbackEntries ?? 10_000 });
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`${this.namespace}:${key}`)) ?? undefined;
    } catch (err) {
      countRedisError('cache', err);
      return this.local.get(key);
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    try {
      if (ttl && ttl > 0)
        await this.redis.set(`${this.namespace}:${key}`, value, 'PX', Math.ceil(ttl * 1000));
      else await this.redis.set(`${this.namespace}:${key}`, value);
    } catch (err) {
      countRedisError('cache', err);
      this.local.set(key, value, ttl && ttl > 0 ? { ttl: Math.ceil(ttl * 1000) } : {});
    }
  }

  async delete(key: string): Promise<boolean> {
    const local = this.local.delete(key);
    try {
      return (await this.redis.del(`${this.namespace}:${key}`)) > 0 || local;
    } catch (err) {
      countRedisError('cache', err);
      return local;
    }
  }
}

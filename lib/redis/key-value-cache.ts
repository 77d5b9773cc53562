// A key-value cache on Redis in the shape @apollo/utils.keyvaluecache defines (get/set/delete
// with a ttl in seconds): Apollo Server's APQ store, and the gateway's principal cache, shared
// by every replica.
import type { Redis } from 'ioredis';

export interface KeyValueCache<V = string> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.namespace}:${key}`)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    if (ttl && ttl > 0)
      await this.redis.set(`${this.namespace}:${key}`, value, 'PX', Math.ceil(ttl * 1000));
    else await this.redis.set(`${this.namespace}:${key}`, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(`${this.namespace}:${key}`)) > 0;
  }
}

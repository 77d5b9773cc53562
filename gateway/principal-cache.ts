// Where validated tokens are remembered: in this process (a bounded LRU, the default), or in
// Redis so that every replica shares it — one replica's logout is then honoured by all at once.
// Tokens are keyed by their SHA-256, never stored as they are.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Principal } from '../lib/principal.js';

export interface PrincipalCache {
  get(token: string): Promise<Principal | undefined>;
  set(token: string, principal: Principal, ttlMs: number): Promise<void>;
  delete(token: string): Promise<void>;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export class InMemoryPrincipalCache implements PrincipalCache {
  private readonly lru: LRUCache<string, Principal>;
  constructor(max: number) {
    this.lru = new LRUCache({ max, ttlAutopurge: false });
  }
  get(token: string) {
    return Promise.resolve(this.lru.get(keyOf(token)));
  }
  set(token: string, principal: Principal, ttlMs: number) {
    this.lru.set(keyOf(token), principal, { ttl: ttlMs });
    return Promise.resolve();
  }
  delete(token: string) {
    this.lru.delete(keyOf(token));
    return Promise.resolve();
  }
}

export class RedisPrincipalCache implements PrincipalCache {
  constructor(private readonly redis: Redis) {}
  async get(token: string) {
    const raw = await this.redis.get(`principal:${keyOf(token)}`);
    return raw ? (JSON.parse(raw) as Principal) : undefined;
  }
  async set(token: string, principal: Principal, ttlMs: number) {
    await this.redis.set(
      `principal:${keyOf(token)}`,
      JSON.stringify(principal),
      'PX',
      Math.ceil(ttlMs),
    );
  }
  async delete(token: string) {
    await this.redis.del(`principal:${keyOf(token)}`);
  }
}

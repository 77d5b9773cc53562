// Where validated tokens are remembered: in this process (a bounded LRU, the default), or in
// Redis so that every replica shares it — one replica's logout is then honoured by all at once.
// Tokens Identity refused are remembered too (a negative cache), so a random token repeated
// costs Identity nothing more.
// Tokens are keyed by their SHA-256, never stored as they are.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Principal } from '../lib/principal.js';
import { countRedisError } from '../lib/redis/connect.js';

export interface PrincipalCache {
  get(token: string): Promise<Principal | undefined>;
  set(token: string, principal: Principal, ttlMs: number): Promise<void>;
  delete(token: string): Promise<void>;
  /** True when Identity refused this token recently (the negative cache). */
  refused(token: string): Promise<boolean>;
  /** Remembers that Identity refused this token, for `ttlMs`. */
  setRefused(token: string, ttlMs: number): Promise<void>;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export class InMemoryPrincipalCache implements PrincipalCache {
  private readonly lru: LRUCache<string, Principal>;
  private readonly refusedTokens: LRUCache<string, true>;
  /** `now`: the clock the entries' TTLs are read against (a test moves it instead of sleeping). */
  constructor(max: number, now: () => number = Date.now) {
    // ttlResolution 0: read the clock on every lookup (no 1 ms cached reading behind a timer).
    const clock = { perf: { now }, ttlResolution: 0 };
    this.lru = new LRUCache({ max, ttlAutopurge: false, ...clock });
    this.refusedTokens = new LRUCache({ max, ttlAutopurge: false, ...clock });
  }
  refused(token: string) {
    return Promise.resolve(this.refusedTokens.has(keyOf(token)));
  }
  setRefused(token: string, ttlMs: number) {
    this.refusedTokens.set(keyOf(token), true, { ttl: ttlMs });
    return Promise.resolve();
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

/**
 * The cache every replica shares. It is a cache: while Redis fails (down, or slower than its
 * command timeout) tokens are validated and remembered in this process's memory instead (a signed-in
 * citizen keeps being answered; a token may be validated with Identity once more per replica), and
 * each failure is counted (redis_errors_total{operation="cache"}). A logout during the outage is
 * forgotten here and in Redis as soon as it answers; other replicas' memories keep the token until
 * their own copy expires (at most TOKEN_CACHE_MAX_SECONDS) — the documented cost of the outage.
 */
export class RedisPrincipalCache implements PrincipalCache {
  private readonly local: InMemoryPrincipalCache;
  constructor(
    private readonly redis: Redis,
    fallbackEntries = 10_000,
  ) {
    this.local = new InMemoryPrincipalCache(fallbackEntries);
  }
  private failed(err: unknown) {
    countRedisError('cache', err);
  }
  async get(token: string) {
    try {
      const raw = await this.redis.get(`principal:${keyOf(token)}`);
      return raw ? (JSON.parse(raw) as Principal) : undefined;
    } catch (err) {
      this.failed(err);
      return this.local.get(token);
    }
  }
  async set(token: string, principal: Principal, ttlMs: number) {
    try {
      await this.redis.set(
        `principal:${keyOf(token)}`,
        JSON.stringify(principal),
        'PX',
        Math.ceil(ttlMs),
      );
    } catch (err) {
      this.failed(err);
      await this.local.set(token, principal, ttlMs);
    }
  }
  async delete(token: string) {
    await this.local.delete(token);
    try {
      await this.redis.del(`principal:${keyOf(token)}`);
    } catch (err) {
      this.failed(err);
    }
  }
  async refused(token: string) {
    try {
      return (await this.redis.exists(`principal-refused:${keyOf(token)}`)) > 0;
    } catch (err) {
      this.failed(err);
      return this.local.refused(token);
    }
  }
  async setRefused(token: string, ttlMs: number) {
    try {
      await this.redis.set(`principal-refused:${keyOf(token)}`, '1', 'PX', Math.ceil(ttlMs));
    } catch (err) {
      this.failed(err);
      await this.local.setRefused(token, ttlMs);
    }
  }
}

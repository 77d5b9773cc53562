// Which refresh token each access token this graph handed out came from (login, registration
// and refresh answers), so that `logout` with only the access token ends the whole session.
// Kept in the deployment's shared state (Redis when REDIS_URL is set, this process otherwise),
// for as long as the access token lives. Neither token is stored as it is: the entry is keyed by
// a hash of the access token and the refresh token is encrypted with a key derived from the
// access token, so the store alone (a Redis dump) revokes and reveals nothing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { countRedisError } from '../../lib/redis/connect.js';

/** The few operations the grants need; Redis or memory behind them. */
export interface GrantStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export class InMemoryGrantStore implements GrantStore {
  private readonly lru = new LRUCache<string, string>({ max: 100_000 });
  get(key: string) {
    return Promise.resolve(this.lru.get(key));
  }
  set(key: string, value: string, ttlMs: number) {
    this.lru.set(key, value, { ttl: ttlMs });
    return Promise.resolve();
  }
  delete(key: string) {
    this.lru.delete(key);
    return Promise.resolve();
  }
}

/**
 * Grants every replica shares. While Redis fails (down, or slower than its command timeout) they
 * are kept in this process's memory instead, so sign-in and refresh keep working; a logout that
 * gives only its access token then ends the whole session only on the replica that handed it out
 * (it still revokes the access token everywhere). Failures are counted
 * (redis_errors_total{operation="grants"}).
 */
export class RedisGrantStore implements GrantStore {
  private readonly local = new InMemoryGrantStore();
  constructor(private readonly redis: Redis) {}
  async get(key: string) {
    try {
      return (await this.redis.get(`grant:${key}`)) ?? undefined;
    } catch (err) {
      countRedisError('grants', err);
      return this.local.get(key);
    }
  }
  async set(key: string, value: string, ttlMs: number) {
    try {
      await this.redis.set(`grant:${key}`, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
    } catch (err) {
      countRedisError('grants', err);
      await this.local.set(key, value, ttlMs);
    }
  }
  async delete(key: string) {
    await this.local.delete(key);
    try {
      await this.redis.del(`grant:${key}`);
    } catch (err) {
      countRedisError('grants', err);
    }
  }
}

const digest = (label: string, token: string) =>
  createHash('sha256').update(label).update('\0').update(token).digest();

export class SessionGrants {
  constructor(
    private readonly store: GrantStore,
    /** How long an access token lives (the org's session lifetime). */
    private readonly ttlMs: number,
  ) {}

  /** Remembers that `accessToken` was minted from `refreshToken`. */
  async remember(accessToken: string, refreshToken: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', digest('grant-key', accessToken), iv);
    const sealed = Buffer.concat([cipher.update(refreshToken, 'utf8'), cipher.final()]);
    const value = [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')).join('.');
    await this.store.set(this.keyOf(accessToken), value, this.ttlMs);
  }

  /** The refresh token `accessToken` came from, if this graph handed it out (and it still lives). */
  async refreshTokenOf(accessToken: string): Promise<string | undefined> {
    const value = await this.store.get(this.keyOf(accessToken));
    if (!value) return undefined;
    try {
      const [iv, tag, sealed] = value.split('.').map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', digest('grant-key', accessToken), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  forget(accessToken: string): Promise<void> {
    return this.store.delete(this.keyOf(accessToken));
  }

  private keyOf(accessToken: string) {
    return digest('grant-id', accessToken).toString('base64url');
  }
}

// Where the read cache keeps its entries: this process's memory (a bounded LRU) or Redis (shared
// by every replica). Invalidation is by versions, not by finding entries: every invalidation takes
// the next number of one counter (`seq`) and stamps it on each tag it names; an entry remembers
// the counter as it was BEFORE its read was sent, and is valid while none of its tags carries a
// later stamp. So a read that raced a write (sent before the invalidation, stored after it) is
// never served: its tags' stamps are newer than its own number.
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface CacheEntry {
  status: number;
  body: unknown;
  /** Tags of the records the answer holds (and of the request's subject). */
  tags: string[];
  /** The invalidation counter when the read was sent. */
  seq: number;
  /** Epoch ms the answer arrived, and how long it is fresh. */
  storedAt: number;
  ttlMs: number;
}

export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  /** The invalidation counter now. */
  seq(): Promise<number>;
  get(key: string): Promise<CacheEntry | undefined>;
  /** Keeps the entry for `keepMs` (its TTL plus how long it may be served stale). */
  set(key: string, entry: CacheEntry, keepMs: number): Promise<void>;
  /** The stamps of these tags (0: never invalidated). */
  stamps(tags: readonly string[]): Promise<number[]>;
  /** Stamps each tag with the next counter value; stamps are kept `keepMs` (≥ any entry's life). */
  invalidate(tags: readonly string[], keepMs: number): Promise<void>;
}

export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  private counter = 0;
  private readonly entries: LRUCache<string, CacheEntry>;
  /** Tag → stamp; forgotten after keepMs, when no entry older than the stamp can be alive. */
  private readonly tagStamps = new Map<string, { seq: number; until: number }>();

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache({ max: Math.max(1, maxEntries) });
  }

  async seq(): Promise<number> {
    return this.counter;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, entry: CacheEntry, keepMs: number): Promise<void> {
    this.entries.set(key, entry, { ttl: keepMs });
  }

  async stamps(tags: readonly string[]): Promise<number[]> {
    const now = this.now();
    return tags.map((t) => {
      const s = this.tagStamps.get(t);
      return s && s.until > now ? s.seq : 0;
    });
  }

  async invalidate(tags: readonly string[], keepMs: number): Promise<void> {
    const now = this.now();
    for (const t of tags) this.tagStamps.set(t, { seq: ++this.counter, until: now + keepMs });
    if (this.tagStamps.size > 4 * this.entries.max)
      for (const [t, s] of this.tagStamps) if (s.until <= now) this.tagStamps.delete(t);
  }
}

/** The same on Redis: `{ns}:e:{key}` entries (PX), `{ns}:t:{tag}` stamps, `{ns}:seq` the counter. */
export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';
  constructor(
    private readonly redis: Redis,
    private readonly ns = 'c360:read-cache',
  ) {}

  async seq(): Promise<number> {
    return Number((await this.redis.get(`${this.ns}:seq`)) ?? 0);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const raw = await this.redis.get(`${this.ns}:e:${key}`);
    return raw ? (JSON.parse(raw) as CacheEntry) : undefined;
  }

  async set(key: string, entry: CacheEntry, keepMs: number): Promise<void> {
    await this.redis.set(`${this.ns}:e:${key}`, JSON.stringify(entry), 'PX', Math.max(1, keepMs));
  }

  async stamps(tags: readonly string[]): Promise<number[]> {
    if (!tags.length) return [];
    const raw = await this.redis.mget(tags.map((t) => `${this.ns}:t:${t}`));
    return raw.map((v) => Number(v ?? 0));
  }

  async invalidate(tags: readonly string[], keepMs: number): Promise<void> {
    if (!tags.length) return;
    // One round trip: each tag gets the next counter value, kept as long as any entry lives.
    await this.redis.eval(
      `for i, k in ipairs(KEYS) do
         if i > 1 then redis.call('SET', k, redis.call('INCR', KEYS[1]), 'PX', ARGV[1]) end
       end
       return 1`,
      tags.length + 1,
      `${this.ns}:seq`,
      ...tags.map((t) => `${this.ns}:t:${t}`),
      String(Math.max(1, keepMs)),
    );
  }
}

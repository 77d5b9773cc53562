// A cache of Salesforce reads at the subgraph → Salesforce hop, BELOW authorization: what is kept
// is what Salesforce answered, keyed by the request that read it (family, method, URL, body and,
// where the credentials decide the answer, their subject), and tagged with the records it holds.
// Every access decision still runs on every request (subgraphs/<name>/access.ts decides on the
// loaded record, cached or not). callUpstream (lib/upstream-http.ts) hands a request here when
// its transport carries the server's cache; the client says what a request is in its `cache` hint.
//
// Kept true by invalidation (tags stamped by writes through the graph, Salesforce's change
// events, Data Cloud's updates: invalidate()) with a TTL backstop per kind. Redis failing never
// fails a read: the cache is bypassed until it answers again. Below the org's API floor
// (Sforce-Limit-Info), entries past their TTL are still served (counted as stale), and a read the
// cache cannot serve is refused with RATE_LIMITED instead of spending the org's last calls.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { UpstreamError, type UpstreamFamily } from '../errors.js';
import { parseLimitInfo } from '../observability/upstream-observer.js';
import { countRedisError } from '../redis/connect.js';
import type { ReadCacheConfig } from './config.js';
import { MemoryCacheStore, RedisCacheStore, type CacheEntry, type CacheStore } from './store.js';
import type {
  CacheHint,
  InvalidationSource,
  ReadCacheStage,
  ReadHint,
  WriteHint,
} from './types.js';

/** Counters the server's metrics keep (lib/observability/metrics.ts). */
export interface ReadCacheMetrics {
  lookup(family: UpstreamFamily, result: 'hit' | 'miss' | 'stale' | 'refused' | 'bypass'): void;
  invalidated(source: InvalidationSource, tags: number): void;
}

/**
 * How long a low allowance is believed without a new answer: misses are refused meanwhile, so
 * without this no call would ever learn that the org's allowance was reset.
 */
const LOW_RECHECK_MS = 30_000;

/** At most this many tags per entry; an answer naming more records is not cached. */
export const MAX_TAGS = 500;

type Answer<T> = { status: number; headers: { get(name: string): string | null }; body: T };

const NO_HEADERS = { get: () => null };

export class ReadCache implements ReadCacheStage {
  private metrics?: ReadCacheMetrics;
  /** The org's allowance per family, from the last Sforce-Limit-Info seen: [used, max]. */
  private readonly usage = new Map<UpstreamFamily, { used: number; max: number; at: number }>();
  /** How long stamps must outlive entries (longest TTL plus the stale window). */
  private readonly keepMs: number;

  constructor(
    readonly config: ReadCacheConfig,
    private readonly store: CacheStore | null,
    private readonly now: () => number = Date.now,
  ) {
    this.keepMs = Math.max(...Object.values(config.ttlMs)) + config.staleMaxMs + 60_000;
  }

  get enabled(): boolean {
    return !!this.store;
  }

  /** Where entries live: memory, redis, or off. */
  get kind(): 'memory' | 'redis' | 'off' {
    return this.store?.kind ?? 'off';
  }

  observe(metrics: ReadCacheMetrics): void {
    this.metrics = metrics;
  }

  /** True while the org's allowance seen on `family` is below the floor. */
  lowOnApi(family: UpstreamFamily): boolean {
    const u = this.usage.get(family);
    if (!u || this.config.apiFloor <= 0 || this.now() - u.at >= LOW_RECHECK_MS) return false;
    return u.max <= 0 || (u.max - u.used) / u.max < this.config.apiFloor;
  }

  /**
   * Marks every cached read holding one of `tags` invalid, now and on every replica sharing
   * the store. Never throws: with the store down it is bypassed (nothing is served from it).
   */
  async invalidate(tags: readonly string[], source: InvalidationSource): Promise<void> {
    const unique = [...new Set(tags)].filter(Boolean);
    if (!this.store || !unique.length) return;
    try {
      await this.store.invalidate(unique, this.keepMs);
      this.metrics?.invalidated(source, unique.length);
    } catch (err) {
      countRedisError('read-cache', err);
    }
  }

  async through<T>(
    family: UpstreamFamily,
    req: { method: string; url: string; json?: unknown; cache?: CacheHint },
    cost: { cacheHit?(family: UpstreamFamily, stale: boolean): void } | undefined,
    send: () => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    const hint = req.cache;
    if (hint && 'write' in hint) return this.write(family, hint, send);
    if (!hint || !this.store || !(this.config.ttlMs[hint.read] > 0)) return this.sent(family, send);
    return this.read(family, req, hint, cost, send);
  }

  private async write<T>(
    family: UpstreamFamily,
    hint: WriteHint,
    send: () => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    let body: unknown;
    try {
      const res = await this.sent(family, send);
      body = res.body;
      return res;
    } finally {
      // Written or not (an unknown outcome too): what it touched is re-read next time.
      await this.invalidate(hint.write(body), 'write');
    }
  }

  private async read<T>(
    family: UpstreamFamily,
    req: { method: string; url: string; json?: unknown },
    hint: ReadHint,
    cost: { cacheHit?(family: UpstreamFamily, stale: boolean): void } | undefined,
    send: () => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    const store = this.store!;
    const key = keyOf(family, req, hint);
    const low = this.lowOnApi(family);
    let seq: number | undefined;
    try {
      const entry = await store.get(key);
      if (entry && (await this.valid(entry))) {
        const age = this.now() - entry.storedAt;
        if (age < entry.ttlMs || (low && age < entry.ttlMs + this.config.staleMaxMs)) {
          const stale = age >= entry.ttlMs;
          this.metrics?.lookup(family, stale ? 'stale' : 'hit');
          cost?.cacheHit?.(family, stale);
          return { status: entry.status, headers: NO_HEADERS, body: copy(entry.body) as T };
        }
      }
      seq = await store.seq();
    } catch (err) {
      // The store failed (Redis down or slow): bypassed, never an error.
      countRedisError('read-cache', err);
      this.metrics?.lookup(family, 'bypass');
      return this.sent(family, send);
    }
    if (low) {
      this.metrics?.lookup(family, 'refused');
      throw new UpstreamError(
        family,
        0,
        'REQUEST_LIMIT_EXCEEDED',
        `${family} not called: the org's API allowance is below the read cache's floor and this read is not cached`,
      );
    }
    this.metrics?.lookup(family, 'miss');
    const res = await this.sent(family, send);
    if (res.status >= 200 && res.status < 300 && (hint.keep?.(res.body) ?? true)) {
      const tags = [
        ...new Set([`type:${hint.read}`, ...(hint.tags ?? []), ...(hint.tagsOf?.(res.body) ?? [])]),
      ];
      if (tags.length <= MAX_TAGS) {
        const ttlMs = this.config.ttlMs[hint.read];
        const entry: CacheEntry = {
          status: res.status,
          body: copy(res.body),
          tags,
          seq,
          storedAt: this.now(),
          ttlMs,
        };
        try {
          await store.set(key, entry, ttlMs + this.config.staleMaxMs);
        } catch (err) {
          countRedisError('read-cache', err);
        }
      }
    }
    return res;
  }

  /** Valid while none of its tags was invalidated after its read was sent. */
  private async valid(entry: CacheEntry): Promise<boolean> {
    const stamps = await this.store!.stamps(entry.tags);
    return stamps.every((s) => s <= entry.seq);
  }

  /** Sends the call and reads the org's allowance from its answer. */
  private async sent<T>(
    family: UpstreamFamily,
    send: () => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    try {
      const res = await send();
      this.note(family, res.headers.get('sforce-limit-info'));
      return res;
    } catch (err) {
      if (err instanceof UpstreamError && err.upstreamCode === 'REQUEST_LIMIT_EXCEEDED')
        this.usage.set(family, { used: 1, max: 1, at: this.now() });
      throw err;
    }
  }

  private note(family: UpstreamFamily, header: string | null): void {
    const usage = parseLimitInfo(header);
    if (usage) this.usage.set(family, { used: usage[0], max: usage[1], at: this.now() });
  }
}

/** The server's cache from its configuration: on `redis` when given and configured so. */
export function createReadCache(
  config: ReadCacheConfig,
  redis?: Redis,
  now: () => number = Date.now,
): ReadCache {
  if (config.mode === 'off') return new ReadCache(config, null, now);
  const store =
    config.mode !== 'memory' && redis
      ? new RedisCacheStore(redis)
      : new MemoryCacheStore(config.maxEntries, now);
  return new ReadCache(config, store, now);
}

function keyOf(
  family: UpstreamFamily,
  req: { method: string; url: string; json?: unknown },
  hint: ReadHint,
): string {
  const h = createHash('sha256');
  h.update(`${family}\n${req.method.toUpperCase()}\n${req.url}\n${hint.scope ?? ''}\n`);
  if (req.json !== undefined) h.update(JSON.stringify(req.json));
  return `${hint.read}:${h.digest('base64url')}`;
}

/** Answers are handed out as copies: a caller mutating its answer never changes the cache. */
function copy(body: unknown): unknown {
  return body === undefined ? undefined : structuredClone(body);
}

/** Salesforce record ids by key prefix → the tag's type. */
const SF_PREFIX: Record<string, string> = {
  '500': 'case',
  '003': 'contact',
  '001': 'account',
};
const SF_ID = /\b(500|003|001)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?\b/g;

/** Tags of every Case, Contact and Account id in a text (a URL, a SOQL string, a JSON body). */
export function sfIdTags(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(SF_ID)) out.add(`${SF_PREFIX[m[1]]}:${m[0].slice(0, 15)}`);
  return [...out];
}

/** Tags of a CRM answer: every record id it holds (records, their parents, references). */
export function crmTags(body: unknown): string[] {
  return body === undefined ? [] : sfIdTags(JSON.stringify(body));
}

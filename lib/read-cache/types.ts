// What a client tells the read cache about one upstream request (UpstreamRequest.cache), and the
// stage callUpstream hands requests to when its transport has one (UpstreamTransport.readCache).
// Type-only: lib/upstream-http.ts imports these without importing the cache.
import type { UpstreamFamily } from '../errors.js';

/** What was read: each kind has its own TTL (lib/read-cache/config.ts). */
export type ReadKind = 'crm' | 'identity' | 'insights' | 'segments' | 'basket' | 'product';

export interface ReadHint {
  read: ReadKind;
  /**
   * Whose answer this is when the credentials, not the URL, decide it (a shopper's SCAPI token):
   * part of the key, so one shopper's answer is never another's.
   */
  scope?: string;
  /** Tags known from the request (its subject, e.g. `contact:<id>` of a SOQL filter). */
  tags?: readonly string[];
  /** Tags of the records in the answer (`case:<id>`, `individual:<id>`, `product:<id>`…). */
  tagsOf?: (body: unknown) => string[];
  /** Whether this answer may be kept (default: every 2xx), e.g. only a query's last page. */
  keep?: (body: unknown) => boolean;
}

export interface WriteHint {
  /** The records a write touches: invalidated once it answered (or failed), before it returns. */
  write: (body: unknown) => string[];
}

export type CacheHint = ReadHint | WriteHint;

/** Where invalidations come from (the metric's `source` label). */
export type InvalidationSource = 'write' | 'event' | 'gap' | 'datacloud' | 'manual';

export interface ReadCacheStage {
  through<T>(
    family: UpstreamFamily,
    req: { method: string; url: string; json?: unknown; cache?: CacheHint },
    cost: { cacheHit?(family: UpstreamFamily, stale: boolean): void } | undefined,
    send: () => Promise<{ status: number; headers: { get(name: string): string | null }; body: T }>,
  ): Promise<{ status: number; headers: { get(name: string): string | null }; body: T }>;
}

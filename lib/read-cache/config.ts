// The read cache's configuration (variables in lib/config/registry.ts, READ_CACHE_*).
import { readEnv, type Env } from '../config/registry.js';
import type { ReadKind } from './types.js';

export interface ReadCacheConfig {
  /**
   * off; memory (this process); auto or redis: on the shared-state Redis when the process has
   * one (REDIS_URL), else in memory.
   */
  mode: 'auto' | 'off' | 'memory' | 'redis';
  maxEntries: number;
  /** Fresh life per kind (0: that kind is not cached). */
  ttlMs: Record<ReadKind, number>;
  /** How long past its TTL an entry may be served while the org's allowance is low. */
  staleMaxMs: number;
  /** Remaining share (0–1) of the org's daily API allowance below which the cache protects it. */
  apiFloor: number;
}

export function loadReadCacheConfig(env: Env): ReadCacheConfig {
  const e = readEnv(env);
  return {
    mode: e.get('READ_CACHE'),
    maxEntries: e.get('READ_CACHE_MAX_ENTRIES'),
    ttlMs: {
      crm: e.get('READ_CACHE_TTL_CRM_MS'),
      identity: e.get('READ_CACHE_TTL_IDENTITY_MS'),
      insights: e.get('READ_CACHE_TTL_INSIGHTS_MS'),
      segments: e.get('READ_CACHE_TTL_SEGMENTS_MS'),
      basket: e.get('READ_CACHE_TTL_BASKET_MS'),
      product: e.get('READ_CACHE_TTL_PRODUCT_MS'),
    },
    staleMaxMs: e.get('READ_CACHE_STALE_MAX_MS'),
    apiFloor: e.get('READ_CACHE_API_FLOOR_PERCENT') / 100,
  };
}

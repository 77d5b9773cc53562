// Long-lived SLAS token cache (one per server, created in server.ts): one private-client guest
// token for the catalogue, and trusted-system-on-behalf-of tokens per shopper login in a bounded
// LRU, each kept until shortly before it expires. Concurrent callers share one in-flight request.
import { LRUCache } from 'lru-cache';

export interface CachedToken {
  accessToken: string;
  customerId: string;
  expiresAt: number;
}

/** Refresh a little early so a token never expires between the check and the call. */
const SKEW_MS = 60_000;

export class SlasTokenCache {
  private readonly tokens: LRUCache<string, CachedToken>;
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(maxShoppers: number) {
    this.tokens = new LRUCache({ max: Math.max(1, maxShoppers) });
  }

  async get(key: string, fetchToken: () => Promise<CachedToken>): Promise<CachedToken> {
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt - SKEW_MS > Date.now()) return hit;
    let p = this.pending.get(key);
    if (!p) {
      p = fetchToken()
        .then((t) => {
          this.tokens.set(key, t);
          return t;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Drops a token SCAPI refused (401), unless a newer one has replaced it already. */
  invalidate(key: string, accessToken: string): void {
    if (this.tokens.get(key)?.accessToken === accessToken) this.tokens.delete(key);
  }

  get size(): number {
    return this.tokens.size;
  }
}

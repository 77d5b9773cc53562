// Long-lived SLAS token cache (one per server, created in server.ts): one private-client guest
// token for the catalogue, and trusted-system-on-behalf-of (TSOB) tokens per shopper login in a
// bounded LRU, each kept until shortly before it expires. Concurrent callers share one in-flight
// request per key (single flight), so one login never has two logins or two refreshes under way.
//
// A shopper entry outlives its access token: its refresh token and usid stay, so the next token
// comes from a refresh (`grant_type=refresh_token`), not from a new TSOB login. The cache also
// remembers when each login last went to the TSOB endpoint, because SLAS answers a second TSOB
// login for the same login_id within its service window (3 s) with 409.
import { LRUCache } from 'lru-cache';

export interface CachedToken {
  accessToken: string;
  customerId: string;
  expiresAt: number;
  /** The SLAS refresh token (renewals use it instead of a new login) and when it expires. */
  refreshToken?: string;
  refreshExpiresAt?: number;
  /** The shopper session id SLAS answered (`usid`), passed on when a new login is needed. */
  usid?: string;
}

/** Refresh a little early so a token never expires between the check and the call. */
export const SKEW_MS = 60_000;

export class SlasTokenCache {
  private readonly tokens: LRUCache<string, CachedToken>;
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private readonly logins: LRUCache<string, number>;

  /**
   * `now` is the clock of every expiry window here (token lifetimes, the TSOB login window) and
   * of the client's (ScapiClient reads it): tests pass their own instead of sleeping.
   */
  constructor(
    maxShoppers: number,
    readonly now: () => number = Date.now,
  ) {
    this.tokens = new LRUCache({ max: Math.max(1, maxShoppers) });
    this.logins = new LRUCache({ max: Math.max(1, maxShoppers) });
  }

  /**
   * A live token for `key`, else the one `fetchToken` gets — called with the entry there is (an
   * expired or refused access token, whose refresh token and usid are still good), once for all
   * concurrent callers.
   */
  async get(
    key: string,
    fetchToken: (previous: CachedToken | undefined) => Promise<CachedToken>,
  ): Promise<CachedToken> {
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt - SKEW_MS > this.now()) return hit;
    let p = this.pending.get(key);
    if (!p) {
      p = fetchToken(hit)
        .then((t) => {
          this.tokens.set(key, t);
          return t;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /**
   * Drops an access token SCAPI refused (401), unless a newer one has replaced it already. The
   * entry's refresh token and usid are kept for the renewal.
   */
  invalidate(key: string, accessToken: string): void {
    const hit = this.tokens.get(key);
    if (hit?.accessToken === accessToken) this.tokens.set(key, { ...hit, expiresAt: 0 });
  }

  /** Records a TSOB login for `key` now. */
  noteLogin(key: string): void {
    this.logins.set(key, this.now());
  }

  /** Milliseconds until a TSOB login for `key` is outside `windowMs` of the last one (0: now). */
  loginWait(key: string, windowMs: number): number {
    const at = this.logins.get(key);
    return at === undefined ? 0 : Math.max(0, at + windowMs - this.now());
  }

  get size(): number {
    return this.tokens.size;
  }
}

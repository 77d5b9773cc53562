// Long-lived SLAS token cache (one per server, created in server.ts): one private-client guest
// token for the catalogue, and trusted-system-on-behalf-of (TSOB) tokens per shopper login in a
// bounded LRU, each kept until shortly before it expires. Concurrent callers share one in-flight
// request per key (single flight), so one login never has two logins or two refreshes under way.
// The cache is lib/salesforce's KeyedTokenCache (renewed TOKEN_REFRESH_SKEW_MS early); this file
// adds the TSOB login window.
//
// A shopper entry outlives its access token: its refresh token and usid stay, so the next token
// comes from a refresh (`grant_type=refresh_token`), not from a new TSOB login. The cache also
// remembers when each login last went to the TSOB endpoint, because SLAS answers a second TSOB
// login for the same login_id within its service window (3 s) with 409.
import { LRUCache } from 'lru-cache';
import { KeyedTokenCache, TOKEN_REFRESH_SKEW_MS } from '../../lib/salesforce/token-cache.js';

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

/** Refresh a little early so a token never expires between the check and the call (lib's one skew). */
export const SKEW_MS = TOKEN_REFRESH_SKEW_MS;

type Fetch = (previous: CachedToken | undefined) => Promise<CachedToken>;

export class SlasTokenCache {
  private readonly tokens: KeyedTokenCache<CachedToken, Fetch>;
  private readonly logins: LRUCache<string, number>;

  /**
   * `now` is the clock of every expiry window here (token lifetimes, the TSOB login window) and
   * of the client's (ScapiClient reads it): tests pass their own instead of sleeping.
   */
  constructor(
    maxShoppers: number,
    readonly now: () => number = Date.now,
  ) {
    this.tokens = new KeyedTokenCache<CachedToken, Fetch>({
      fetchToken: (fetchToken, previous) => fetchToken(previous),
      now,
      max: maxShoppers,
    });
    this.logins = new LRUCache({ max: Math.max(1, maxShoppers) });
  }

  /**
   * A live token for `key`, else the one `fetchToken` gets — called with the entry there is (an
   * expired or refused access token, whose refresh token and usid are still good), once for all
   * concurrent callers.
   */
  get(key: string, fetchToken: Fetch): Promise<CachedToken> {
    return this.tokens.get(key, fetchToken);
  }

  /**
   * Drops an access token SCAPI refused (401), unless a newer one has replaced it already. The
   * entry's refresh token and usid are kept for the renewal.
   */
  invalidate(key: string, accessToken: string): void {
    this.tokens.invalidate(key, (t) => t.accessToken === accessToken);
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

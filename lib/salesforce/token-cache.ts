// Long-lived tokens: a value kept until shortly before it expires, fetched by one request however
// many callers ask at once (single flight, per key), and dropped when an upstream refuses it.
// Every token cache of the product is this one: the core org's client-credentials token, the
// customer's Data Cloud token (exchanged from the core token), and the commerce subgraph's SLAS
// tokens (one per shopper login), all renewed TOKEN_REFRESH_SKEW_MS before their stated expiry.
import { LRUCache } from 'lru-cache';
import { callUpstream, joinUrl, type UpstreamTransport } from '../upstream-http.js';
import { KeyedFlight } from '../keyed-flight.js';

/** Renew a token this long before its stated expiry, so it never dies between check and call. */
export const TOKEN_REFRESH_SKEW_MS = 60_000;

export interface Expiring {
  /** The stated expiry (epoch ms); the cache renews TOKEN_REFRESH_SKEW_MS before it. */
  expiresAt: number;
}

export interface KeyedTokenCacheOptions<T extends Expiring, A> {
  /** Fetches `key`'s token, given the entry there is (expired or refused, e.g. its refresh token). */
  fetchToken(arg: A, previous: T | undefined, key: string): Promise<T>;
  /** The clock of every expiry (tests pass their own instead of sleeping). */
  now?: () => number;
  /** Entries kept (least recently used dropped first). */
  max?: number;
}

/** Tokens by key: each live until TOKEN_REFRESH_SKEW_MS before it expires, one fetch per key at a time. */
export class KeyedTokenCache<T extends Expiring, A = void> {
  private readonly tokens: LRUCache<string, T>;
  private readonly flight = new KeyedFlight<T>();
  readonly now: () => number;

  constructor(private readonly o: KeyedTokenCacheOptions<T, A>) {
    this.now = o.now ?? Date.now;
    this.tokens = new LRUCache({ max: Math.max(1, o.max ?? 1) });
  }

  /** `key`'s cached token while it lives, else the one in-flight fetch shared by every caller. */
  get(key: string, arg: A): Promise<T> {
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt - TOKEN_REFRESH_SKEW_MS > this.now()) return Promise.resolve(hit);
    return this.flight.run(key, async () => {
      const t = await this.o.fetchToken(arg, hit, key);
      this.tokens.set(key, t);
      return t;
    });
  }

  /**
   * Expires `key`'s cached token if `refused` is it (a newer one is kept). The entry stays, so the
   * next fetch sees it (a refresh token, a session id).
   */
  invalidate(key: string, refused: (t: T) => boolean): void {
    const hit = this.tokens.get(key);
    if (hit && refused(hit)) this.tokens.set(key, { ...hit, expiresAt: 0 });
  }

  get size(): number {
    return this.tokens.size;
  }
}

/** One token per server (the keyed cache with a single key). */
export class SingleFlightToken<T extends Expiring, A = void> {
  private readonly cache: KeyedTokenCache<T, A>;

  constructor(fetchToken: (arg: A) => Promise<T>, now: () => number = Date.now) {
    this.cache = new KeyedTokenCache({ fetchToken: (arg) => fetchToken(arg), now });
  }

  /** The cached token while it lives, else the one in-flight fetch shared by every caller. */
  get(arg: A): Promise<T> {
    return this.cache.get('', arg);
  }

  /** Forgets the cached token if `refused` is it (a newer one is kept). */
  invalidate(refused: (t: T) => boolean): void {
    this.cache.invalidate('', refused);
  }
}

/**
 * Core OAuth token response (client credentials, docs/salesforce/crm-rest.md#oauth-token-endpoint).
 */
export interface CoreTokenResponse {
  access_token: string;
  instance_url: string;
  id: string;
  token_type: string;
  issued_at: string;
  signature?: string;
  scope?: string;
}

export interface CoreSession {
  accessToken: string;
  instanceUrl: string;
  expiresAt: number;
  /** The run-as (integration) user: the last segment of the identity URL `id` (/id/{org}/{user}). */
  userId: string;
}

/** The integration client's settings (every subgraph config that calls the core org has them). */
export interface CoreTokenOptions {
  /** Login host: My Domain of the org (or the emulator's /crm). */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  /** The org's session timeout: Salesforce sends no expires_in for this flow. */
  crmSessionTtlSeconds: number;
  timeoutMs: number;
}

/**
 * The integration client's core org token (OAuth client credentials), shared by all requests of
 * one server: fetched once, reused until the org's session lifetime is nearly over, dropped on 401.
 */
export class CoreTokenCache {
  private readonly cache: SingleFlightToken<CoreSession, UpstreamTransport>;

  constructor(private readonly o: CoreTokenOptions) {
    this.cache = new SingleFlightToken((transport) => this.fetchToken(transport));
  }

  get(transport: UpstreamTransport): Promise<CoreSession> {
    return this.cache.get(transport);
  }

  invalidate(accessToken: string): void {
    this.cache.invalidate((s) => s.accessToken === accessToken);
  }

  /** POST {loginUrl}/services/oauth2/token with grant_type=client_credentials. */
  private async fetchToken(transport: UpstreamTransport): Promise<CoreSession> {
    const res = await callUpstream<CoreTokenResponse>(
      {
        family: 'crm',
        method: 'POST',
        url: joinUrl(this.o.crmLoginUrl, '/services/oauth2/token'),
        form: {
          grant_type: 'client_credentials',
          client_id: this.o.crmClientId,
          client_secret: this.o.crmClientSecret,
        },
        timeoutMs: this.o.timeoutMs,
      },
      transport,
    );
    const issuedAt = Number(res.body.issued_at) || Date.now();
    // Assume the org's session lifetime (renewed TOKEN_REFRESH_SKEW_MS early), kept a minute at least.
    const ttlMs = Math.max(this.o.crmSessionTtlSeconds * 1000, 2 * TOKEN_REFRESH_SKEW_MS);
    return {
      accessToken: res.body.access_token,
      instanceUrl: res.body.instance_url,
      expiresAt: issuedAt + ttlMs,
      userId: String(res.body.id ?? '')
        .split('/')
        .pop()!,
    };
  }
}

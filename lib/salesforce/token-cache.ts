// Long-lived tokens, one per server: a value kept until it expires, fetched by one request however
// many callers ask at once (single flight), and dropped when an upstream refuses it. The core
// org's client-credentials token is one; the customer's Data Cloud token (exchanged from the core
// token) is another, built on the same cache.
import { callUpstream, joinUrl, type UpstreamTransport } from '../upstream-http.js';

export interface Expiring {
  expiresAt: number;
}

export class SingleFlightToken<T extends Expiring, A = void> {
  private current?: T;
  private pending?: Promise<T>;

  constructor(
    private readonly fetchToken: (arg: A) => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached token while it lives, else the one in-flight fetch shared by every caller. */
  get(arg: A): Promise<T> {
    if (this.current && this.current.expiresAt > this.now()) return Promise.resolve(this.current);
    this.pending ??= this.fetchToken(arg)
      .then((t) => (this.current = t))
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached token if `refused` is it (a newer one is kept). */
  invalidate(refused: (t: T) => boolean): void {
    if (this.current && refused(this.current)) this.current = undefined;
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
    // Assume the org's session lifetime, with a minute to spare.
    return {
      accessToken: res.body.access_token,
      instanceUrl: res.body.instance_url,
      expiresAt: issuedAt + Math.max(60, this.o.crmSessionTtlSeconds - 60) * 1000,
      userId: String(res.body.id ?? '')
        .split('/')
        .pop()!,
    };
  }
}

// The integration client's core org token (OAuth client credentials, reference §1.10), shared by
// all requests of one server: fetched once, reused until the org's session lifetime is nearly
// over, dropped on 401. Concurrent callers share one in-flight token request.
import { callUpstream, joinUrl, type UpstreamTransport } from './upstream-http.js';

/** Core OAuth token response. */
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
}

export interface CoreTokenOptions {
  /** Login host: My Domain of the org (or the emulator's /crm). */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** The org's session timeout: Salesforce sends no expires_in for this flow. */
  sessionTtlSeconds: number;
}

export class CoreTokenCache {
  private current?: CoreSession;
  private pending?: Promise<CoreSession>;

  constructor(private readonly o: CoreTokenOptions) {}

  async get(transport: UpstreamTransport): Promise<CoreSession> {
    if (this.current && this.current.expiresAt > Date.now()) return this.current;
    this.pending ??= this.fetchToken(transport).finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined;
  }

  /** POST {loginUrl}/services/oauth2/token with grant_type=client_credentials. */
  private async fetchToken(transport: UpstreamTransport): Promise<CoreSession> {
    const res = await callUpstream<CoreTokenResponse>(
      {
        family: 'crm',
        method: 'POST',
        url: joinUrl(this.o.loginUrl, '/services/oauth2/token'),
        form: {
          grant_type: 'client_credentials',
          client_id: this.o.clientId,
          client_secret: this.o.clientSecret,
        },
        timeoutMs: this.o.timeoutMs,
      },
      transport,
    );
    const issuedAt = Number(res.body.issued_at) || Date.now();
    // Assume the org's session lifetime, with a minute to spare.
    const expiresAt = issuedAt + Math.max(60, this.o.sessionTtlSeconds - 60) * 1000;
    this.current = {
      accessToken: res.body.access_token,
      instanceUrl: res.body.instance_url,
      expiresAt,
    };
    return this.current;
  }
}

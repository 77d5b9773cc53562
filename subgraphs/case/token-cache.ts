// The integration client's core token (client credentials), shared by all requests of one
// server: fetched once, reused until the org's session lifetime is nearly over, dropped on 401.
// Concurrent callers share one in-flight token request.
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import type { CaseConfig } from './config.js';

/** Core OAuth token response (reference §1.10). */
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

export class CoreTokenCache {
  private current?: CoreSession;
  private pending?: Promise<CoreSession>;

  constructor(private readonly config: CaseConfig) {}

  async get(transport: UpstreamTransport): Promise<CoreSession> {
    if (this.current && this.current.expiresAt > Date.now()) return this.current;
    this.pending ??= this.fetchToken(transport).finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined;
  }

  /** POST {CRM_LOGIN_URL}/services/oauth2/token with grant_type=client_credentials. */
  private async fetchToken(transport: UpstreamTransport): Promise<CoreSession> {
    const { config } = this;
    const res = await callUpstream<CoreTokenResponse>(
      {
        family: 'crm',
        method: 'POST',
        url: joinUrl(config.crmLoginUrl, '/services/oauth2/token'),
        form: {
          grant_type: 'client_credentials',
          client_id: config.crmClientId,
          client_secret: config.crmClientSecret,
        },
        timeoutMs: config.timeoutMs,
      },
      transport,
    );
    const issuedAt = Number(res.body.issued_at) || Date.now();
    // No expires_in from Salesforce: assume the org's session lifetime, a minute early.
    const expiresAt = issuedAt + Math.max(60, config.crmSessionTtlSeconds - 60) * 1000;
    this.current = {
      accessToken: res.body.access_token,
      instanceUrl: res.body.instance_url,
      expiresAt,
    };
    return this.current;
  }
}

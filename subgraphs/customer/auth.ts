// Long-lived token cache (one per server): the core OAuth client-credentials token and the Data
// Cloud token exchanged from it, each kept until shortly before expiry. Concurrent requests
// share one in-flight fetch. Created in server.ts; the per-request client asks it for tokens.
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import type { CustomerConfig } from './config.js';

export interface CoreToken {
  accessToken: string;
  instanceUrl: string;
  expiresAt: number;
}

export interface DataCloudToken {
  accessToken: string;
  tenantUrl: string;
  expiresAt: number;
}

/** Refresh this long before the stated expiry so a token does not die mid-request. */
const SKEW_MS = 60_000;
/** Client credentials responses carry no expires_in; the org's session timeout defaults to 2 h. */
const CORE_TOKEN_LIFETIME_MS = 2 * 3600_000 - SKEW_MS;

export class DataCloudAuth {
  private core?: CoreToken;
  private dc?: DataCloudToken;
  private coreInFlight?: Promise<CoreToken>;
  private dcInFlight?: Promise<DataCloudToken>;

  constructor(
    private readonly config: CustomerConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async coreToken(transport: UpstreamTransport): Promise<CoreToken> {
    if (this.core && this.core.expiresAt > this.now()) return this.core;
    this.coreInFlight ??= this.fetchCoreToken(transport).finally(
      () => (this.coreInFlight = undefined),
    );
    return this.coreInFlight;
  }

  async dataCloudToken(transport: UpstreamTransport): Promise<DataCloudToken> {
    if (this.dc && this.dc.expiresAt > this.now()) return this.dc;
    this.dcInFlight ??= this.exchange(transport).finally(() => (this.dcInFlight = undefined));
    return this.dcInFlight;
  }

  /** Forget a token the upstream refused (401), so the next call re-authenticates. */
  invalidateCore(token: string): void {
    if (this.core?.accessToken === token) this.core = undefined;
  }

  invalidateDataCloud(token: string): void {
    if (this.dc?.accessToken === token) this.dc = undefined;
  }

  /** POST {login}/services/oauth2/token, grant_type=client_credentials (reference §1.10). */
  private async fetchCoreToken(transport: UpstreamTransport): Promise<CoreToken> {
    const res = await callUpstream<{ access_token: string; instance_url: string }>(
      {
        family: 'crm',
        method: 'POST',
        url: joinUrl(this.config.crmLoginUrl, '/services/oauth2/token'),
        form: {
          grant_type: 'client_credentials',
          client_id: this.config.crmClientId,
          client_secret: this.config.crmClientSecret,
        },
        timeoutMs: this.config.authTimeoutMs,
      },
      transport,
    );
    this.core = {
      accessToken: res.body.access_token,
      instanceUrl: res.body.instance_url,
      expiresAt: this.now() + CORE_TOKEN_LIFETIME_MS,
    };
    return this.core;
  }

  /** POST {core instance_url}/services/a360/token: core token → Data Cloud token (reference §2.1). */
  private async exchange(transport: UpstreamTransport, retried = false): Promise<DataCloudToken> {
    const core = await this.coreToken(transport);
    const res = await callUpstream<{
      access_token: string;
      instance_url: string;
      expires_in: number;
      error?: string;
    }>(
      {
        family: 'datacloud',
        method: 'POST',
        url: joinUrl(core.instanceUrl, '/services/a360/token'),
        form: {
          grant_type: 'urn:salesforce:grant-type:external:cdp',
          subject_token: core.accessToken,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        },
        timeoutMs: this.config.authTimeoutMs,
        accept: retried ? [] : [400, 401],
      },
      transport,
    );
    if (res.status === 400 || res.status === 401) {
      // The core session died before we expected (invalid_grant): log in again, once.
      this.invalidateCore(core.accessToken);
      return this.exchange(transport, true);
    }
    const tenantUrl = this.config.dataCloudTenantUrl ?? `https://${res.body.instance_url}`;
    this.dc = {
      accessToken: res.body.access_token,
      tenantUrl,
      expiresAt: this.now() + Math.max(0, res.body.expires_in * 1000 - SKEW_MS),
    };
    return this.dc;
  }
}

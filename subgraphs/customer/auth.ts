// Long-lived token cache (one per server): the core OAuth client-credentials token and the Data
// Cloud token exchanged from it, each kept until shortly before expiry. Concurrent requests
// share one in-flight fetch. Created in server.ts; the per-request client asks it for tokens.
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import { CoreTokenCache, type CoreSession } from '../../lib/core-token-cache.js';
import type { CustomerConfig } from './config.js';

export type CoreToken = CoreSession;

export interface DataCloudToken {
  accessToken: string;
  tenantUrl: string;
  expiresAt: number;
}

/** Refresh this long before the stated expiry so a token does not die mid-request. */
const SKEW_MS = 60_000;
/** Client credentials responses carry no expires_in; the org's session timeout defaults to 2 h. */
const CORE_SESSION_TTL_SECONDS = 7200;

/**
 * The tenant endpoint from the exchange's instance_url: normally a bare host (maybe with a
 * path), used as `https://{instance_url}`; a value that already carries a scheme is kept.
 */
export function tenantUrlOf(instanceUrl: string): string {
  const v = String(instanceUrl ?? '').trim();
  if (!v) throw new Error('The Data Cloud token exchange answered no instance_url.');
  return (/^[a-z][a-z\d+.-]*:\/\//i.test(v) ? v : `https://${v}`).replace(/\/+$/, '');
}

export class DataCloudAuth {
  /** The core org token comes from the cache every subgraph shares. */
  private readonly core: CoreTokenCache;
  private dc?: DataCloudToken;
  private dcInFlight?: Promise<DataCloudToken>;

  constructor(
    private readonly config: CustomerConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.core = new CoreTokenCache({
      loginUrl: config.crmLoginUrl,
      clientId: config.crmClientId,
      clientSecret: config.crmClientSecret,
      timeoutMs: config.authTimeoutMs,
      sessionTtlSeconds: CORE_SESSION_TTL_SECONDS,
    });
  }

  coreToken(transport: UpstreamTransport): Promise<CoreToken> {
    return this.core.get(transport);
  }

  async dataCloudToken(transport: UpstreamTransport): Promise<DataCloudToken> {
    if (this.dc && this.dc.expiresAt > this.now()) return this.dc;
    this.dcInFlight ??= this.exchange(transport).finally(() => (this.dcInFlight = undefined));
    return this.dcInFlight;
  }

  /** Forget a token the upstream refused (401), so the next call re-authenticates. */
  invalidateCore(token: string): void {
    this.core.invalidate(token);
  }

  invalidateDataCloud(token: string): void {
    if (this.dc?.accessToken === token) this.dc = undefined;
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
    const tenantUrl = this.config.dataCloudTenantUrl ?? tenantUrlOf(res.body.instance_url);
    this.dc = {
      accessToken: res.body.access_token,
      tenantUrl,
      expiresAt: this.now() + Math.max(0, res.body.expires_in * 1000 - SKEW_MS),
    };
    return this.dc;
  }
}

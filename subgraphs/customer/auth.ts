// Long-lived tokens (one per server): the core OAuth client-credentials token (lib/salesforce's
// cache) and the Data Cloud token exchanged from it, on the same single-flight cache. Created in
// server.ts; the per-request client asks it for tokens.
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import { UpstreamError } from '../../lib/errors.js';
import { withReauth } from '../../lib/salesforce/reauth.js';
import {
  CoreTokenCache,
  SingleFlightToken,
  type CoreSession,
} from '../../lib/salesforce/token-cache.js';
import type { CustomerConfig } from './config.js';

export type CoreToken = CoreSession;

export interface DataCloudToken {
  accessToken: string;
  tenantUrl: string;
  /** The stated expiry: the cache renews it TOKEN_REFRESH_SKEW_MS early. */
  expiresAt: number;
}

/**
 * The tenant endpoint from the exchange's instance_url: normally a bare host (maybe with a
 * path), used as `https://{instance_url}`; a value that already carries a scheme is kept.
 */
export function tenantUrlOf(instanceUrl: string): string {
  const v = String(instanceUrl ?? '').trim();
  if (!v) throw new Error('The Data Cloud token exchange answered no instance_url.');
  return (/^[a-z][a-z\d+.-]*:\/\//i.test(v) ? v : `https://${v}`).replace(/\/+$/, '');
}

/** The exchange refuses a core session that died before we expected (400 invalid_grant or 401). */
const exchangeRefused = (err: unknown) =>
  err instanceof UpstreamError && (err.status === 400 || err.status === 401);

export class DataCloudAuth {
  /**
   * The org's one core token cache (lib/salesforce's): the Data Cloud exchange, the client's
   * Connect `/ssot` reads (lib/salesforce's CrmClient over it) and coreToken() all use it.
   */
  readonly coreTokens: CoreTokenCache;
  private readonly dc: SingleFlightToken<DataCloudToken, UpstreamTransport>;

  constructor(
    private readonly config: CustomerConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.coreTokens = new CoreTokenCache({ ...config, timeoutMs: config.authTimeoutMs });
    this.dc = new SingleFlightToken((transport) => this.exchange(transport), now);
  }

  coreToken(transport: UpstreamTransport): Promise<CoreToken> {
    return this.coreTokens.get(transport);
  }

  dataCloudToken(transport: UpstreamTransport): Promise<DataCloudToken> {
    return this.dc.get(transport);
  }

  /** Forget a token the upstream refused (401), so the next call re-authenticates. */
  invalidateCore(token: string): void {
    this.coreTokens.invalidate(token);
  }

  invalidateDataCloud(token: string): void {
    this.dc.invalidate((t) => t.accessToken === token);
  }

  /**
   * POST {core instance_url}/services/a360/token: core token → Data Cloud token
   * (docs/salesforce/data-cloud.md#token-exchange). A refused core session is logged in again,
   * once.
   */
  private exchange(transport: UpstreamTransport): Promise<DataCloudToken> {
    return withReauth(
      {
        token: () => this.coreToken(transport),
        invalidate: (core) => this.invalidateCore(core.accessToken),
        refused: exchangeRefused,
      },
      async (core) => {
        const res = await callUpstream<{
          access_token: string;
          instance_url: string;
          expires_in: number;
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
          },
          transport,
        );
        return {
          accessToken: res.body.access_token,
          tenantUrl: this.config.dataCloudTenantUrl ?? tenantUrlOf(res.body.instance_url),
          expiresAt: this.now() + Math.max(0, res.body.expires_in * 1000),
        };
      },
    );
  }
}

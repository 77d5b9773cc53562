// The one CRM REST client: the integration client's token (re-authenticated once on 401), SOQL
// with queryMore paging, sObject Collections retrieve, Composite, and the instance's revoke.
import { callUpstream, joinUrl, type UpstreamTransport } from '../upstream-http.js';
import { withReauth } from './reauth.js';
import type { CoreTokenCache } from './token-cache.js';

/** Every record carries attributes {type, url} (docs/salesforce/crm-rest.md#records-and-ids). */
export interface SfRecord {
  attributes: { type: string; url: string };
  Id: string;
  [field: string]: unknown;
}

export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below /services/data/vXX.X, e.g. /sobjects/Case. */
  path: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/** A CRM error item ({message, errorCode, fields?}). */
export interface CrmErrorItem {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface CrmClientOptions {
  /** The REST version as a path segment (`v62.0`, lib/env.ts's CRM_API_VERSION normalised). */
  crmApiPath: `v${string}`;
  timeoutMs: number;
}

export interface CrmRequest {
  method: string;
  /** Instance-relative path (`/services/data/v62.0/…`) or a nextRecordsUrl. */
  path: string;
  json?: unknown;
  accept?: number[];
  idempotent?: boolean;
}

export class CrmClient {
  constructor(
    private readonly config: CrmClientOptions,
    private readonly tokens: CoreTokenCache,
    private readonly transport: UpstreamTransport,
  ) {}

  /** `/services/data/vXX.X`. */
  get base(): string {
    return `/services/data/${this.config.crmApiPath}`;
  }

  /** The integration (run-as) user's id, from the token's identity URL. */
  async runningUserId(): Promise<string> {
    return (await this.tokens.get(this.transport)).userId;
  }

  /** One authenticated call to the instance; a 401 re-authenticates once. */
  async call<T>(req: CrmRequest): Promise<{ status: number; body: T }> {
    return withReauth(
      {
        token: () => this.tokens.get(this.transport),
        invalidate: (s) => this.tokens.invalidate(s.accessToken),
      },
      async (session) => {
        const res = await callUpstream<T>(
          {
            family: 'crm',
            method: req.method,
            url: joinUrl(session.instanceUrl, req.path),
            headers: { authorization: `Bearer ${session.accessToken}` },
            json: req.json,
            timeoutMs: this.config.timeoutMs,
            accept: req.accept,
            idempotent: req.idempotent,
          },
          this.transport,
        );
        return { status: res.status, body: res.body };
      },
    );
  }

  /** GET /services/data/vXX.X/query?q=… then GET {nextRecordsUrl} until done (queryMore). */
  async query<T>(soql: string): Promise<{ totalSize: number; records: T[] }> {
    const get = (path: string) =>
      this.call<QueryResult<T>>({ method: 'GET', path }).then((r) => r.body);
    let page = await get(`${this.base}/query?q=${encodeURIComponent(soql)}`);
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await get(page.nextRecordsUrl);
      records.push(...page.records);
    }
    return { totalSize: page.totalSize, records };
  }

  /** POST /services/data/vXX.X/composite/sobjects/{type} {ids ≤ 2000, fields}: records in id order, null when unknown. */
  async retrieve<T extends SfRecord>(
    type: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<Array<T | null>> {
    // A POST that only reads: safe to retry.
    const res = await this.call<Array<T | null>>({
      method: 'POST',
      path: `${this.base}/composite/sobjects/${type}`,
      json: { ids, fields },
      idempotent: true,
    });
    return res.body;
  }

  /**
   * POST /services/data/vXX.X/composite: ≤ 25 subrequests run in order, with @{ref} references;
   * one transaction when allOrNone (the default). With allOrNone false, a failed subrequest does
   * not stop the independent ones after it; collateSubrequests false keeps them strictly
   * sequential (docs/salesforce/crm-rest.md#composite).
   */
  async composite(
    requests: readonly CompositeSubrequest[],
    options: { allOrNone?: boolean; collateSubrequests?: boolean } = {},
  ): Promise<CompositeSubresponse[]> {
    const { allOrNone = true, collateSubrequests } = options;
    const res = await this.call<{ compositeResponse: CompositeSubresponse[] }>({
      method: 'POST',
      path: `${this.base}/composite`,
      json: {
        allOrNone,
        ...(collateSubrequests !== undefined ? { collateSubrequests } : {}),
        compositeRequest: requests.map((r) => ({
          method: r.method,
          url: `${this.base}${r.path}`,
          referenceId: r.referenceId,
          ...(r.body !== undefined ? { body: r.body } : {}),
        })),
      },
      // Only GETs: a POST that reads (safe to retry; no write whose outcome could be unknown).
      idempotent: requests.every((r) => r.method === 'GET') || undefined,
    });
    return res.body.compositeResponse;
  }

  /** POST {instance}/services/oauth2/revoke (token=…). False when the token was already dead. */
  async revoke(token: string): Promise<boolean> {
    const { instanceUrl } = await this.tokens.get(this.transport);
    const res = await callUpstream(
      {
        family: 'crm',
        method: 'POST',
        url: joinUrl(instanceUrl, '/services/oauth2/revoke'),
        form: { token },
        timeoutMs: this.config.timeoutMs,
        accept: [400],
      },
      this.transport,
    );
    return res.status === 200;
  }
}

// The only code in the Case subgraph that speaks HTTP to Salesforce: CRM REST with the
// integration client's token (re-authenticates once when the org answers 401).
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import { UpstreamError } from '../../lib/errors.js';
import type { CaseConfig } from './config.js';
import type { CoreTokenCache } from './token-cache.js';

/** Every record carries attributes {type, url} (reference §1.3). */
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

export class CrmClient {
  constructor(
    private readonly config: CaseConfig,
    private readonly tokens: CoreTokenCache,
    private readonly transport: UpstreamTransport,
  ) {}

  private get base() {
    return `/services/data/v${this.config.crmApiVersion}`;
  }

  /** One authenticated call to the instance; on 401 INVALID_SESSION_ID re-authenticates once. */
  private async call<T>(
    method: string,
    path: string,
    json?: unknown,
    accept?: number[],
    idempotent?: boolean,
  ): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      const session = await this.tokens.get(this.transport);
      try {
        const res = await callUpstream<T>(
          {
            family: 'crm',
            method,
            url: joinUrl(session.instanceUrl, path),
            headers: { authorization: `Bearer ${session.accessToken}` },
            json,
            timeoutMs: this.config.timeoutMs,
            accept,
            idempotent,
          },
          this.transport,
        );
        return { status: res.status, body: res.body };
      } catch (err) {
        if (attempt === 0 && err instanceof UpstreamError && err.status === 401) {
          this.tokens.invalidate(session.accessToken);
          continue;
        }
        throw err;
      }
    }
  }

  /** GET /services/data/vXX.X/query?q=… then GET {nextRecordsUrl} until done (queryMore). */
  async query<T extends SfRecord>(soql: string): Promise<{ totalSize: number; records: T[] }> {
    let page = (
      await this.call<QueryResult<T>>('GET', `${this.base}/query?q=${encodeURIComponent(soql)}`)
    ).body;
    const records = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = (await this.call<QueryResult<T>>('GET', page.nextRecordsUrl)).body;
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
    const res = await this.call<Array<T | null>>(
      'POST',
      `${this.base}/composite/sobjects/${type}`,
      { ids, fields },
      undefined,
      true,
    );
    return res.body;
  }

  /**
   * POST /services/data/vXX.X/composite: ≤ 25 subrequests run in order, with @{ref} references;
   * one transaction when allOrNone (the default). With allOrNone false, a failed subrequest does
   * not stop the independent ones after it; collateSubrequests false keeps them strictly
   * sequential (reference §1.7).
   */
  async composite(
    requests: readonly CompositeSubrequest[],
    options: { allOrNone?: boolean; collateSubrequests?: boolean } = {},
  ): Promise<CompositeSubresponse[]> {
    const { allOrNone = true, collateSubrequests } = options;
    const res = await this.call<{ compositeResponse: CompositeSubresponse[] }>(
      'POST',
      `${this.base}/composite`,
      {
        allOrNone,
        ...(collateSubrequests !== undefined ? { collateSubrequests } : {}),
        compositeRequest: requests.map((r) => ({
          method: r.method,
          url: `${this.base}${r.path}`,
          referenceId: r.referenceId,
          ...(r.body !== undefined ? { body: r.body } : {}),
        })),
      },
    );
    return res.body.compositeResponse;
  }
}

// The one connection to a core org, used by every subgraph: the integration client's token
// (re-authenticated once on 401), SOQL with queryMore paging, sObject Collections retrieve,
// Composite, Connect's Data Cloud reads (`/ssot`, the customer subgraph's segments) and the
// instance's revoke.
import type { UpstreamFamily } from '../errors.js';
import { crmTags, sfIdTags } from '../read-cache/read-cache.js';
import type { CacheHint } from '../read-cache/types.js';
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
  /** A call that only reads (a GET, a retrieve, a composite of GETs): cacheable. */
  read?: boolean;
  /**
   * Whose allowance the call spends (cost accounting, the log's upstreamCalls): `crm` by
   * default; Connect's `/ssot` resources are Data Cloud's (`datacloud`).
   */
  family?: Extract<UpstreamFamily, 'crm' | 'datacloud'>;
  /**
   * The read cache's hint when it is not CRM's (e.g. `{ read: 'segments' }` for Connect's
   * segment reads, kept whatever `cacheReads` says); default: CRM's, by record id.
   */
  cache?: CacheHint;
}

/**
 * The read cache's hint for one CRM call (lib/read-cache): with `cacheReads`, a read is kept,
 * tagged with every record id in its request (a SOQL filter's ContactId) and answer; a write
 * always names the records in its request and answer, invalidated before it returns.
 */
function crmHint(req: CrmRequest, cacheReads: boolean): CacheHint | undefined {
  const read = req.read ?? req.method.toUpperCase() === 'GET';
  const requestTags = () => sfIdTags(`${req.path} ${JSON.stringify(req.json ?? null)}`);
  if (!read) return { write: (body) => [...requestTags(), ...crmTags(body)] };
  if (!cacheReads) return undefined;
  return { read: 'crm', tags: requestTags(), tagsOf: crmTags };
}

export class CrmClient {
  constructor(
    private readonly config: CrmClientOptions,
    private readonly tokens: CoreTokenCache,
    private readonly transport: UpstreamTransport,
    /**
     * Reads may be answered by the transport's read cache (lib/read-cache). Off for reads that
     * must see Salesforce now (a write's idempotency check); writes invalidate either way.
     */
    private readonly cacheReads = false,
  ) {}

  /** The same client whose reads may come from the read cache (DataLoaders' reads). */
  cached(): CrmClient {
    return new CrmClient(this.config, this.tokens, this.transport, true);
  }

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
            family: req.family ?? 'crm',
            method: req.method,
            url: joinUrl(session.instanceUrl, req.path),
            headers: { authorization: `Bearer ${session.accessToken}` },
            json: req.json,
            timeoutMs: this.config.timeoutMs,
            accept: req.accept,
            idempotent: req.idempotent,
            cache: req.cache ?? crmHint(req, this.cacheReads),
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
      read: true,
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
      read: requests.every((r) => r.method === 'GET'),
    });
    return res.body.compositeResponse;
  }

  /**
   * Connect's Data Cloud resources on the core org: GET /services/data/vXX.X/ssot{path}, spent
   * from Data Cloud's allowance (`datacloud`), kept by the read cache as `cache` says. Null when
   * the answer's status is one of `accept` (e.g. 404: no such segment).
   * https://developer.salesforce.com/docs/atlas.en-us.246.0.chatterapi.meta/chatterapi/connect_resources_cdp_ssot_segments.htm (docs/salesforce/data-cloud.md)
   */
  async ssot<T>(
    path: string,
    options: { accept?: number[]; cache?: CacheHint } = {},
  ): Promise<T | null> {
    const accept = options.accept ?? [];
    const res = await this.call<T>({
      family: 'datacloud',
      method: 'GET',
      path: `${this.base}/ssot${path}`,
      accept,
      cache: options.cache,
      read: true,
    });
    return accept.includes(res.status) ? null : res.body;
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

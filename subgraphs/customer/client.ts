// The only code of this subgraph that speaks HTTP to Salesforce: the Data Cloud Query API v2 and
// Data Graph API on the tenant endpoint (Data Cloud token), within the process's DataCloudGate
// (bounded concurrency; an API that answered 429 is not called again until it may be), and the
// Connect segment endpoints on the core org through lib/salesforce's CrmClient (the org's one
// connection, on the core token). One instance per request; tokens come from the server's
// DataCloudAuth. A 401 drops the token and retries once with a fresh one (the request was
// refused, not performed).
import { CrmClient } from '../../lib/salesforce/crm-client.js';
import { withReauth } from '../../lib/salesforce/reauth.js';
import {
  callUpstream,
  joinUrl,
  type UpstreamRequest,
  type UpstreamTransport,
} from '../../lib/upstream-http.js';
import type { ReadHint, ReadKind } from '../../lib/read-cache/types.js';
import type { DataCloudAuth } from './auth.js';
import type { CustomerConfig } from './config.js';
import { DataCloudGate, type DataCloudApi } from './data-cloud-gate.js';

export type SqlRow = Record<string, string | number | boolean | null>;

interface QueryV2Response {
  data: Array<Array<string | number | boolean | null>>;
  metadata: Record<string, { type: string; placeInOrder: number; typeCode: number }>;
  done: boolean;
  nextBatchId?: string;
  rowCount: number;
}

/**
 * A Connect segment (ConnectApi.CdpSegmentOutput): it has no `id`; `marketSegmentId` (1sg…) is
 * the value of Segment_Id__c in its membership DMO, `segmentMembershipTable` that DMO's name.
 */
export interface SegmentInfo {
  apiName: string;
  displayName: string;
  description?: string | null;
  developerName?: string | null;
  marketSegmentId: string;
  segmentMembershipTable?: string | null;
  segmentOnApiName?: string | null;
  publishStatus?: string | null;
  segmentStatus?: string | null;
}

/** ConnectApi.CdpSegmentContainerOutput. */
interface SegmentContainer {
  batchSize?: number;
  offset?: number;
  orderByExpression?: string | null;
  segments?: SegmentInfo[];
}

/** ConnectApi.CdpSegmentMemberRowOutput. */
export interface SegmentMemberRow {
  id: string;
  deltaType?: string | null;
  kqId?: string | null;
  snapshotType?: string | null;
  timestamp?: string | null;
  versionStamp?: string | null;
}

/** ConnectApi.CdpSegmentMemberOutput: pages with nextPageUrl (null on the last page) and totalCount; no `done`. */
export interface SegmentMembersPage {
  data: SegmentMemberRow[];
  limit?: number;
  offSet?: number;
  orderBy?: string | null;
  rowCount?: number;
  totalCount: number;
  nextPageUrl?: string | null;
}

/** A string as a SQL literal: quotes doubled. Backslashes are refused (no id or login has one). */
export function sqlString(value: string): string {
  if (value.includes('\\') || value.includes('\u0000'))
    throw new RangeError('Value cannot be used in SQL.');
  return `'${value.replace(/'/g, "''")}'`;
}

/** True when a value can be sent as a SQL literal (see sqlString). */
export const isSqlSafe = (value: string) => !value.includes('\\') && !value.includes('\u0000');

/** An object of a data graph's metadata and the objects related to it. */
export interface DataGraphObject {
  developerName: string;
  type?: string;
  fields?: Array<{ name: string; type?: string }>;
  relatedObjects?: DataGraphObject[];
}

/** One data graph's metadata (GET /api/v1/dataGraph/metadata). */
export interface DataGraphMetadata {
  developerName: string;
  primaryObjectName?: string;
  status?: string;
  object?: DataGraphObject;
}

/** One data graph record: the graph as an object (the row's json_blob__c, parsed). */
export type DataGraphRecord = Record<string, unknown>;

interface DataGraphResponse {
  data?: Array<{ json_blob__c?: string }>;
  done?: boolean;
}

/** A value that can be sent inside `lookupKeys=[Dmo.Field=value]` unambiguously. */
export const isLookupSafe = (value: string) => /^[A-Za-z0-9_.@:-]{1,255}$/.test(value);

export class DataCloudClient {
  /** The core org's one connection (Connect `/ssot`), on DataCloudAuth's core token cache. */
  private readonly core: CrmClient;

  constructor(
    private readonly config: CustomerConfig,
    private readonly auth: DataCloudAuth,
    private readonly transport: UpstreamTransport,
    /** The process's bound on Data Cloud calls (server.ts); a client of its own by default. */
    private readonly gate = new DataCloudGate(config.maxConcurrency, config.throttleCooldownMs),
  ) {
    this.core = new CrmClient(
      { crmApiPath: config.apiVersion, timeoutMs: config.timeoutMs },
      auth.coreTokens,
      transport,
    );
  }

  /** The data graph single citizens are read from, or null (every read is a Query API call). */
  get dataGraph(): string | null {
    return this.config.dataGraph;
  }

  /**
   * Data Graph API by the primary key of the graph's primary DMO (the unified individual id):
   * GET {tenant}/api/v1/dataGraph/{dataGraphName}/{id} → {data: [{json_blob__c}], done}. No
   * `live=true`: the precalculated graph, which the Data Graph API answers "in near real time"
   * and at lower consumption than a live query.
   *   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_name_id.htm
   */
  async dataGraphById(id: string): Promise<DataGraphRecord[]> {
    const name = this.requireDataGraph();
    return graphRecords(
      await this.withDataCloud<DataGraphResponse>('dataGraph', (t) => ({
        method: 'GET',
        url: joinUrl(t, `/api/v1/dataGraph/${encodeURIComponent(name)}/${encodeURIComponent(id)}`),
        cache: { read: 'identity', tags: [`individual:${id}`], tagsOf: graphTags },
      })),
    );
  }

  /**
   * Data Graph API by a lookup key of a participating DMO:
   * GET {tenant}/api/v1/dataGraph/{dataGraphName}?lookupKeys=[Dmo__dlm.Field__c=value]; may
   * answer several records (one per unified individual matched).
   *   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_lookup.htm
   */
  async dataGraphByLookup(dmo: string, field: string, value: string): Promise<DataGraphRecord[]> {
    const name = this.requireDataGraph();
    if (!isLookupSafe(value)) throw new RangeError('Value cannot be used as a lookup key.');
    const key = encodeURIComponent(`[${dmo}.${field}=${value}]`);
    return graphRecords(
      await this.withDataCloud<DataGraphResponse>('dataGraph', (t) => ({
        method: 'GET',
        url: joinUrl(t, `/api/v1/dataGraph/${encodeURIComponent(name)}?lookupKeys=${key}`),
        cache: { read: 'identity', tags: [`individual:${value}`], tagsOf: graphTags },
      })),
    );
  }

  /**
   * Data Graph metadata of one graph: GET {tenant}/api/v1/dataGraph/metadata?entityName={name} →
   * {metadata: [{developerName, primaryObjectName, status, object: {developerName, fields,
   * relatedObjects: [...]}}]} (npm run org:check reads the graph's shape from it).
   *   https://developer.salesforce.com/docs/atlas.en-us.252.0.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_metadata_name.htm
   */
  async dataGraphMetadata(name: string): Promise<DataGraphMetadata[]> {
    const body = await this.withDataCloud<{ metadata?: DataGraphMetadata[] }>('dataGraph', (t) => ({
      method: 'GET',
      url: joinUrl(t, `/api/v1/dataGraph/metadata?entityName=${encodeURIComponent(name)}`),
    }));
    return body?.metadata ?? [];
  }

  private requireDataGraph(): string {
    if (!this.config.dataGraph) throw new Error('No data graph is configured.');
    return this.config.dataGraph;
  }

  /**
   * Query API v2: POST {tenant}/api/v2/query {sql}, then GET {tenant}/api/v2/query/{nextBatchId}
   * while done=false. Rows come back as objects keyed by column name.
   */
  async query(sql: string): Promise<SqlRow[]> {
    let page = await this.withDataCloud<QueryV2Response>('query', (t) => ({
      method: 'POST',
      url: joinUrl(t, '/api/v2/query'),
      json: { sql },
      // A SELECT changes nothing: safe to retry although it is a POST.
      idempotent: true,
      cache: this.queryHint(sql),
    }));
    const rows = toObjects(page);
    while (!page.done && page.nextBatchId) {
      const batch = page.nextBatchId;
      page = await this.withDataCloud<QueryV2Response>('query', (t) => ({
        method: 'GET',
        url: joinUrl(t, `/api/v2/query/${encodeURIComponent(batch)}`),
        // A nextBatchId is single use: a GET that got no answer may still have spent it, and a
        // repeat would fail or skip rows. Never retried on a transient failure (a 401 refused
        // before the batch was read is re-sent once with a fresh token, see withDataCloud).
        idempotent: false,
      }));
      rows.push(...toObjects(page));
    }
    return rows;
  }

  /**
   * Connect: GET /services/data/vXX.X/ssot/segments?batchSize=200&offset= (batchSize ≤ 200),
   * following offset until a batch comes back short. The container has no total.
   */
  async listSegments(batchSize = 200): Promise<SegmentInfo[]> {
    const all: SegmentInfo[] = [];
    for (let offset = 0; ;) {
      const body = await this.withCore<SegmentContainer>(
        `/segments?batchSize=${batchSize}&offset=${offset}`,
      );
      const page = body?.segments ?? [];
      all.push(...page);
      if (page.length < batchSize) return all;
      offset += page.length;
    }
  }

  /** Connect: GET /services/data/vXX.X/ssot/segments/{apiName}; null when there is none. */
  async getSegment(apiName: string): Promise<SegmentInfo | null> {
    const body = await this.withCore<SegmentContainer>(
      `/segments/${encodeURIComponent(apiName)}`,
      [404],
    );
    return body?.segments?.[0] ?? null;
  }

  /**
   * Connect: GET /services/data/vXX.X/ssot/segments/{apiName}/members?limit=&offset=&orderBy=
   * (limit ≤ 1000); null when the segment is unknown.
   */
  async segmentMembers(
    apiName: string,
    limit: number,
    offset: number,
  ): Promise<SegmentMembersPage | null> {
    return this.withCore<SegmentMembersPage>(
      `/segments/${encodeURIComponent(apiName)}/members?limit=${limit}&offset=${offset}&orderBy=Id__c%20ASC`,
      [404],
    );
  }

  /**
   * The read cache's hint for a Query API SELECT: its part by the DMO it reads (calculated
   * insights and segment memberships age faster than identity and contact points), tagged
   * `individual:<value>` for each literal it filters on (the unified id, a source record id).
   * Only one-page answers are kept: a nextBatchId is single use.
   */
  private queryHint(sql: string): ReadHint {
    const m = this.config.dataCloud;
    const read: ReadKind = sql.includes(m.calculatedInsight)
      ? 'insights'
      : /segment/i.test(sql)
        ? 'segments'
        : 'identity';
    const tags = [...sql.matchAll(/'((?:[^']|'')*)'/g)]
      .map((x) => x[1].replace(/''/g, "'"))
      .filter((v) => v.length > 0 && v.length <= 255)
      .map((v) => `individual:${v}`);
    return { read, tags, keep: (body) => (body as QueryV2Response)?.done !== false };
  }

  private async withDataCloud<T>(
    api: DataCloudApi,
    build: (
      tenantUrl: string,
    ) => Pick<UpstreamRequest, 'method' | 'url' | 'json' | 'idempotent' | 'cache'>,
  ): Promise<T> {
    return withReauth(
      {
        token: () => this.auth.dataCloudToken(this.transport),
        invalidate: (t) => this.auth.invalidateDataCloud(t.accessToken),
      },
      (token) =>
        this.gate.run(
          api,
          async () =>
            (
              await callUpstream<T>(
                {
                  family: 'datacloud',
                  ...build(token.tenantUrl),
                  headers: { authorization: `Bearer ${token.accessToken}` },
                  timeoutMs: this.config.timeoutMs,
                },
                this.transport,
              )
            ).body,
        ),
    );
  }

  /**
   * Connect's segment reads, kept as segment data (the catalogue, its members): on the org's
   * one connection (lib/salesforce's CrmClient, the core token re-authenticated once on 401),
   * spent from Data Cloud's allowance.
   */
  private withCore<T>(ssotPath: string, accept: number[] = []): Promise<T | null> {
    return this.core.ssot<T>(ssotPath, { accept, cache: { read: 'segments' } });
  }
}

/** `individual:<id>` of each data graph record in an answer (its primary key, ssot__Id__c). */
function graphTags(body: unknown): string[] {
  try {
    return graphRecords(body as DataGraphResponse).flatMap((r) =>
      typeof r.ssot__Id__c === 'string' ? [`individual:${r.ssot__Id__c}`] : [],
    );
  } catch {
    return [];
  }
}

function graphRecords(res: DataGraphResponse): DataGraphRecord[] {
  return (res?.data ?? []).flatMap((row) =>
    typeof row.json_blob__c === 'string' ? [JSON.parse(row.json_blob__c) as DataGraphRecord] : [],
  );
}

function toObjects(page: QueryV2Response): SqlRow[] {
  const cols = Object.entries(page.metadata ?? {}).sort(
    (a, b) => a[1].placeInOrder - b[1].placeInOrder,
  );
  return (page.data ?? []).map((row) => {
    const o: SqlRow = {};
    for (const [name, m] of cols) o[name] = row[m.placeInOrder] ?? null;
    return o;
  });
}

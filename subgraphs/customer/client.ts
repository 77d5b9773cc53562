// The only code of this subgraph that speaks HTTP to Salesforce: the Data Cloud Query API v2 on
// the tenant endpoint (Data Cloud token) and the Connect segment endpoints on the core org (core
// token). One instance per request; tokens come from the server's DataCloudAuth. A 401 drops the
// token and retries once with a fresh one.
import { UpstreamError } from '../../lib/errors.js';
import {
  callUpstream,
  joinUrl,
  type UpstreamRequest,
  type UpstreamTransport,
} from '../../lib/upstream-http.js';
import type { DataCloudAuth } from './auth.js';
import type { CustomerConfig } from './config.js';

export type SqlRow = Record<string, string | number | boolean | null>;

interface QueryV2Response {
  data: Array<Array<string | number | boolean | null>>;
  metadata: Record<string, { type: string; placeInOrder: number; typeCode: number }>;
  done: boolean;
  nextBatchId?: string;
  rowCount: number;
}

export interface SegmentInfo {
  id: string;
  apiName: string;
  displayName: string;
  description?: string | null;
}

export interface SegmentMembersPage {
  data: Array<{ Id__c: string }>;
  done: boolean;
}

/** A string as a SQL literal: quotes doubled. Backslashes are refused (no id or login has one). */
export function sqlString(value: string): string {
  if (value.includes('\\') || value.includes('\u0000'))
    throw new RangeError('Value cannot be used in SQL.');
  return `'${value.replace(/'/g, "''")}'`;
}

/** True when a value can be sent as a SQL literal (see sqlString). */
export const isSqlSafe = (value: string) => !value.includes('\\') && !value.includes('\u0000');

export class DataCloudClient {
  constructor(
    private readonly config: CustomerConfig,
    private readonly auth: DataCloudAuth,
    private readonly transport: UpstreamTransport,
  ) {}

  /**
   * Query API v2: POST {tenant}/api/v2/query {sql}, then GET {tenant}/api/v2/query/{nextBatchId}
   * while done=false. Rows come back as objects keyed by column name.
   */
  async query(sql: string): Promise<SqlRow[]> {
    let page = await this.withDataCloud((t) => ({
      method: 'POST',
      url: joinUrl(t, '/api/v2/query'),
      json: { sql },
      // A SELECT changes nothing: safe to retry although it is a POST.
      idempotent: true,
    }));
    const rows = toObjects(page);
    while (!page.done && page.nextBatchId) {
      const batch = page.nextBatchId;
      page = await this.withDataCloud((t) => ({
        method: 'GET',
        url: joinUrl(t, `/api/v2/query/${encodeURIComponent(batch)}`),
      }));
      rows.push(...toObjects(page));
    }
    return rows;
  }

  /** Connect: GET /services/data/vXX.X/ssot/segments?batchSize=&offset= (batchSize ≤ 200). */
  async listSegments(batchSize = 200, offset = 0): Promise<SegmentInfo[]> {
    const body = await this.withCore<{ segments: SegmentInfo[] }>(
      `/segments?batchSize=${batchSize}&offset=${offset}`,
    );
    return body?.segments ?? [];
  }

  /** Connect: GET /services/data/vXX.X/ssot/segments/{apiName}; null when there is none. */
  async getSegment(apiName: string): Promise<SegmentInfo | null> {
    const body = await this.withCore<{ segments: SegmentInfo[] }>(
      `/segments/${encodeURIComponent(apiName)}`,
      [404],
    );
    return body?.segments?.[0] ?? null;
  }

  /** Connect: GET /services/data/vXX.X/ssot/segments/{apiName}/members?limit=&offset=; null when the segment is unknown. */
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

  private async withDataCloud(
    build: (tenantUrl: string) => Pick<UpstreamRequest, 'method' | 'url' | 'json'>,
  ): Promise<QueryV2Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.auth.dataCloudToken(this.transport);
      try {
        const res = await callUpstream<QueryV2Response>(
          {
            family: 'datacloud',
            ...build(token.tenantUrl),
            headers: { authorization: `Bearer ${token.accessToken}` },
            timeoutMs: this.config.timeoutMs,
          },
          this.transport,
        );
        return res.body;
      } catch (err) {
        if (attempt === 0 && err instanceof UpstreamError && err.status === 401) {
          this.auth.invalidateDataCloud(token.accessToken);
          continue;
        }
        throw err;
      }
    }
  }

  private async withCore<T>(ssotPath: string, accept: number[] = []): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.auth.coreToken(this.transport);
      try {
        const res = await callUpstream<T>(
          {
            family: 'datacloud',
            method: 'GET',
            url: joinUrl(
              token.instanceUrl,
              `/services/data/${this.config.apiVersion}/ssot${ssotPath}`,
            ),
            headers: { authorization: `Bearer ${token.accessToken}` },
            timeoutMs: this.config.timeoutMs,
            accept,
          },
          this.transport,
        );
        return accept.includes(res.status) ? null : res.body;
      } catch (err) {
        if (attempt === 0 && err instanceof UpstreamError && err.status === 401) {
          this.auth.invalidateCore(token.accessToken);
          continue;
        }
        throw err;
      }
    }
  }
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

// Per-request DataLoaders over Data Cloud. Each batch is ONE Query API call with an `IN (...)`
// list: the parts of citizens known by unified id (profile, links, memberships) share one loader
// and one statement (citizen-parts.ts); citizens known by a source record id are found with one
// link query. maxBatchSize 500: the Query API has no documented IN-list cap, but its SQL text is
// bounded, and 500 ids (~20 KB of SQL) stays far below any limit while a GraphQL page (≤100
// citizens) always fits in one batch.
// DMO names and source ids come from the org's Data Cloud model in config.ts.
import DataLoader from 'dataloader';
import {
  isSqlSafe,
  sqlString,
  type DataCloudClient,
  type SegmentInfo,
  type SqlRow,
} from './client.js';
import type { DataCloudModel } from './config.js';
import type { SegmentCatalogue } from './segment-catalogue.js';
import {
  citizenPartsLoader,
  MAX_IN_LIST,
  type CitizenPart,
  type PartKey,
} from './citizen-parts.js';

export { MAX_IN_LIST };

/**
 * A loader over `SELECT cols FROM table WHERE keyCol IN (...)`, grouping rows by the
 * key column. Keys that cannot be SQL literals resolve to [] without reaching Data Cloud.
 */
function tableLoader(client: DataCloudClient, table: string, keyCol: string, cols: string[]) {
  const keyName = keyCol.slice(keyCol.indexOf('.') + 1);
  return new DataLoader<string, SqlRow[]>(
    async (keys) => {
      const safe = [...new Set(keys.filter(isSqlSafe))];
      const byKey = new Map<string, SqlRow[]>();
      if (safe.length) {
        const sql = `SELECT ${[keyCol, ...cols.filter((c) => c !== keyCol)].join(', ')} FROM ${table} WHERE ${keyCol} IN (${safe.map(sqlString).join(', ')})`;
        for (const row of await client.query(sql)) {
          const k = String(row[keyName]);
          const list = byKey.get(k);
          if (list) list.push(row);
          else byKey.set(k, [row]);
        }
      }
      return keys.map((k) => byKey.get(k) ?? []);
    },
    { maxBatchSize: MAX_IN_LIST },
  );
}

/** A view of a row loader that yields the first row per key (or null); batching and caching stay in `loader`. */
const first = (loader: DataLoader<string, SqlRow[]>) => ({
  load: async (key: string): Promise<SqlRow | null> => (await loader.load(key))[0] ?? null,
});

/** A view of one part's rows per citizen: the first row whose `keyAlias` is set (that table had a row), or null. */
const part = (
  loader: DataLoader<PartKey, SqlRow[], string>,
  which: CitizenPart,
  keyAlias?: string,
) => ({
  load: async (unifiedId: string): Promise<SqlRow | null> => {
    const rows = await loader.load({ part: which, unifiedId });
    return (keyAlias ? rows.find((r) => r[keyAlias] != null) : rows[0]) ?? null;
  },
});

/** A view of one part's rows per citizen. */
const rowsOf = (loader: DataLoader<PartKey, SqlRow[], string>, which: CitizenPart) => ({
  load: (unifiedId: string): Promise<SqlRow[]> => loader.load({ part: which, unifiedId }),
});

function createTableLoaders(
  client: DataCloudClient,
  m: DataCloudModel,
  catalogue: SegmentCatalogue,
) {
  const parts = citizenPartsLoader(client, m);
  const linkCols = [
    'SourceRecordId__c',
    'UnifiedRecordId__c',
    'ssot__DataSourceId__c',
    'ssot__DataSourceObjectId__c',
  ];
  let segmentList: Promise<SegmentInfo[]> | undefined;
  const loaders = {
    /** Unified individual (names) by unified id: its profile part (citizen-parts.ts). */
    unifiedById: part(parts, 'profile'),
    /**
     * Link rows (every source record) by unified id, each with its Commerce login when it has
     * one: link ⟕ party identification ON the source record AND the login's type.
     */
    linksByUnifiedId: rowsOf(parts, 'links'),
    /** The link row of a source record (CRM Contact id or Commerce customer id): ONE query for both kinds. */
    linkBySourceId: first(tableLoader(client, m.individualLink, 'SourceRecordId__c', linkCols)),
    emailByUnifiedId: part(parts, 'profile', 'email_party'),
    phoneByUnifiedId: part(parts, 'profile', 'phone_party'),
    addressByUnifiedId: part(parts, 'profile', 'address_party'),
    insightsByUnifiedId: part(parts, 'profile', 'insights_party'),
    /**
     * Segment membership rows (Segment_Id__c) by unified id, from the configured membership DMO:
     * all memberships of a citizen, read in parallel with the segment list.
     */
    segmentIdsByUnifiedId: rowsOf(parts, 'memberships'),
    /** The Commerce login (party identification of the Commerce source record) by unified id. */
    commerceLoginByUnifiedId: part(parts, 'links', 'ssot__Identificationnumber__c'),
    /** Every segment definition (segment-catalogue.ts: one Connect read per TTL per process). */
    segments: () => (segmentList ??= catalogue.list(client)),
    /**
     * One definition: from the same list, or — when the list does not have it (a segment
     * published since it was read) — from Connect by name.
     */
    segmentByApiName: async (apiName: string): Promise<SegmentInfo | null> =>
      (await loaders.segments()).find((s) => s.apiName === apiName) ?? client.getSegment(apiName),
  };
  return loaders;
}

type TableLoaders = ReturnType<typeof createTableLoaders>;

export function createLoaders(
  client: DataCloudClient,
  model: DataCloudModel,
  catalogue: SegmentCatalogue,
) {
  const loaders = createTableLoaders(client, model, catalogue);
  return { ...loaders, citizenByKey: citizenByKeyLoader(loaders, model) };
}

export type CitizenKey = { kind: 'id' | 'contactId' | 'commerceCustomerId'; value: string };
export interface ResolvedCitizen {
  id: string;
  contactId?: string;
  commerceCustomerId?: string;
}

/**
 * Resolves citizens by any of their keys. The batch awaits the unified lookups and the link
 * lookups TOGETHER, so every citizen of one `_entities` call resolves in the same tick and their
 * field loads share one batch per table (no waterfall per key kind).
 */
function citizenByKeyLoader(l: TableLoaders, m: DataCloudModel) {
  return new DataLoader<CitizenKey, ResolvedCitizen | null, string>(
    (keys) =>
      Promise.all(
        keys.map(async ({ kind, value }): Promise<ResolvedCitizen | null> => {
          if (kind === 'id') return (await l.unifiedById.load(value)) ? { id: value } : null;
          const source = kind === 'contactId' ? m.crmContactSource : m.commerceCustomerSource;
          const link = await l.linkBySourceId.load(value);
          if (
            !link ||
            link.ssot__DataSourceObjectId__c !== source.objectId ||
            link.ssot__DataSourceId__c !== source.dataSourceId
          )
            return null;
          return { id: String(link.UnifiedRecordId__c), [kind]: value };
        }),
      ),
    { cacheKeyFn: (k) => `${k.kind}:${k.value}`, maxBatchSize: MAX_IN_LIST },
  );
}

export type Loaders = ReturnType<typeof createLoaders>;

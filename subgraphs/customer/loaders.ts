// Per-request DataLoaders over Data Cloud. A batch of ONE citizen is one Data Graph API call
// when a data graph is configured (DATA_CLOUD_DATA_GRAPH: the pre-joined record answers every
// part); any other batch is ONE Query API call with an `IN (...)` list: the parts of citizens known by unified id (profile, links, memberships) share one loader
// and one statement (citizen-parts.ts); citizens known by a source record id are found with one
// link query that carries the parts their selection needs. maxBatchSize 500: the Query API has no documented IN-list cap, but its SQL text is
// bounded, and 500 ids (~20 KB of SQL) stays far below any limit while a GraphQL page (≤100
// citizens) always fits in one batch.
// DMO names and source ids come from the org's Data Cloud model in config.ts.
import DataLoader from 'dataloader';
import {
  isLookupSafe,
  isSqlSafe,
  type DataCloudClient,
  type SegmentInfo,
  type SqlRow,
} from './client.js';
import type { DataCloudModel } from './config.js';
import type { SegmentCatalogue } from './segment-catalogue.js';
import {
  ALL_PARTS,
  bySourceSql,
  graphRows,
  citizenPartsLoader,
  CITIZEN_ID,
  MAX_IN_LIST,
  SOURCE_LINK_COLS,
  splitRows,
  type CitizenPart,
  type PartKey,
} from './citizen-parts.js';

export { MAX_IN_LIST };

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
  const bySource = linkBySourceLoader(client, m, parts);
  let segmentList: Promise<SegmentInfo[]> | undefined;
  const loaders = {
    /** Unified individual (names) by unified id: its profile part (citizen-parts.ts). */
    unifiedById: part(parts, 'profile'),
    /**
     * Link rows (every source record) by unified id, each with its Commerce login when it has
     * one: link ⟕ party identification ON the source record AND the login's type.
     */
    linksByUnifiedId: rowsOf(parts, 'links'),
    /**
     * The link row of a source record (CRM Contact id or Commerce customer id): ONE query for
     * both kinds, with the parts registered for them by `wantParts` joined on.
     */
    linkBySourceId: bySource.loader,
    /** Registers the parts a citizen looked up by this source record id will need. */
    wantParts: bySource.want,
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

/**
 * Citizens by source record id, in ONE Query API call per batch: their link rows, and — joined
 * through the unified individual each links to — the parts the selection will need (registered
 * by `want` before the lookup, resolvers.ts), which prime the parts loader. So a citizen reached
 * by contactId (a case's, the viewer's) costs one call, not a link lookup and then its parts.
 */
function linkBySourceLoader(
  client: DataCloudClient,
  m: DataCloudModel,
  parts: DataLoader<PartKey, SqlRow[], string>,
) {
  const wanted = new Map<string, Set<CitizenPart>>();
  const loader = new DataLoader<string, SqlRow | null>(
    async (keys) => {
      const safe = [...new Set(keys.filter(isSqlSafe))];
      if (!safe.length) return keys.map(() => null);
      let asked = [...new Set(safe.flatMap((k) => [...(wanted.get(k) ?? [])]))];
      let rows: SqlRow[];
      if (safe.length === 1 && client.dataGraph && isLookupSafe(safe[0])) {
        // One source record: the data graph record(s) of the unified individual it links to,
        // by lookupKeys on the link DMO — its link row and every part in one call.
        asked = ALL_PARTS;
        rows = (
          await client.dataGraphByLookup(m.individualLink, 'SourceRecordId__c', safe[0])
        ).flatMap((g) => sourceRows(graphRows(m, g), safe[0]));
      } else rows = await client.query(bySourceSql(m, asked, safe));
      const links = new Map<string, SqlRow>();
      for (const r of rows) {
        const id = String(r[SOURCE_LINK_COLS.SourceRecordId__c]);
        if (links.has(id)) continue;
        const link: SqlRow = {};
        for (const [col, as] of Object.entries(SOURCE_LINK_COLS)) link[col] = r[as] ?? null;
        links.set(id, link);
      }
      if (asked.length) {
        const split = splitRows(m, asked, rows);
        const unifiedIds = new Set(
          rows.flatMap((r) => (r[CITIZEN_ID] == null ? [] : [String(r[CITIZEN_ID])])),
        );
        for (const part of asked)
          for (const unifiedId of unifiedIds)
            parts.prime({ part, unifiedId }, split.get(part)!.get(unifiedId) ?? []);
      }
      return keys.map((k) => links.get(k) ?? null);
    },
    { maxBatchSize: MAX_IN_LIST },
  );
  return {
    loader,
    want: (sourceId: string, needed: Iterable<CitizenPart>) => {
      const set = wanted.get(sourceId) ?? new Set<CitizenPart>();
      for (const p of needed) set.add(p);
      wanted.set(sourceId, set);
    },
  };
}

/**
 * A data graph record's rows (graphRows) as the by-source statement answers them: each row
 * carries the source record's own link row under SOURCE_LINK_COLS' names.
 */
function sourceRows(rows: SqlRow[], sourceId: string): SqlRow[] {
  const own = rows.find((r) => String(r.SourceRecordId__c) === sourceId);
  if (!own) return [];
  const link: SqlRow = {};
  for (const [col, as] of Object.entries(SOURCE_LINK_COLS)) link[as] = own[col] ?? null;
  return rows.map((r) => ({ ...r, ...link }));
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

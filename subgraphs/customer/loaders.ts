// Per-request DataLoaders, one per Data Cloud table the subgraph reads. Each batch is ONE Query
// API call with an `IN (...)` list. maxBatchSize 500: the Query API has no documented IN-list
// cap, but its SQL text is bounded, and 500 ids (~20 KB of SQL) stays far below any limit while
// a GraphQL page (≤100 citizens) always fits in one batch.
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

export const MAX_IN_LIST = 500;

/**
 * A loader over `SELECT cols FROM table WHERE keyCol IN (...) [AND extra]`, grouping rows by the
 * key column. Keys that cannot be SQL literals resolve to [] without reaching Data Cloud.
 * `table` may be a join and the columns alias-qualified (`l.UnifiedRecordId__c`).
 */
function tableLoader(
  client: DataCloudClient,
  table: string,
  keyCol: string,
  cols: string[],
  extra = '',
) {
  const keyName = keyCol.slice(keyCol.indexOf('.') + 1);
  return new DataLoader<string, SqlRow[]>(
    async (keys) => {
      const safe = [...new Set(keys.filter(isSqlSafe))];
      const byKey = new Map<string, SqlRow[]>();
      if (safe.length) {
        const sql = `SELECT ${[keyCol, ...cols.filter((c) => c !== keyCol)].join(', ')} FROM ${table} WHERE ${keyCol} IN (${safe.map(sqlString).join(', ')})${extra}`;
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

/**
 * The one-to-one tables of a citizen — unified individual (names), email, phone, address and
 * calculated insights — in ONE Query API call per batch: the unified individual LEFT JOINed to
 * each of the others on the party id. Each table's own key is selected under an alias
 * (`email_party` …) so a view can tell "no such row" from a row of nulls. (Data Cloud's Query API
 * is ANSI SQL over DMOs and calculated-insight objects, joins included.)
 */
function profileLoader(client: DataCloudClient, m: DataCloudModel) {
  return tableLoader(
    client,
    [
      `${m.unifiedIndividual} u`,
      `LEFT JOIN ${m.contactPointEmail} e ON e.ssot__PartyId__c = u.ssot__Id__c`,
      `LEFT JOIN ${m.contactPointPhone} ph ON ph.ssot__PartyId__c = u.ssot__Id__c`,
      `LEFT JOIN ${m.contactPointAddress} a ON a.ssot__PartyId__c = u.ssot__Id__c`,
      `LEFT JOIN ${m.calculatedInsight} i ON i.UnifiedIndividualId__c = u.ssot__Id__c`,
    ].join(' '),
    'u.ssot__Id__c',
    [
      'u.ssot__FirstName__c',
      'u.ssot__LastName__c',
      'e.ssot__PartyId__c AS email_party',
      'e.ssot__EmailAddress__c',
      'ph.ssot__PartyId__c AS phone_party',
      'ph.ssot__FormattedE164PhoneNumber__c',
      'a.ssot__PartyId__c AS address_party',
      'a.ssot__AddressLine1__c',
      'a.ssot__CityId__c',
      'a.ssot__StateProvinceId__c',
      'a.ssot__PostalCodeId__c',
      'a.ssot__CountryId__c',
      'i.UnifiedIndividualId__c AS insights_party',
      'i.LifetimeValue__c',
      'i.EngagementScore__c',
      'i.BenefitEligibility__c',
    ],
  );
}

/** A view of the profile rows: the first row whose `keyAlias` is set (that table had a row), or null. */
const part = (loader: DataLoader<string, SqlRow[]>, keyAlias?: string) => ({
  load: async (key: string): Promise<SqlRow | null> => {
    const rows = await loader.load(key);
    return (keyAlias ? rows.find((r) => r[keyAlias] != null) : rows[0]) ?? null;
  },
});

function createTableLoaders(
  client: DataCloudClient,
  m: DataCloudModel,
  catalogue: SegmentCatalogue,
) {
  const profile = profileLoader(client, m);
  const linkCols = [
    'SourceRecordId__c',
    'UnifiedRecordId__c',
    'ssot__DataSourceId__c',
    'ssot__DataSourceObjectId__c',
  ];
  let segmentList: Promise<SegmentInfo[]> | undefined;
  const loginType = isSqlSafe(m.commerceLoginIdentificationType)
    ? ` AND p.ssot__PartyIdentificationTypeId__c = ${sqlString(m.commerceLoginIdentificationType)}`
    : ' AND 1 = 0';
  const links = tableLoader(
    client,
    `${m.individualLink} l LEFT JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = l.SourceRecordId__c${loginType}`,
    'l.UnifiedRecordId__c',
    [...linkCols.map((c) => `l.${c}`), 'p.ssot__Identificationnumber__c'],
  );
  const loaders = {
    /** Unified individual (names) by unified id. */
    unifiedById: part(profile),
    /**
     * Link rows (every source record) by unified id, each with its Commerce login when it has
     * one: link ⟕ party identification ON the source record AND the login's type, ONE query.
     */
    linksByUnifiedId: links,
    /** The link row of a source record (CRM Contact id or Commerce customer id): ONE query for both kinds. */
    linkBySourceId: first(tableLoader(client, m.individualLink, 'SourceRecordId__c', linkCols)),
    emailByUnifiedId: part(profile, 'email_party'),
    phoneByUnifiedId: part(profile, 'phone_party'),
    addressByUnifiedId: part(profile, 'address_party'),
    insightsByUnifiedId: part(profile, 'insights_party'),
    /**
     * Segment membership rows (Segment_Id__c) by unified id, from the configured membership DMO:
     * all memberships of a citizen, read in parallel with the segment list.
     */
    segmentIdsByUnifiedId: tableLoader(client, m.segmentMembershipTable, 'Id__c', [
      'Segment_Id__c',
    ]),
    /** The Commerce login (party identification of the Commerce source record) by unified id. */
    commerceLoginByUnifiedId: part(links, 'ssot__Identificationnumber__c'),
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

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

function createTableLoaders(client: DataCloudClient, m: DataCloudModel) {
  const unified = tableLoader(client, m.unifiedIndividual, 'ssot__Id__c', [
    'ssot__FirstName__c',
    'ssot__LastName__c',
  ]);
  const linkCols = [
    'SourceRecordId__c',
    'UnifiedRecordId__c',
    'ssot__DataSourceId__c',
    'ssot__DataSourceObjectId__c',
  ];
  let segmentList: Promise<SegmentInfo[]> | undefined;
  const loaders = {
    /** Unified individual (names) by unified id. */
    unifiedById: first(unified),
    /** Link rows (every source record) by unified id. */
    linksByUnifiedId: tableLoader(client, m.individualLink, 'UnifiedRecordId__c', linkCols),
    /** The link row of a source record (CRM Contact id or Commerce customer id): ONE query for both kinds. */
    linkBySourceId: first(tableLoader(client, m.individualLink, 'SourceRecordId__c', linkCols)),
    emailByUnifiedId: first(
      tableLoader(client, m.contactPointEmail, 'ssot__PartyId__c', ['ssot__EmailAddress__c']),
    ),
    phoneByUnifiedId: first(
      tableLoader(client, m.contactPointPhone, 'ssot__PartyId__c', [
        'ssot__FormattedE164PhoneNumber__c',
      ]),
    ),
    addressByUnifiedId: first(
      tableLoader(client, m.contactPointAddress, 'ssot__PartyId__c', [
        'ssot__AddressLine1__c',
        'ssot__CityId__c',
        'ssot__StateProvinceId__c',
        'ssot__PostalCodeId__c',
        'ssot__CountryId__c',
      ]),
    ),
    insightsByUnifiedId: first(
      tableLoader(client, m.calculatedInsight, 'UnifiedIndividualId__c', [
        'LifetimeValue__c',
        'EngagementScore__c',
        'BenefitEligibility__c',
      ]),
    ),
    /**
     * Segment membership rows (Segment_Id__c) by unified id, from the configured membership DMO:
     * all memberships of a citizen, read in parallel with the segment list.
     */
    segmentIdsByUnifiedId: tableLoader(client, m.segmentMembershipTable, 'Id__c', [
      'Segment_Id__c',
    ]),
    /**
     * The Commerce login (party identification of the Commerce source individual) by unified id:
     * link → party identification in ONE joined query, so it never waits for the links.
     */
    commerceLoginByUnifiedId: first(
      tableLoader(
        client,
        `${m.individualLink} l JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = l.SourceRecordId__c`,
        'l.UnifiedRecordId__c',
        ['p.ssot__Identificationnumber__c'],
        isSqlSafe(m.commerceLoginIdentificationType)
          ? ` AND p.ssot__PartyIdentificationTypeId__c = ${sqlString(m.commerceLoginIdentificationType)}`
          : ' AND 1 = 0',
      ),
    ),
    /** Every segment definition (one Connect call per request for up to 200 segments). */
    segments: () => (segmentList ??= client.listSegments(200)),
  };
  return loaders;
}

type TableLoaders = ReturnType<typeof createTableLoaders>;

export function createLoaders(client: DataCloudClient, model: DataCloudModel) {
  const loaders = createTableLoaders(client, model);
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

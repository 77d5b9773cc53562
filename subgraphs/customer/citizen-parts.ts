// The parts of a citizen this subgraph reads from Data Cloud by unified id — the one-to-one
// tables (profile), the link rows with the Commerce login (links) and the segment memberships —
// read for a whole batch of citizens in ONE Query API call, whichever parts the batch asks for.
//
// One part alone is that part's own query (`FROM link ⟕ party identification`, `FROM membership`,
// `FROM unified ⟕ contact points ⟕ insights`). Several parts are one statement: the unified
// individual LEFT JOINed to every table of every part asked, so a row is one combination of a
// citizen's profile row, link row and membership row (links × memberships rows per citizen). The
// rows are split back here: each part's columns, de-duplicated, grouped by the citizen's id.
// Data Cloud's Query API V2 is ANSI SQL over DMOs with "no explicit limit on the number of joins"
// and cursor pagination (nextBatchId), which DataCloudClient.query follows when the multiplied
// rows exceed one batch:
//   https://developer.salesforce.com/docs/atlas.en-us.244.0.c360a_api.meta/c360a_api/c360a_api_query_v2_call_overview.htm
// Joins (rather than UNION ALL of padded row kinds) keep every column's type its own table's and
// need nothing the emulator's engine lacks; the multiplication is small (a citizen has a few
// links and a few memberships).
import DataLoader from 'dataloader';
import { isSqlSafe, sqlString, type DataCloudClient, type SqlRow } from './client.js';
import type { DataCloudModel } from './config.js';

export type CitizenPart = 'profile' | 'links' | 'memberships';

export interface PartKey {
  part: CitizenPart;
  unifiedId: string;
}

/** The result column that names the citizen a row belongs to, in every statement. */
export const CITIZEN_ID = 'citizen_id';

interface PartShape {
  /** FROM (with its joins) and the key column when the part is read alone. */
  alone: { from: string; key: string };
  /** LEFT JOINs onto the unified individual `u` when it is read with other parts. */
  joins: string[];
  /** Alias-qualified columns, optionally `AS` a result name. */
  cols: string[];
  /** A result column set on every row of this part: null means "no row of this part" (LEFT JOIN). */
  presence: string;
}

/** The result name of a selected column: its alias, else its name without the table alias. */
const resultName = (col: string) => {
  const as = / AS /i.exec(col);
  return as ? col.slice(as.index + 4).trim() : col.slice(col.indexOf('.') + 1);
};

function partShapes(m: DataCloudModel): Record<CitizenPart, PartShape> {
  const profileJoins = [
    `LEFT JOIN ${m.contactPointEmail} e ON e.ssot__PartyId__c = u.ssot__Id__c`,
    `LEFT JOIN ${m.contactPointPhone} ph ON ph.ssot__PartyId__c = u.ssot__Id__c`,
    `LEFT JOIN ${m.contactPointAddress} a ON a.ssot__PartyId__c = u.ssot__Id__c`,
    `LEFT JOIN ${m.calculatedInsight} i ON i.UnifiedIndividualId__c = u.ssot__Id__c`,
  ];
  // A link's Commerce login: the party identification of its source record, of the login's type
  // (an unusable configured type matches nothing).
  const loginType = isSqlSafe(m.commerceLoginIdentificationType)
    ? ` AND p.ssot__PartyIdentificationTypeId__c = ${sqlString(m.commerceLoginIdentificationType)}`
    : ' AND 1 = 0';
  const login = `LEFT JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = l.SourceRecordId__c${loginType}`;
  return {
    // Each contact point's and the insight's own key is selected under an alias (`email_party`
    // …) so a view can tell "no such row" from a row of nulls.
    profile: {
      alone: {
        from: [`${m.unifiedIndividual} u`, ...profileJoins].join(' '),
        key: 'u.ssot__Id__c',
      },
      joins: profileJoins,
      cols: [
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
      presence: CITIZEN_ID,
    },
    links: {
      alone: { from: `${m.individualLink} l ${login}`, key: 'l.UnifiedRecordId__c' },
      joins: [`LEFT JOIN ${m.individualLink} l ON l.UnifiedRecordId__c = u.ssot__Id__c`, login],
      cols: [
        'l.SourceRecordId__c',
        'l.UnifiedRecordId__c',
        'l.ssot__DataSourceId__c',
        'l.ssot__DataSourceObjectId__c',
        'p.ssot__Identificationnumber__c',
      ],
      presence: 'SourceRecordId__c',
    },
    memberships: {
      alone: { from: `${m.segmentMembershipTable} sm`, key: 'sm.Id__c' },
      joins: [`LEFT JOIN ${m.segmentMembershipTable} sm ON sm.Id__c = u.ssot__Id__c`],
      cols: ['sm.Segment_Id__c'],
      presence: 'Segment_Id__c',
    },
  };
}

const PART_ORDER: CitizenPart[] = ['profile', 'links', 'memberships'];

/** The one statement answering `parts` for `ids` (all SQL-safe, at least one). */
export function citizenPartsSql(m: DataCloudModel, parts: CitizenPart[], ids: string[]): string {
  const shapes = partShapes(m);
  const asked = PART_ORDER.filter((p) => parts.includes(p));
  const inList = ids.map(sqlString).join(', ');
  if (asked.length === 1) {
    const s = shapes[asked[0]];
    return `SELECT ${[`${s.alone.key} AS ${CITIZEN_ID}`, ...s.cols].join(', ')} FROM ${s.alone.from} WHERE ${s.alone.key} IN (${inList})`;
  }
  const cols = [`u.ssot__Id__c AS ${CITIZEN_ID}`, ...asked.flatMap((p) => shapes[p].cols)];
  const from = [`${m.unifiedIndividual} u`, ...asked.flatMap((p) => shapes[p].joins)].join(' ');
  return `SELECT ${cols.join(', ')} FROM ${from} WHERE u.ssot__Id__c IN (${inList})`;
}

/** The link columns of a source record's own link row, under names no part's column has. */
export const SOURCE_LINK_COLS = {
  SourceRecordId__c: 'source_record',
  UnifiedRecordId__c: 'source_unified',
  ssot__DataSourceId__c: 'source_data_source',
  ssot__DataSourceObjectId__c: 'source_object',
} as const;

/**
 * The one statement finding citizens by source record id (a CRM Contact or Commerce customer
 * id) — their link rows — with `parts` of the unified individual each links to joined on:
 * link ⟕ unified individual ⟕ (the parts' tables). With no parts, the link rows alone.
 */
export function bySourceSql(m: DataCloudModel, parts: CitizenPart[], sourceIds: string[]): string {
  const shapes = partShapes(m);
  const asked = PART_ORDER.filter((p) => parts.includes(p));
  const cols = [
    ...Object.entries(SOURCE_LINK_COLS).map(([c, as]) => `l0.${c} AS ${as}`),
    ...(asked.length ? [`u.ssot__Id__c AS ${CITIZEN_ID}`] : []),
    ...asked.flatMap((p) => shapes[p].cols),
  ];
  const from = [
    `${m.individualLink} l0`,
    ...(asked.length
      ? [`LEFT JOIN ${m.unifiedIndividual} u ON u.ssot__Id__c = l0.UnifiedRecordId__c`]
      : []),
    ...asked.flatMap((p) => shapes[p].joins),
  ].join(' ');
  return `SELECT ${cols.join(', ')} FROM ${from} WHERE l0.SourceRecordId__c IN (${sourceIds.map(sqlString).join(', ')})`;
}

/**
 * Splits a statement's rows into each part's rows per citizen: the part's columns (and the
 * citizen id), without the rows where the part had no match, each distinct row once (the join
 * repeats a profile row for every link × membership).
 */
export function splitRows(
  m: DataCloudModel,
  parts: CitizenPart[],
  rows: SqlRow[],
): Map<CitizenPart, Map<string, SqlRow[]>> {
  const shapes = partShapes(m);
  const out = new Map<CitizenPart, Map<string, SqlRow[]>>();
  for (const part of parts) {
    const s = shapes[part];
    const names = [CITIZEN_ID, ...s.cols.map(resultName)];
    const byCitizen = new Map<string, SqlRow[]>();
    const seen = new Set<string>();
    for (const row of rows) {
      if (row[s.presence] === null || row[s.presence] === undefined) continue;
      const own: SqlRow = {};
      for (const n of names) own[n] = row[n] ?? null;
      const identity = JSON.stringify(names.map((n) => own[n]));
      if (seen.has(identity)) continue;
      seen.add(identity);
      const id = String(own[CITIZEN_ID]);
      const list = byCitizen.get(id);
      if (list) list.push(own);
      else byCitizen.set(id, [own]);
    }
    out.set(part, byCitizen);
  }
  return out;
}

/** SQL's IN lists stay far below any text limit at 500 ids (~20 KB of SQL). */
export const MAX_IN_LIST = 500;

/**
 * A per-request loader of citizen parts: the keys of one tick — any parts for any citizens — are
 * ONE call: for one citizen, when a data graph is configured, its data graph record (Data Graph
 * API, every part); otherwise ONE Query API call. The answer covers every part asked for every citizen of the batch, so the
 * combinations nobody asked for yet are primed too. Ids that cannot be SQL literals resolve to
 * [] without reaching Data Cloud.
 */
export function citizenPartsLoader(client: DataCloudClient, m: DataCloudModel) {
  const loader: DataLoader<PartKey, SqlRow[], string> = new DataLoader(
    async (keys) => {
      const ids = [...new Set(keys.map((k) => k.unifiedId).filter(isSqlSafe))];
      let parts = [...new Set(keys.map((k) => k.part))];
      if (!ids.length) return keys.map(() => []);
      let rows: SqlRow[];
      if (ids.length === 1 && client.dataGraph) {
        // One citizen: the data graph record by its unified id answers every part at once.
        parts = ALL_PARTS;
        rows = (await client.dataGraphById(ids[0])).flatMap((g) => graphRows(m, g));
      } else rows = await client.query(citizenPartsSql(m, parts, ids));
      const split = splitRows(m, parts, rows);
      for (const part of parts)
        for (const unifiedId of ids)
          loader.prime({ part, unifiedId }, split.get(part)!.get(unifiedId) ?? []);
      return keys.map((k) => split.get(k.part)!.get(k.unifiedId) ?? []);
    },
    { cacheKeyFn: (k) => `${k.part}:${k.unifiedId}`, maxBatchSize: MAX_IN_LIST },
  );
  return loader;
}

/** Every part: a data graph record answers them all at once. */
export const ALL_PARTS: CitizenPart[] = [...PART_ORDER];

type GraphRow = Record<string, unknown>;
const related = (row: GraphRow | null | undefined, name: string): GraphRow[] => {
  const v = row?.[name];
  return Array.isArray(v) ? (v as GraphRow[]) : [];
};
const value = (row: GraphRow | null | undefined, col: string): SqlRow[string] => {
  const v = row?.[col];
  return v === undefined ? null : (v as SqlRow[string]);
};
/** A LEFT JOIN's rows: the related rows, or one row of nulls when there is none. */
const orNull = (rows: GraphRow[]): Array<GraphRow | null> => (rows.length ? rows : [null]);

/**
 * One data graph record (the configured graph, docs/real-org.md: the unified individual with its
 * contact points, calculated insight, segment memberships, and links → source individual → party
 * identification) as the rows the statement asking every part would answer for that citizen:
 * unified ⟕ contact points ⟕ insight ⟕ (link ⟕ Commerce login) ⟕ membership, with the same result
 * columns. splitRows turns them into each part's rows exactly as it does the Query API's.
 */
export function graphRows(m: DataCloudModel, graph: GraphRow): SqlRow[] {
  const id = value(graph, 'ssot__Id__c');
  if (id === null) return [];
  const profiles: SqlRow[] = [];
  for (const e of orNull(related(graph, m.contactPointEmail)))
    for (const ph of orNull(related(graph, m.contactPointPhone)))
      for (const a of orNull(related(graph, m.contactPointAddress)))
        for (const i of orNull(related(graph, m.calculatedInsight)))
          profiles.push({
            [CITIZEN_ID]: id,
            ssot__FirstName__c: value(graph, 'ssot__FirstName__c'),
            ssot__LastName__c: value(graph, 'ssot__LastName__c'),
            email_party: value(e, 'ssot__PartyId__c'),
            ssot__EmailAddress__c: value(e, 'ssot__EmailAddress__c'),
            phone_party: value(ph, 'ssot__PartyId__c'),
            ssot__FormattedE164PhoneNumber__c: value(ph, 'ssot__FormattedE164PhoneNumber__c'),
            address_party: value(a, 'ssot__PartyId__c'),
            ssot__AddressLine1__c: value(a, 'ssot__AddressLine1__c'),
            ssot__CityId__c: value(a, 'ssot__CityId__c'),
            ssot__StateProvinceId__c: value(a, 'ssot__StateProvinceId__c'),
            ssot__PostalCodeId__c: value(a, 'ssot__PostalCodeId__c'),
            ssot__CountryId__c: value(a, 'ssot__CountryId__c'),
            insights_party: value(i, 'UnifiedIndividualId__c'),
            LifetimeValue__c: value(i, 'LifetimeValue__c'),
            EngagementScore__c: value(i, 'EngagementScore__c'),
            BenefitEligibility__c: value(i, 'BenefitEligibility__c'),
          });
  const links: SqlRow[] = [];
  for (const l of orNull(related(graph, m.individualLink))) {
    // The Commerce login: the party identifications of the link's source individual, of the
    // configured type (the statement's `p.ssot__PartyId__c = l.SourceRecordId__c AND type = …`).
    const logins = related(l, 'ssot__Individual__dlm')
      .filter((ind) => l && value(ind, 'ssot__Id__c') === value(l, 'SourceRecordId__c'))
      .flatMap((ind) => related(ind, 'ssot__PartyIdentification__dlm'))
      .filter(
        (p) => value(p, 'ssot__PartyIdentificationTypeId__c') === m.commerceLoginIdentificationType,
      );
    for (const p of orNull(logins))
      links.push({
        SourceRecordId__c: value(l, 'SourceRecordId__c'),
        UnifiedRecordId__c: value(l, 'UnifiedRecordId__c'),
        ssot__DataSourceId__c: value(l, 'ssot__DataSourceId__c'),
        ssot__DataSourceObjectId__c: value(l, 'ssot__DataSourceObjectId__c'),
        ssot__Identificationnumber__c: value(p, 'ssot__Identificationnumber__c'),
      });
  }
  const memberships = orNull(related(graph, m.segmentMembershipTable)).map((sm) => ({
    Segment_Id__c: value(sm, 'Segment_Id__c'),
  }));
  const rows: SqlRow[] = [];
  for (const p of profiles)
    for (const l of links) for (const sm of memberships) rows.push({ ...p, ...l, ...sm });
  return rows;
}

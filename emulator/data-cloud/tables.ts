// The Data Cloud data store: DMOs and calculated insights as in-memory tables. Values are kept
// the way the Query API returns them (decimals and timestamps as strings), and equality
// indexes are built lazily per column, so seeding 100k citizens stays cheap and `col = x` /
// `col IN (...)` lookups stay fast afterwards.

export type SqlType =
  'VARCHAR' | 'DECIMAL' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP WITH TIME ZONE';
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** java.sql.Types codes the Query API reports as `typeCode`. */
export const TYPE_CODES: Record<SqlType, number> = {
  VARCHAR: 12,
  DECIMAL: 3,
  BIGINT: -5,
  DOUBLE: 8,
  BOOLEAN: 16,
  DATE: 91,
  'TIMESTAMP WITH TIME ZONE': 93,
};

/** Metadata API field types (docs/salesforce/data-cloud.md#metadata-api). */
export const METADATA_TYPES: Record<SqlType, string> = {
  VARCHAR: 'STRING',
  DECIMAL: 'NUMBER',
  BIGINT: 'NUMBER',
  DOUBLE: 'NUMBER',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  'TIMESTAMP WITH TIME ZONE': 'DATE_TIME',
};

export interface Column {
  name: string;
  type: SqlType;
}

export const isNumeric = (t: SqlType) => t === 'DECIMAL' || t === 'BIGINT' || t === 'DOUBLE';

export class Table {
  readonly rows: Row[] = [];
  private readonly byLower = new Map<string, Column>();
  private readonly indexes = new Map<string, Map<string, number[]>>();

  constructor(
    readonly name: string,
    readonly columns: Column[],
    /** Primary key column (Profile API `{id}`). */
    readonly primaryKey: string,
  ) {
    for (const c of columns) this.byLower.set(c.name.toLowerCase(), c);
  }

  /** Column by name, case-insensitively (unquoted SQL identifiers are case-insensitive). */
  column(name: string): Column | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  insert(row: Row): void {
    this.rows.push(row);
    this.indexes.clear();
  }

  /** Row positions whose `col` equals `value` (string comparison), via a lazily built hash index. */
  lookup(col: string, value: string): number[] {
    let index = this.indexes.get(col);
    if (!index) {
      index = new Map();
      for (let i = 0; i < this.rows.length; i++) {
        const v = this.rows[i][col];
        if (v === null || v === undefined) continue;
        const key = String(v);
        const list = index.get(key);
        if (list) list.push(i);
        else index.set(key, [i]);
      }
      this.indexes.set(col, index);
    }
    return index.get(value) ?? [];
  }
}

export interface SegmentDefinition {
  /** marketSegmentId (1sg…): the value of Segment_Id__c in the membership DMO. */
  id: string;
  /** marketSegmentDefinitionId. */
  definitionId: string;
  apiName: string;
  displayName: string;
  description: string;
  createdDate: string;
  lastPublishedEndDateTime: string;
  /** segmentMembershipTable: the latest-membership DMO the segment publishes into. */
  membershipTable: string;
  /** The history-membership DMO (segmentMembershipDmo.historyTable). */
  historyTable: string;
  /** segmentOnApiName / segmentOnId: the DMO the segment is built on. */
  segmentOnApiName: string;
  segmentOnId: string;
}

export interface CalculatedInsightDefinition {
  name: string;
  displayName: string;
  dimensions: string[];
  measures: string[];
  relatedTo: { entity: string; attribute: string };
}

/** Everything the Data Cloud family serves, built once per seed. */
export class DataCloudDb {
  readonly tables = new Map<string, Table>();
  segments: SegmentDefinition[] = [];
  insights: CalculatedInsightDefinition[] = [];

  add(table: Table): Table {
    this.tables.set(table.name.toLowerCase(), table);
    return table;
  }

  table(name: string): Table | undefined {
    return this.tables.get(name.toLowerCase());
  }
}

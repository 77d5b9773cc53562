// Names in a Query API statement: the FROM tables (with their aliases and joins) and the
// columns a statement refers to, resolved case-insensitively as Data Cloud's SQL does; with
// joins, a row is a combined record keyed `alias.column`.
import type { Column, DataCloudDb, Table } from './tables.js';

export class SqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

// node-sql-parser's AST is loosely typed.
export type Node = any;

export const malformed = (msg: string) => new SqlError('MALFORMED_QUERY', msg);

export interface Source {
  table: Table;
  /** Lower-case names the source answers to: its table name and its alias. */
  names: Set<string>;
  alias: string;
  join?: { left: boolean; on: Node };
}

/** The tables of FROM. With one table rows are the table's own rows; with joins, rows are
 *  combined records keyed `alias.column`. */
export interface Ctx {
  sources: Source[];
}

export interface ColumnRef {
  key: string;
  col: Column;
}

export function buildScope(db: DataCloudDb, from: Node[]): Ctx {
  const sources = from.map((f: Node, i: number): Source => {
    if (!f.table) throw malformed('Subqueries are not supported.');
    const table = db.table(f.table);
    if (!table)
      throw new SqlError('TABLE_NOT_FOUND', `line 1:1: Table '${f.table}' does not exist`);
    let join: Source['join'];
    if (i > 0) {
      const kind = String(f.join ?? '').toUpperCase();
      if (!['JOIN', 'INNER JOIN', 'LEFT JOIN', 'LEFT OUTER JOIN'].includes(kind) || !f.on)
        throw malformed('Only INNER JOIN and LEFT JOIN ... ON a = b are supported.');
      join = { left: kind.startsWith('LEFT'), on: f.on };
    }
    const alias = String(f.as ?? table.name);
    return {
      table,
      alias,
      names: new Set([table.name.toLowerCase(), alias.toLowerCase()]),
      join,
    };
  });
  return { sources };
}

export const keyOf = (ctx: Ctx, src: Source, col: Column) =>
  ctx.sources.length === 1 ? col.name : `${src.alias}.${col.name}`;

export function sourceOf(ctx: Ctx, name: string): Source {
  const src = ctx.sources.find((s) => s.names.has(String(name).toLowerCase()));
  if (!src)
    throw new SqlError('COLUMN_NOT_FOUND', `line 1:1: Table or alias '${name}' cannot be resolved`);
  return src;
}

export function columnName(ref: Node): string {
  const c = ref?.column;
  if (typeof c === 'string') return c;
  return String(c?.expr?.value ?? '');
}

export function resolveIn(ctx: Ctx, ref: Node): { src: Source; col: Column } {
  if (ref?.type !== 'column_ref') throw malformed('A column was expected.');
  const name = columnName(ref);
  const candidates = ref.table ? [sourceOf(ctx, ref.table)] : ctx.sources;
  const hits = candidates.flatMap((src) => {
    const col = src.table.column(name);
    return col ? [{ src, col }] : [];
  });
  if (!hits.length)
    throw new SqlError(
      'COLUMN_NOT_FOUND',
      `line 1:1: Column '${ref.table ? `${ref.table}.` : ''}${name}' cannot be resolved`,
    );
  if (hits.length > 1)
    throw new SqlError('COLUMN_NOT_FOUND', `line 1:1: Column '${name}' is ambiguous`);
  return hits[0];
}

export function resolveColumn(ctx: Ctx, ref: Node): ColumnRef {
  const { src, col } = resolveIn(ctx, ref);
  return { key: keyOf(ctx, src, col), col };
}

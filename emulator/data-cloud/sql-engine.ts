// A small SQL engine for the Query API: one table (or INNER/LEFT JOINs ON a column equality,
// AND-ed with further conditions on the joined row), SELECT columns / * / aliases / COUNT(*),
// WHERE (= != <> < > <= >= LIKE ILIKE IN NOT IN IS [NOT] NULL AND OR NOT, parentheses),
// ORDER BY, LIMIT, OFFSET. Top-level `col = 'x'` and `col IN (...)` conjuncts use the table's
// hash index, so lookups over 100k rows do not scan. Parsing is node-sql-parser's; a quoted
// literal is only ever a value, never SQL. Names are resolved in sql-scope.ts, conditions compiled
// in sql-predicates.ts; this file executes (scan or index, joins, projection, order, limit).
import nodeSqlParser from 'node-sql-parser';
import type { Column, DataCloudDb, Row, SqlType, Value } from './tables.js';
import { compareValues, compile, literal } from './sql-predicates.js';
import {
  buildScope,
  columnName,
  keyOf,
  malformed,
  resolveColumn,
  resolveIn,
  sourceOf,
  SqlError,
  type ColumnRef,
  type Ctx,
  type Node,
  type Source,
} from './sql-scope.js';

const parser = new nodeSqlParser.Parser();

export { SqlError };

export interface ResultColumn {
  name: string;
  type: SqlType;
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: Value[][];
}

export function executeSql(db: DataCloudDb, sql: string): QueryResult {
  if (typeof sql !== 'string' || !sql.trim()) throw malformed('The sql field is required.');
  let ast: Node;
  try {
    ast = parser.astify(sql, { database: 'postgresql' });
  } catch (err) {
    const loc = (err as { location?: { start?: { line: number; column: number } } }).location
      ?.start;
    throw malformed(
      `line ${loc?.line ?? 1}:${loc?.column ?? 1}: mismatched input. Check the SQL syntax.`,
    );
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw malformed('Only one SQL statement is allowed.');
    ast = ast[0];
  }
  if (ast?.type !== 'select') throw malformed('Only SELECT statements are supported.');
  if (!ast.from?.length) throw malformed('A FROM clause is required.');
  if (ast.groupby || ast.having) throw malformed('GROUP BY and HAVING are not supported.');
  const ctx = buildScope(db, ast.from);

  let rows = ctx.sources.length === 1 ? candidateRows(ctx, ast.where) : joinRows(ctx, ast);
  if (ast.where) {
    const pred = compile(ctx, ast.where);
    rows = rows.filter((r) => pred(r) === true);
  }

  const cols: Node[] =
    ast.columns === '*' ? [{ expr: { type: 'column_ref', column: '*' } }] : ast.columns;
  const aggregate = cols.some((c) => c.expr?.type === 'aggr_func');
  if (aggregate) {
    const out: ResultColumn[] = [];
    const values: Value[] = [];
    for (const c of cols) {
      if (c.expr?.type !== 'aggr_func' || String(c.expr.name).toUpperCase() !== 'COUNT')
        throw malformed('Only COUNT(*) or COUNT(column) may be selected without GROUP BY.');
      const arg = c.expr.args?.expr;
      let n = rows.length;
      if (arg?.type === 'column_ref') {
        const { key } = resolveColumn(ctx, arg);
        n = rows.filter((r) => r[key] !== null && r[key] !== undefined).length;
      }
      out.push({
        name: c.as ?? `count(${arg?.type === 'star' ? '*' : columnName(arg)})`,
        type: 'BIGINT',
      });
      values.push(n);
    }
    return { columns: out, rows: [values] };
  }

  const projection: Array<{ name: string; ref: ColumnRef }> = [];
  for (const c of cols) {
    if (c.expr?.type !== 'column_ref')
      throw malformed('Only columns, * and COUNT are supported in SELECT.');
    if (c.expr.column === '*') {
      const only = c.expr.table ? [sourceOf(ctx, c.expr.table)] : ctx.sources;
      for (const src of only)
        for (const col of src.table.columns)
          projection.push({ name: col.name, ref: { key: keyOf(ctx, src, col), col } });
      continue;
    }
    const ref = resolveColumn(ctx, c.expr);
    projection.push({ name: c.as ?? ref.col.name, ref });
  }

  if (ast.orderby) {
    const keys = (ast.orderby as Node[]).map((o) => {
      const alias =
        o.expr?.type === 'column_ref' && !o.expr.table
          ? projection.find((p) => p.name === columnName(o.expr))
          : undefined;
      const ref = alias?.ref ?? resolveColumn(ctx, o.expr);
      return { ref, desc: String(o.type).toUpperCase() === 'DESC' };
    });
    rows = [...rows].sort((a, b) => {
      for (const k of keys) {
        const c = compareValues(a[k.ref.key], b[k.ref.key], k.ref.col.type);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }

  const [limit, offset] = limitOffset(ast.limit);
  rows = rows.slice(offset, limit === undefined ? undefined : offset + limit);
  return {
    columns: projection.map((p) => ({ name: p.name, type: p.ref.col.type })),
    rows: rows.map((r) => projection.map((p) => r[p.ref.key] ?? null)),
  };
}

/** The AND-ed parts of a condition: `a AND (b AND c)` → [a, b, c]. */
function conjuncts(n: Node): Node[] {
  return n?.type === 'binary_expr' && String(n.operator).toUpperCase() === 'AND'
    ? [...conjuncts(n.left), ...conjuncts(n.right)]
    : [n];
}

const isColumnEquality = (n: Node) =>
  n?.type === 'binary_expr' &&
  n.operator === '=' &&
  n.left?.type === 'column_ref' &&
  n.right?.type === 'column_ref';

/**
 * Nested-loop join driven by the right table's hash index on the ON clause's first column
 * equality; the clause's other AND-ed conditions (e.g. `p.TypeId = 'X'`) filter the matches, so
 * a LEFT JOIN keeps a left row whose matches they all reject — ANSI semantics (the Query API is
 * ANSI SQL: https://developer.salesforce.com/docs/data/data-cloud-ref/guide/c360a-api-query-call-overview.html).
 */
function joinRows(ctx: Ctx, ast: Node): Row[] {
  const [base, ...joins] = ctx.sources;
  const prefix = (src: Source, r: Row | undefined, into: Row) => {
    for (const c of src.table.columns)
      into[`${src.alias}.${c.name}`] = r ? (r[c.name] ?? null) : null;
    return into;
  };
  let rows: Row[] = candidateRows(ctx, ast.where, base).map((r) => prefix(base, r, {}));
  for (const j of joins) {
    const parts = conjuncts(j.join!.on);
    const on = parts.find(isColumnEquality);
    if (!on)
      throw malformed(
        'JOIN ... ON needs an equality between two columns (AND further conditions).',
      );
    const filters = parts.filter((p) => p !== on).map((p) => compile(ctx, p));
    const a = resolveIn(ctx, on.left);
    const b = resolveIn(ctx, on.right);
    const [inner, outer] = a.src === j ? [a, b] : b.src === j ? [b, a] : [undefined, undefined];
    if (!inner || !outer || outer.src === j)
      throw malformed('The ON clause must compare the joined table with an earlier one.');
    const outerKey = `${outer.src.alias}.${outer.col.name}`;
    const next: Row[] = [];
    for (const r of rows) {
      const v = r[outerKey];
      const matches =
        v === null || v === undefined ? [] : j.table.lookup(inner.col.name, String(v));
      const joined = matches
        .map((m) => prefix(j, j.table.rows[m], { ...r }))
        .filter((row) => filters.every((f) => f(row) === true));
      if (!joined.length && j.join!.left) next.push(prefix(j, undefined, { ...r }));
      next.push(...joined);
    }
    rows = next;
  }
  return rows;
}

function limitOffset(limit: Node): [number | undefined, number] {
  const vals: Node[] = limit?.value ?? [];
  if (!vals.length) return [undefined, 0];
  const num = (n: Node) => {
    const v = Number(n?.value);
    if (!Number.isInteger(v) || v < 0)
      throw malformed('LIMIT and OFFSET must be non-negative integers.');
    return v;
  };
  if (vals.length === 1) return [num(vals[0]), 0];
  // PostgreSQL: LIMIT x OFFSET y; MySQL-style LIMIT y, x.
  return limit.seperator === 'offset' ? [num(vals[0]), num(vals[1])] : [num(vals[1]), num(vals[0])];
}

/** Rows narrowed by an index when a top-level AND conjunct is `col = 'x'` or `col IN (...)`. */
function candidateRows(ctx: Ctx, where: Node, base: Source = ctx.sources[0]): Row[] {
  const conjuncts: Node[] = [];
  const walk = (n: Node) => {
    if (n?.type === 'binary_expr' && String(n.operator).toUpperCase() === 'AND') {
      walk(n.left);
      walk(n.right);
    } else conjuncts.push(n);
  };
  if (where) walk(where);
  for (const c of conjuncts) {
    if (c?.type !== 'binary_expr' || c.left?.type !== 'column_ref') continue;
    const op = String(c.operator).toUpperCase();
    let hit: { src: Source; col: Column };
    try {
      hit = resolveIn(ctx, c.left);
    } catch {
      continue; // reported by compile() with the full scope
    }
    if (hit.src !== base || hit.col.type !== 'VARCHAR') continue;
    let values: Value[] | undefined;
    if (op === '=' && c.right?.type !== 'column_ref') values = [literal(c.right)];
    else if (op === 'IN' && c.right?.type === 'expr_list')
      values = (c.right.value as Node[]).map(literal);
    if (!values) continue;
    const positions = new Set<number>();
    for (const v of values)
      if (v !== null) for (const p of base.table.lookup(hit.col.name, String(v))) positions.add(p);
    return [...positions].sort((a, b) => a - b).map((p) => base.table.rows[p]);
  }
  return base.table.rows;
}

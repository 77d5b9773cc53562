// Conditions of a Query API statement (WHERE, and the extra conditions of a JOIN's ON) compiled
// to predicates over rows, with SQL's three-valued logic (NULL compares to nothing).
import { isNumeric, type Row, type SqlType, type Value } from './tables.js';
import { malformed, resolveColumn, type Ctx, type Node } from './sql-scope.js';

type Tri = boolean | null;

/** A literal's value: quotes are undone here, so the text inside quotes can never become SQL. */
export function literal(n: Node): Value {
  switch (n?.type) {
    case 'single_quote_string':
    case 'string':
      return String(n.value).replace(/''/g, "'").replace(/\\(.)/g, '$1');
    case 'number':
      return Number(n.value);
    case 'bool':
      return Boolean(n.value);
    case 'null':
      return null;
    default:
      throw malformed(`Unsupported expression of type ${n?.type ?? 'unknown'}.`);
  }
}

export function compareValues(a: Value | undefined, b: Value | undefined, type: SqlType): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? 1 : -1; // NULLS LAST
  if (isNumeric(type)) return Number(a) - Number(b);
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

export function likeRegex(pattern: string, flags: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, flags + 's');
}

export type Pred = (r: Row) => Tri;

export function compile(ctx: Ctx, n: Node): Pred {
  if (n?.type === 'unary_expr' && String(n.operator).toUpperCase() === 'NOT')
    return not(compile(ctx, n.expr));
  if (
    n?.type === 'function' &&
    String(n.name?.name?.[0]?.value ?? '').toUpperCase() === 'NOT' &&
    n.args?.value?.length === 1
  )
    return not(compile(ctx, n.args.value[0]));
  if (n?.type === 'bool') return () => Boolean(n.value);
  if (n?.type !== 'binary_expr') throw malformed('Unsupported WHERE expression.');
  const op = String(n.operator).toUpperCase();
  if (op === 'AND' || op === 'OR') {
    const l = compile(ctx, n.left);
    const r = compile(ctx, n.right);
    return op === 'AND'
      ? (row) => {
          const a = l(row);
          if (a === false) return false;
          const b = r(row);
          return b === false ? false : a === null || b === null ? null : true;
        }
      : (row) => {
          const a = l(row);
          if (a === true) return true;
          const b = r(row);
          return b === true ? true : a === null || b === null ? null : false;
        };
  }
  const { key, col } = resolveColumn(ctx, n.left);
  if (op === 'IS' || op === 'IS NOT') {
    if (n.right?.type !== 'null') throw malformed('IS supports only NULL.');
    return op === 'IS'
      ? (r) => r[key] === null || r[key] === undefined
      : (r) => r[key] !== null && r[key] !== undefined;
  }
  if (op === 'IN' || op === 'NOT IN') {
    if (n.right?.type !== 'expr_list') throw malformed('IN needs a list of values.');
    const set = new Set((n.right.value as Node[]).map((v) => normalize(literal(v), col.type)));
    const neg = op === 'NOT IN';
    return (r) => {
      const v = r[key];
      if (v === null || v === undefined) return null;
      return set.has(normalize(v, col.type)) !== neg;
    };
  }
  const right = literal(n.right);
  if (op === 'LIKE' || op === 'ILIKE' || op === 'NOT LIKE' || op === 'NOT ILIKE') {
    const re = likeRegex(String(right), op.includes('ILIKE') ? 'i' : '');
    const neg = op.startsWith('NOT');
    return (r) => {
      const v = r[key];
      return v === null || v === undefined ? null : re.test(String(v)) !== neg;
    };
  }
  const cmp: Record<string, (c: number) => boolean> = {
    '=': (c) => c === 0,
    '!=': (c) => c !== 0,
    '<>': (c) => c !== 0,
    '<': (c) => c < 0,
    '>': (c) => c > 0,
    '<=': (c) => c <= 0,
    '>=': (c) => c >= 0,
  };
  const test = cmp[op];
  if (!test) throw malformed(`Unsupported operator ${op}.`);
  return (r) => {
    const v = r[key];
    if (v === null || v === undefined || right === null) return null;
    return test(compareValues(v, right, col.type));
  };
}

const not =
  (p: Pred): Pred =>
  (r) => {
    const v = p(r);
    return v === null ? null : !v;
  };

function normalize(v: Value, type: SqlType): string {
  return isNumeric(type) && v !== null && v !== '' ? String(Number(v)) : String(v);
}

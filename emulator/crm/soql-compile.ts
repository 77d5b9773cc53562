// SOQL compilation: SOQL text → a query plan (the sObject, the SELECT paths with their parent
// relationships, the WHERE predicate tree, ORDER BY, LIMIT/OFFSET), checked against the
// metadata; errors are Salesforce's MALFORMED_QUERY / INVALID_FIELD / INVALID_TYPE
// (docs/salesforce/crm-rest.md#soql-query). Parsing is @jetstreamapp/soql-parser-js; it gives WHERE
// as a flat right-recursive list with paren counters, so that is turned back into tokens and
// re-parsed with the real precedence (NOT > AND > OR). soql-evaluate.ts runs a plan against the
// store.
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { toId18 } from '../ids.js';
import { OBJECTS, objectDef, type FieldDef, type ObjectDef } from './metadata.js';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

/** A field path: zero or more lookup fields to follow, then the leaf field. */
export interface Path {
  refs: FieldDef[];
  leaf: FieldDef;
}

export type Literal = string | number | boolean | null;
/** The WHERE predicate tree. */
export type Expr =
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'cmp'; path: Path; op: string; value: Literal | Literal[] };

/** The query plan soql-evaluate.ts runs. */
export interface CompiledQuery {
  obj: ObjectDef;
  select: Path[];
  countOnly: boolean;
  where?: Expr;
  orderBy: Array<{ path: Path; desc: boolean; nullsFirst: boolean }>;
  limit?: number;
  offset: number;
}

// Structural types of the parser output we read (its own types are wider unions).
interface PCondition {
  field?: string;
  fn?: unknown;
  operator?: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: unknown;
  openParen?: number;
  closeParen?: number;
}
interface PWhere {
  left: PCondition | null;
  operator?: string;
  right?: PWhere;
}

const invalidField = (name: string, obj: ObjectDef) =>
  new SoqlError(
    'INVALID_FIELD',
    `\n${name}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

function resolvePath(obj: ObjectDef, dotted: string): Path {
  const parts = dotted.split('.');
  const refs: FieldDef[] = [];
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const rel = cur.relationships.get(parts[i].toLowerCase());
    if (!rel)
      throw new SoqlError(
        'INVALID_FIELD',
        `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
      );
    refs.push(rel);
    cur = OBJECTS.get(rel.referenceTo!)!;
  }
  const leaf = cur.byLower.get(parts[parts.length - 1].toLowerCase());
  if (!leaf) throw invalidField(dotted, cur);
  return { refs, leaf };
}

/** A SOQL string literal without its quotes, escapes resolved (\' \" \\ \n \t \r \b \f \% \_ kept for LIKE). */
function unquote(raw: string): string {
  const inner = raw.slice(1, -1);
  return inner.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case '%':
      case '_':
        return `\\${c}`; // only meaningful in LIKE patterns
      default:
        return c;
    }
  });
}

function literal(raw: string, type: string, leaf: FieldDef): Literal {
  switch (type) {
    case 'STRING': {
      const s = unquote(raw);
      if (leaf.type === 'id' || leaf.type === 'reference') return toId18(s) ?? s;
      return s;
    }
    case 'INTEGER':
    case 'DECIMAL':
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return Number(raw.replace(/^[A-Z]{3}/, ''));
    case 'BOOLEAN':
      return raw.toUpperCase() === 'TRUE';
    case 'NULL':
      return null;
    case 'DATE':
      return leaf.type === 'datetime' ? Date.parse(`${raw}T00:00:00Z`) : raw;
    case 'DATETIME':
      return leaf.type === 'date'
        ? raw.slice(0, 10)
        : Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    default:
      throw new SoqlError(
        'MALFORMED_QUERY',
        `unexpected token: '${raw}' (date literals and functions are not supported here)`,
      );
  }
}

function compileCondition(obj: ObjectDef, c: PCondition): Expr {
  if (!c.field || c.fn || c.valueQuery)
    throw new SoqlError('MALFORMED_QUERY', 'Only simple field comparisons are supported in WHERE.');
  const path = resolvePath(obj, c.field);
  const op = c.operator === '<>' ? '!=' : (c.operator ?? '=').toUpperCase();
  if (!['=', '!=', '<', '>', '<=', '>=', 'LIKE', 'IN', 'NOT IN'].includes(op))
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${c.operator}'`);
  const types = c.literalType;
  if (op === 'IN' || op === 'NOT IN') {
    const values = Array.isArray(c.value) ? c.value : [c.value ?? ''];
    return {
      kind: 'cmp',
      path,
      op,
      value: values.map((v, i) =>
        literal(v, Array.isArray(types) ? types[i] : (types ?? 'STRING'), path.leaf),
      ),
    };
  }
  if (Array.isArray(c.value)) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '('`);
  return {
    kind: 'cmp',
    path,
    op,
    value: literal(c.value ?? '', (Array.isArray(types) ? types[0] : types) ?? 'STRING', path.leaf),
  };
}

type Tok = '(' | ')' | 'AND' | 'OR' | 'NOT' | PCondition;

function flatten(node: PWhere | undefined, out: Tok[]) {
  for (let n = node; n; n = n.right) {
    if (n.left) {
      for (let i = 0; i < (n.left.openParen ?? 0); i++) out.push('(');
      out.push(n.left);
      for (let i = 0; i < (n.left.closeParen ?? 0); i++) out.push(')');
    }
    if (n.operator) out.push(n.operator.toUpperCase() as Tok);
  }
}

function parseWhere(obj: ObjectDef, where: PWhere): Expr {
  const toks: Tok[] = [];
  flatten(where, toks);
  let i = 0;
  const bad = () => new SoqlError('MALFORMED_QUERY', 'unexpected token in WHERE clause');
  const or = (): Expr => {
    let left = and();
    while (toks[i] === 'OR') {
      i++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (toks[i] === 'AND') {
      i++;
      left = { kind: 'and', left, right: not() };
    }
    return left;
  };
  const not = (): Expr => {
    if (toks[i] === 'NOT') {
      i++;
      return { kind: 'not', expr: not() };
    }
    const t = toks[i++];
    if (t === '(') {
      const e = or();
      if (toks[i++] !== ')') throw bad();
      return e;
    }
    if (!t || typeof t === 'string') throw bad();
    return compileCondition(obj, t);
  };
  const e = or();
  if (i !== toks.length) throw bad();
  return e;
}

export function compileSoql(q: string): CompiledQuery {
  let parsed: ReturnType<typeof parseQuery>;
  try {
    parsed = parseQuery(q);
  } catch (err) {
    throw new SoqlError(
      'MALFORMED_QUERY',
      `\n${q}\n^\nERROR at Row:1:Column:1\n${(err as Error).message.split('\n')[0]}`,
    );
  }
  const sObject = parsed.sObject;
  const obj = sObject ? objectDef(sObject) : undefined;
  if (!obj)
    throw new SoqlError(
      'INVALID_TYPE',
      `\n${q}\n^\nERROR at Row:1:Column:1\nsObject type '${sObject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  const select: Path[] = [];
  let countOnly = false;
  for (const f of parsed.fields ?? []) {
    const pf = f as {
      type: string;
      field?: string;
      relationships?: string[];
      functionName?: string;
      parameters?: unknown[];
    };
    if (pf.type === 'Field') select.push(resolvePath(obj, pf.field!));
    else if (pf.type === 'FieldRelationship')
      select.push(resolvePath(obj, [...pf.relationships!, pf.field!].join('.')));
    else if (
      pf.type === 'FieldFunctionExpression' &&
      pf.functionName?.toUpperCase() === 'COUNT' &&
      !pf.parameters?.length
    )
      countOnly = true;
    else
      throw new SoqlError('MALFORMED_QUERY', `The emulator does not support ${pf.type} in SELECT.`);
  }
  if (countOnly && select.length)
    throw new SoqlError('MALFORMED_QUERY', 'COUNT() must be the only element in the SELECT list.');
  const p = parsed as {
    where?: PWhere;
    orderBy?: unknown;
    limit?: number;
    offset?: number;
    groupBy?: unknown;
    having?: unknown;
  };
  if (p.groupBy || p.having)
    throw new SoqlError('MALFORMED_QUERY', 'GROUP BY is not supported by the emulator.');
  const orderBy = (Array.isArray(p.orderBy) ? p.orderBy : p.orderBy ? [p.orderBy] : []).map(
    (o: { field?: string; order?: string; nulls?: string }) => {
      if (!o.field) throw new SoqlError('MALFORMED_QUERY', 'ORDER BY supports fields only.');
      const desc = o.order?.toUpperCase() === 'DESC';
      return {
        path: resolvePath(obj, o.field),
        desc,
        nullsFirst: o.nulls ? o.nulls.toUpperCase() === 'FIRST' : !desc,
      };
    },
  );
  return {
    obj,
    select,
    countOnly,
    where: p.where ? parseWhere(obj, p.where) : undefined,
    orderBy,
    limit: p.limit,
    offset: p.offset ?? 0,
  };
}

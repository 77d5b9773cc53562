// SOQL evaluation: runs a compiled plan (soql-compile.ts) against the sObject store — candidate
// rows (an index probe when a top-level conjunct allows it), the WHERE predicate, ORDER BY with
// NULLS FIRST/LAST, OFFSET and LIMIT — and projects the rows into REST records with parent
// relationships nested (docs/salesforce/crm-rest.md#soql-query).
import { attributes } from './records.js';
import type { FieldDef } from './metadata.js';
import type { CompiledQuery, Expr, Literal, Path } from './soql-compile.js';
import type { SObjectRecord, SObjectStore } from './sobject-store.js';

function valueOf(store: SObjectStore, rec: SObjectRecord, path: Path): unknown {
  let cur: SObjectRecord | undefined = rec;
  for (const r of path.refs) {
    const id = cur[r.name] as string | undefined;
    cur = id ? store.get(r.referenceTo!, id) : undefined;
    if (!cur) return null;
  }
  return cur[path.leaf.name] ?? null;
}

/** Normalises a stored value for comparison with a literal of the same field. */
function comparable(v: unknown, leaf: FieldDef): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (leaf.type === 'datetime')
    return Date.parse(String(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (
    typeof v === 'string' &&
    leaf.type !== 'id' &&
    leaf.type !== 'reference' &&
    leaf.type !== 'date'
  )
    return v.toLowerCase();
  return v as string | number | boolean;
}

const likeCache = new Map<string, RegExp>();
function likeRegex(pattern: string): RegExp {
  let re = likeCache.get(pattern);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\' && i + 1 < pattern.length)
        src += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      else if (c === '%') src += '.*';
      else if (c === '_') src += '.';
      else src += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, 'is');
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re;
}

/** Whether a stored record satisfies the WHERE predicate tree. */
function matches(store: SObjectStore, rec: SObjectRecord, e: Expr): boolean {
  switch (e.kind) {
    case 'and':
      return matches(store, rec, e.left) && matches(store, rec, e.right);
    case 'or':
      return matches(store, rec, e.left) || matches(store, rec, e.right);
    case 'not':
      return !matches(store, rec, e.expr);
    case 'cmp': {
      const raw = valueOf(store, rec, e.path);
      const v = comparable(raw, e.path.leaf);
      const lit = (x: Literal) => (typeof x === 'string' ? comparable(x, e.path.leaf) : x);
      if (e.op === 'IN' || e.op === 'NOT IN') {
        const hit = (e.value as Literal[]).some((x) => v !== null && lit(x) === v);
        return e.op === 'IN' ? hit : v !== null && !hit;
      }
      const l = lit(e.value as Literal);
      switch (e.op) {
        case '=':
          return v === l;
        case '!=':
          return v !== l;
        case 'LIKE':
          return (
            raw !== null && typeof e.value === 'string' && likeRegex(e.value).test(String(raw))
          );
      }
      if (v === null || l === null) return false;
      switch (e.op) {
        case '<':
          return v < l;
        case '>':
          return v > l;
        case '<=':
          return v <= l;
        default:
          return v >= l;
      }
    }
  }
}

/** Candidate rows: a hash-index probe when a top-level conjunct is `Field = x` / `Field IN (...)` on an id, lookup or unique field. */
function candidates(store: SObjectStore, q: CompiledQuery): Iterable<SObjectRecord> {
  const conjuncts: Expr[] = [];
  const collect = (e: Expr): void => {
    if (e.kind === 'and') {
      collect(e.left);
      collect(e.right);
    } else conjuncts.push(e);
  };
  if (q.where) collect(q.where);
  for (const c of conjuncts) {
    if (c.kind !== 'cmp' || c.path.refs.length || (c.op !== '=' && c.op !== 'IN')) continue;
    const leaf = c.path.leaf;
    if (!(leaf.type === 'id' || leaf.type === 'reference' || leaf.unique)) continue;
    const values = (Array.isArray(c.value) ? c.value : [c.value]).filter((v) => v !== null);
    if (leaf.type === 'id')
      return values
        .map((v) => store.get(q.obj.name, String(v)))
        .filter((r): r is SObjectRecord => !!r);
    if (leaf.unique && leaf.type !== 'reference') continue; // case-insensitive match: scan
    return store.findByAny(q.obj.name, leaf.name, values);
  }
  return store.all(q.obj.name);
}

function compareValues(a: unknown, b: unknown): number {
  const x = typeof a === 'string' ? a.toLowerCase() : a;
  const y = typeof b === 'string' ? b.toLowerCase() : b;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/** Runs a compiled query and returns matching stored records (ordered, offset and limit applied) and the total. */
export function executeSoql(
  store: SObjectStore,
  q: CompiledQuery,
  /** Row-level access of the running user: rows it cannot see are not there (before LIMIT). */
  visible?: (rec: SObjectRecord) => boolean,
): { rows: SObjectRecord[]; totalSize: number } {
  let rows: SObjectRecord[] = [];
  for (const rec of candidates(store, q))
    if ((!q.where || matches(store, rec, q.where)) && (!visible || visible(rec))) rows.push(rec);
  if (q.orderBy.length) {
    const keyed = rows.map((r) => ({ r, k: q.orderBy.map((o) => valueOf(store, r, o.path)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < q.orderBy.length; i++) {
        const o = q.orderBy[i];
        const x = a.k[i];
        const y = b.k[i];
        if (x === y) continue;
        if (x === null) return o.nullsFirst ? -1 : 1;
        if (y === null) return o.nullsFirst ? 1 : -1;
        const c = compareValues(x, y);
        if (c) return o.desc ? -c : c;
      }
      return 0;
    });
    rows = keyed.map((k) => k.r);
  }
  if (q.offset) rows = rows.slice(q.offset);
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);
  return { rows, totalSize: rows.length };
}

/** Projects a stored record into the SELECT shape, parent relationships nested with attributes (or null). */
export function projectRow(
  store: SObjectStore,
  q: CompiledQuery,
  rec: SObjectRecord,
  version: string,
) {
  const out: Record<string, unknown> = { attributes: attributes(version, q.obj.name, rec.Id) };
  for (const path of q.select) {
    let target = out;
    let cur: SObjectRecord | undefined = rec;
    let broken = false;
    for (const r of path.refs) {
      const relName = r.relationshipName!;
      const id = cur?.[r.name] as string | undefined;
      cur = id ? store.get(r.referenceTo!, id) : undefined;
      if (!cur) {
        if (!(relName in target)) target[relName] = null;
        broken = true;
        break;
      }
      let nested = target[relName] as Record<string, unknown> | null | undefined;
      if (!nested)
        target[relName] = nested = { attributes: attributes(version, r.referenceTo!, cur.Id) };
      target = nested;
    }
    if (!broken) target[path.leaf.name] = cur![path.leaf.name] ?? null;
  }
  return out;
}

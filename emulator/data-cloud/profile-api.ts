// Profile API and Calculated Insights API on the tenant endpoint
// (docs/salesforce/data-cloud.md#profile-api, data-cloud.md#calculated-insights-api).
// Both answer {data:[{...}], done}; unknown attributes in fields/filters → 422.
import { Router, type Request, type Response } from 'express';
import { sendDataCloudError } from '../core/error-bodies.js';
import { CI_NAME, LINK, UNIFIED } from './seed.js';
import type { DataCloudDb, Row, Table, Value } from './tables.js';

/** Parent DMO → child DMO → the child's attribute that points at the parent's primary key. */
const CHILDREN: Record<string, Record<string, string>> = {
  [UNIFIED.toLowerCase()]: {
    unifiedssotcontactpointemailir1__dlm: 'ssot__PartyId__c',
    unifiedssotcontactpointphoneir1__dlm: 'ssot__PartyId__c',
    unifiedssotcontactpointaddressir1__dlm: 'ssot__PartyId__c',
    [LINK.toLowerCase()]: 'UnifiedRecordId__c',
  },
  ssot__individual__dlm: {
    ssot__partyidentification__dlm: 'ssot__PartyId__c',
    [LINK.toLowerCase()]: 'SourceRecordId__c',
  },
};

class UnknownAttribute extends Error {}

/** `[A__c=x,B__c=y]` → pairs. */
function parseFilters(raw: unknown, table: Table): Array<[string, string]> {
  if (typeof raw !== 'string' || !raw.trim()) return [];
  const inner = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner
    .split(',')
    .filter((t) => t.trim())
    .map((term) => {
      const eq = term.indexOf('=');
      const name = term.slice(0, eq).trim();
      const col = eq > 0 ? table.column(name) : undefined;
      if (!col)
        throw new UnknownAttribute(`Attribute '${name}' does not exist on '${table.name}'.`);
      return [col.name, term.slice(eq + 1).trim()] as [string, string];
    });
}

function parseFields(raw: unknown, table: Table, fallback: number): string[] {
  if (typeof raw !== 'string' || !raw.trim())
    return table.columns.slice(0, fallback).map((c) => c.name);
  return raw.split(',').map((f) => {
    const col = table.column(f.trim());
    if (!col)
      throw new UnknownAttribute(`Attribute '${f.trim()}' does not exist on '${table.name}'.`);
    return col.name;
  });
}

function orderRows(rows: Row[], raw: unknown, table: Table): Row[] {
  if (typeof raw !== 'string' || !raw.trim()) return rows;
  const keys = raw.split(',').map((term) => {
    const [name, dir] = term.trim().split(/\s+/);
    const col = table.column(name);
    if (!col) throw new UnknownAttribute(`Attribute '${name}' does not exist on '${table.name}'.`);
    return { name: col.name, desc: dir?.toUpperCase() === 'DESC' };
  });
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = String(a[k.name] ?? '');
      const y = String(b[k.name] ?? '');
      if (x !== y) return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return 0;
  });
}

const intParam = (v: unknown, dflt: number, max: number) => {
  const n = Number(v);
  return v === undefined || !Number.isInteger(n) || n < 0 ? dflt : Math.min(n, max);
};

function select(table: Table, filters: Array<[string, string]>, seed?: [string, string]): Row[] {
  const all = [...(seed ? [seed] : []), ...filters];
  if (!all.length) return table.rows;
  const [first, ...rest] = all;
  return table
    .lookup(first[0], first[1])
    .map((i) => table.rows[i])
    .filter((r) => rest.every(([k, v]) => String(r[k] ?? '') === v));
}

const pick = (r: Row, fields: string[]) =>
  Object.fromEntries(fields.map((f) => [f, r[f] ?? null])) as Record<string, Value>;

function page(req: Request, rows: Row[], table: Table, fields: string[]) {
  const limit = intParam(req.query.limit, 100, 4999);
  const offset = intParam(req.query.offset, 0, Number.MAX_SAFE_INTEGER);
  const sorted = orderRows(rows, req.query.orderby, table);
  return {
    data: sorted.slice(offset, offset + limit).map((r) => pick(r, fields)),
    done: offset + limit >= sorted.length,
  };
}

export function createProfileRouter(db: () => DataCloudDb): Router {
  const router = Router();
  type Req = Request<Record<string, string>>;
  const guard = (fn: (req: Req, res: Response) => void) => (req: Req, res: Response) => {
    try {
      fn(req, res);
    } catch (err) {
      if (err instanceof UnknownAttribute)
        return sendDataCloudError(res, 422, 'UNKNOWN_ATTRIBUTE', err.message);
      throw err;
    }
  };
  const tableOr404 = (name: string, res: Response): Table | undefined => {
    const t = db().table(name);
    if (!t || t.name === CI_NAME)
      sendDataCloudError(res, 404, 'NOT_FOUND', `Data model object '${name}' was not found.`);
    return t && t.name !== CI_NAME ? t : undefined;
  };

  router.get(
    '/api/v1/profile/:dmo',
    guard((req, res) => {
      const t = tableOr404(req.params.dmo, res);
      if (!t) return;
      const filters = parseFilters(req.query.filters, t);
      if (!filters.length)
        return sendDataCloudError(
          res,
          400,
          'INVALID_ARGUMENT',
          'The filters parameter is required.',
        );
      res.json(page(req, select(t, filters), t, parseFields(req.query.fields, t, 10)));
    }),
  );

  router.get(
    '/api/v1/profile/:dmo/:id',
    guard((req, res) => {
      const t = tableOr404(req.params.dmo, res);
      if (!t) return;
      const key =
        typeof req.query.searchKey === 'string'
          ? t.column(req.query.searchKey)?.name
          : t.primaryKey;
      if (!key)
        throw new UnknownAttribute(
          `Attribute '${String(req.query.searchKey)}' does not exist on '${t.name}'.`,
        );
      res.json(
        page(
          req,
          select(t, parseFilters(req.query.filters, t), [key, req.params.id]),
          t,
          parseFields(req.query.fields, t, 10),
        ),
      );
    }),
  );

  router.get(
    '/api/v1/profile/:dmo/:id/calculated-insights/:ci',
    guard((req, res) => {
      const t = tableOr404(req.params.dmo, res);
      const ci = db().table(req.params.ci);
      if (!t) return;
      if (!ci || ci.name !== CI_NAME)
        return sendDataCloudError(
          res,
          404,
          'NOT_FOUND',
          `Calculated insight '${req.params.ci}' was not found.`,
        );
      const parents = select(t, [], [t.primaryKey, req.params.id]);
      const fields = parseFields(req.query.fields, t, 10);
      const measures = parseFields(req.query.measures, ci, ci.columns.length);
      const data = parents.map((p) => {
        const row = ci
          .lookup('UnifiedIndividualId__c', String(p[t.primaryKey]))
          .map((i) => ci.rows[i])[0];
        return { ...pick(p, fields), [ci.name]: row ? ciRow(row, measures) : null };
      });
      res.json({ data, done: true });
    }),
  );

  router.get(
    '/api/v1/profile/:dmo/:id/:child',
    guard((req, res) => {
      const t = tableOr404(req.params.dmo, res);
      if (!t) return;
      const childName = req.params.child.toLowerCase();
      const via = CHILDREN[t.name.toLowerCase()]?.[childName];
      const child = db().table(childName);
      if (!via || !child)
        return sendDataCloudError(
          res,
          404,
          'NOT_FOUND',
          `'${req.params.child}' is not related to '${t.name}'.`,
        );
      const parents = select(t, parseFilters(req.query.filters, t), [t.primaryKey, req.params.id]);
      const rows = parents.flatMap((p) =>
        child.lookup(via, String(p[t.primaryKey])).map((i) => child.rows[i]),
      );
      res.json(page(req, rows, child, parseFields(req.query.fields, child, 10)));
    }),
  );

  // Calculated Insights API.
  router.get('/api/v1/insight/metadata', (_req, res) => {
    res.json({ metadata: db().insights.map((ci) => ciMetadata(db(), ci.name)) });
  });
  router.get('/api/v1/insight/metadata/:ci', (req, res) => {
    const m = db().insights.find((ci) => ci.name.toLowerCase() === req.params.ci.toLowerCase());
    if (!m)
      return sendDataCloudError(
        res,
        404,
        'NOT_FOUND',
        `Calculated insight '${req.params.ci}' was not found.`,
      );
    res.json({ metadata: [ciMetadata(db(), m.name)] });
  });
  router.get(
    '/api/v1/insight/calculated-insights/:ci',
    guard((req, res) => {
      const def = db().insights.find((ci) => ci.name.toLowerCase() === req.params.ci.toLowerCase());
      const t = def && db().table(def.name);
      if (!def || !t)
        return sendDataCloudError(
          res,
          404,
          'NOT_FOUND',
          `Calculated insight '${req.params.ci}' was not found.`,
        );
      const dims = parseFields(req.query.dimensions, t, 0);
      const measures = parseFields(req.query.measures, t, 0);
      const fields = [
        ...(dims.length ? dims : def.dimensions),
        ...(measures.length ? measures : def.measures),
      ];
      const { data, done } = page(req, select(t, parseFilters(req.query.filters, t)), t, fields);
      res.json({ data: data.map((r) => ciRow(r as Row, fields)), done });
    }),
  );
  return router;
}

/**
 * CI API rows carry numeric measures as JSON numbers
 * (docs/salesforce/data-cloud.md#calculated-insights-api).
 */
function ciRow(r: Row, fields: string[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of fields)
    out[f] = f === 'LifetimeValue__c' && r[f] !== null ? Number(r[f]) : (r[f] ?? null);
  return out;
}

function ciMetadata(db: DataCloudDb, name: string) {
  const def = db.insights.find((ci) => ci.name === name)!;
  const t = db.table(name)!;
  const typeOf = (f: string) =>
    t.column(f)?.type === 'VARCHAR'
      ? 'STRING'
      : t.column(f)?.type === 'TIMESTAMP WITH TIME ZONE'
        ? 'DATE_TIME'
        : 'NUMBER';
  const label = (f: string) => f.replace(/__c$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
  return {
    name: def.name,
    displayName: def.displayName,
    dimensions: def.dimensions.map((d) => ({ name: d, displayName: label(d), type: typeOf(d) })),
    measures: def.measures.map((m) => ({
      name: m,
      displayName: label(m),
      type: typeOf(m),
      rollupable: typeOf(m) === 'NUMBER',
    })),
    relationships: [{ fromEntity: def.name, toEntity: def.relatedTo.entity }],
    partitionBy: null,
  };
}

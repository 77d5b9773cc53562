// Records on the wire: shaping stored records into REST JSON (attributes + fields), and the
// write path every create/update/upsert shares (validation with the real status codes,
// defaults, derived fields such as Name, IsClosed and CaseNumber).
import { sfDateTime, toId18 } from '../ids.js';
import type { SObjectRecord, SObjectStore } from './sobject-store.js';
import { fieldDef, type FieldDef, type ObjectDef } from './metadata.js';

export const recordUrl = (version: string, type: string, id: string) =>
  `/services/data/${version}/sobjects/${type}/${id}`;

export const attributes = (version: string, type: string, id: string) => ({
  type,
  url: recordUrl(version, type, id),
});

/** A record as REST returns it: attributes first, then the requested (or all) fields, nulls included. */
export function shapeRecord(
  obj: ObjectDef,
  rec: SObjectRecord,
  version: string,
  fields?: FieldDef[],
) {
  const out: Record<string, unknown> = { attributes: attributes(version, obj.name, rec.Id) };
  for (const f of fields ?? obj.fields) out[f.name] = rec[f.name] ?? null;
  return out;
}

/** One failure in the shape sObject Collections use (`statusCode`); REST single calls rename it to errorCode. */
export interface WriteError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class WriteFailure extends Error {
  constructor(readonly error: WriteError) {
    super(error.message);
  }
}

const fail = (statusCode: string, message: string, fields: string[] = []): never => {
  throw new WriteFailure({ statusCode, message, fields });
};

/** Parses a comma-separated `fields` parameter against the metadata (INVALID_FIELD on unknown names). */
export function resolveFieldList(obj: ObjectDef, names: string[]): FieldDef[] {
  return names
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => {
      const f = fieldDef(obj, n);
      if (!f)
        fail(
          'INVALID_FIELD',
          `No such column '${n}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      return f!;
    });
}

export interface WriteContext {
  store: SObjectStore;
  userId: string;
  now?: Date;
}

/**
 * Validates a create/update body and returns the field values to store, normalised.
 * Throws WriteFailure with the code a real org uses.
 */
export function validateWrite(
  obj: ObjectDef,
  body: Record<string, unknown>,
  mode: 'create' | 'update',
  ctx: WriteContext,
) {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    fail('JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  const values: Record<string, unknown> = {};
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = fieldDef(obj, key);
    if (!f) fail('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]);
    if (f!.readOnly) {
      readOnly.push(f!.name);
      continue;
    }
    values[f!.name] = normalise(obj, f!, raw, ctx.store);
  }
  if (readOnly.length)
    fail(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  const missing = obj.fields
    .filter(
      (f) =>
        f.required &&
        (mode === 'create'
          ? values[f.name] == null || values[f.name] === ''
          : f.name in values && (values[f.name] == null || values[f.name] === '')),
    )
    .map((f) => f.name);
  if (missing.length)
    fail('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
  return values;
}

function normalise(obj: ObjectDef, f: FieldDef, raw: unknown, store: SObjectStore): unknown {
  if (raw === null || raw === undefined) return null;
  switch (f.type) {
    case 'boolean':
      if (typeof raw !== 'boolean')
        fail(
          'JSON_PARSER_ERROR',
          `Cannot deserialize instance of boolean from ${JSON.stringify(raw)} for field ${f.name}`,
          [f.name],
        );
      return raw;
    case 'double':
      if (typeof raw !== 'number')
        fail('JSON_PARSER_ERROR', `Cannot deserialize instance of double for field ${f.name}`, [
          f.name,
        ]);
      return raw;
    case 'datetime': {
      const ms = Date.parse(String(raw));
      if (Number.isNaN(ms))
        fail(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${f.name}: value not of required type: ${String(raw)}`,
          [f.name],
        );
      return sfDateTime(new Date(ms));
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(raw)))
        fail(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${f.name}: value not of required type: ${String(raw)}`,
          [f.name],
        );
      return String(raw);
    case 'reference': {
      const id = typeof raw === 'string' ? toId18(raw) : null;
      if (!id)
        fail('MALFORMED_ID', `${obj.label} ${f.name}: id value of incorrect type: ${String(raw)}`, [
          f.name,
        ]);
      if (!store.get(f.referenceTo!, id!))
        fail('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
      return id;
    }
    default: {
      if (typeof raw === 'object')
        fail(
          'JSON_PARSER_ERROR',
          `Cannot deserialize a text value from an object for field ${f.name}`,
          [f.name],
        );
      const s = String(raw);
      // A restricted picklist takes only its active values, on insert and update alike:
      // "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: bad value for restricted picklist field: X"
      // (Metadata API Picklist.restrictedPicklist: "only an admin can add or change values; users
      // can't load or remove values through the API").
      // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_picklist.htm
      if (f.picklist?.restricted && !f.picklist.values.some((v) => v.active && v.value === s))
        fail(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `bad value for restricted picklist field: ${s}`,
          [f.name],
        );
      if (f.length && s.length > f.length)
        fail(
          'STRING_TOO_LONG',
          `${f.name}: data value too large: ${s.slice(0, 40)} (max length=${f.length})`,
          [f.name],
        );
      return s;
    }
  }
}

/** Unique fields (Idempotency_Key__c, Username) may not collide with another record. */
function checkUnique(
  obj: ObjectDef,
  values: Record<string, unknown>,
  store: SObjectStore,
  selfId?: string,
) {
  for (const f of obj.fields) {
    if (!f.unique || values[f.name] == null) continue;
    const other = store.findBy(obj.name, f.name, values[f.name]).find((r) => r.Id !== selfId);
    if (other)
      fail(
        'DUPLICATE_VALUE',
        `duplicate value found: ${f.name} duplicates value on record with id: ${other.Id}`,
        [f.name],
      );
  }
}

/** Fields the platform computes: compound names, IsClosed/ClosedDate from Status. */
export function derive(type: string, rec: Record<string, unknown>, stamp: string) {
  if (type === 'Contact' || type === 'User')
    rec.Name = [rec.FirstName, rec.LastName].filter(Boolean).join(' ');
  if (type === 'Case') {
    const closed = rec.Status === 'Closed';
    if (closed && !rec.IsClosed) rec.ClosedDate = stamp;
    if (!closed) rec.ClosedDate = null;
    rec.IsClosed = closed;
  }
}

const DEFAULTS: Record<string, Record<string, unknown>> = {
  Case: { Status: 'New', Priority: 'Medium', IsEscalated: false },
  CaseComment: { IsPublished: false },
  Contact: { HasOptedOutOfEmail: false },
  User: { IsActive: true },
};

/** Creates a record from an API body; returns it. */
export function createRecord(
  obj: ObjectDef,
  body: Record<string, unknown>,
  ctx: WriteContext,
): SObjectRecord {
  const values = validateWrite(obj, body, 'create', ctx);
  checkUnique(obj, values, ctx.store);
  const stamp = sfDateTime(ctx.now ?? new Date());
  const rec: SObjectRecord = { Id: ctx.store.newId(obj.name), ...DEFAULTS[obj.name] };
  for (const [k, v] of Object.entries(values)) if (v !== null) rec[k] = v;
  if (obj.byLower.has('ownerid') && !rec.OwnerId) rec.OwnerId = ctx.userId;
  if (obj.name === 'Case')
    rec.CaseNumber = String(ctx.store.next('Case.CaseNumber', 0)).padStart(8, '0');
  if (obj.name === 'User') rec.UserType = 'Standard';
  // An auto-number Name, as a custom object created with "Record Name: Auto Number" has.
  if (obj.name === 'Case_Comment_Request__c')
    rec.Name = `CCR-${String(ctx.store.next('Case_Comment_Request__c.Name', 0)).padStart(8, '0')}`;
  Object.assign(rec, {
    IsDeleted: false,
    CreatedDate: stamp,
    CreatedById: ctx.userId,
    LastModifiedDate: stamp,
    LastModifiedById: ctx.userId,
    SystemModstamp: stamp,
  });
  derive(obj.name, rec, stamp);
  return rec;
}

/** Validates an update against an existing record and returns the full set of changed fields. */
export function updateValues(
  obj: ObjectDef,
  existing: SObjectRecord,
  body: Record<string, unknown>,
  ctx: WriteContext,
) {
  const values = validateWrite(obj, body, 'update', ctx);
  checkUnique(obj, values, ctx.store, existing.Id);
  const stamp = sfDateTime(ctx.now ?? new Date());
  const next: Record<string, unknown> = {
    ...values,
    LastModifiedDate: stamp,
    LastModifiedById: ctx.userId,
    SystemModstamp: stamp,
  };
  const merged = { ...existing, ...next };
  derive(obj.name, merged, stamp);
  for (const k of ['Name', 'IsClosed', 'ClosedDate'])
    if (k in merged && merged[k] !== existing[k]) next[k] = merged[k];
  return next;
}

// sObject Collections (/composite/sobjects): create/update/delete up to 200 records with
// allOrNone semantics and per-record `statusCode` errors; retrieve up to 2000 ids
// (docs/salesforce/crm-rest.md#sobject-collections).
import { toId18 } from '../ids.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { ApiError, Journal, type ApiCall, type ApiResult } from './api-call.js';
import { READ_ONLY_OBJECTS, objectDef } from './metadata.js';
import {
  createRecord,
  resolveFieldList,
  shapeRecord,
  updateValues,
  WriteFailure,
  type WriteError,
} from './records.js';
import { asApiError, typeOrNotFound } from './sobjects-api.js';

const ROLLED_BACK: WriteError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

type Outcome = { id?: string; success: boolean; errors: WriteError[] };

const tooMany = (max: number) =>
  new ApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${max} records into this call`,
  );

/** Runs one write per item inside a journal; on allOrNone failure rolls everything back. */
function runAll<T>(
  core: EmulatorCore,
  call: ApiCall,
  items: T[],
  allOrNone: boolean,
  one: (item: T, journal: Journal) => string,
): Outcome[] {
  const journal = new Journal(core.sobjects);
  const results: Outcome[] = items.map((item) => {
    try {
      return { id: one(item, journal), success: true, errors: [] };
    } catch (err) {
      if (err instanceof WriteFailure) return { success: false, errors: [err.error] };
      const api = asApiError(err);
      if (api instanceof ApiError)
        return {
          success: false,
          errors: [{ statusCode: api.errorCode, message: api.message, fields: api.fields ?? [] }],
        };
      throw err;
    }
  });
  if (allOrNone && results.some((r) => !r.success)) {
    journal.rollback();
    return results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r));
  }
  // Outside an all-or-none scope the writes stand; inside a Composite scope they join its journal.
  if (call.journal) call.journal.adopt(journal);
  else journal.commit(call.userId);
  return results;
}

type Rec = Record<string, unknown> & { attributes?: { type?: string } };

const fail = (statusCode: string, message: string, fields: string[] = []): never => {
  throw new WriteFailure({ statusCode, message, fields });
};

export function collectionsRoute(core: EmulatorCore, call: ApiCall, parts: string[]): ApiResult {
  const store = core.sobjects;
  // One transaction, one timestamp: every record's LastModifiedDate is the same, so the same
  // change to several records is the same change (one merged change event).
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_merged_events.htm
  const writeCtx = { store, userId: call.userId, now: new Date() };
  if (parts.length === 0) {
    const body = (call.body ?? {}) as { allOrNone?: boolean; records?: Rec[] };
    if (call.method === 'DELETE') {
      const ids = (call.query.get('ids') ?? '').split(',').filter(Boolean);
      if (!ids.length) throw new ApiError(400, 'MALFORMED_QUERY', 'ids parameter is required');
      if (ids.length > 200) throw tooMany(200);
      const results = runAll(
        core,
        call,
        ids,
        call.query.get('allOrNone') === 'true',
        (raw, journal) => {
          const id = toId18(raw);
          const type =
            id &&
            [...['Case', 'CaseComment', 'Contact', 'Account', 'User']].find((t) =>
              store.get(t, id),
            );
          if (id && !type && store.get('OauthToken', id))
            fail('INVALID_TYPE_FOR_OPERATION', 'entity type cannot be deleted');
          if (!id || !type) fail('ENTITY_IS_DELETED', 'entity is deleted');
          journal.delete(type!, id!);
          return id!;
        },
      );
      return {
        status: 200,
        body: results.map((r, i) => ({ id: r.id ?? ids[i], success: r.success, errors: r.errors })),
      };
    }
    if (call.method !== 'POST' && call.method !== 'PATCH')
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${call.method}' not allowed. Allowed are POST,PATCH,DELETE`,
      );
    if (!Array.isArray(body.records))
      throw new ApiError(400, 'JSON_PARSER_ERROR', 'records is required');
    if (body.records.length > 200) throw tooMany(200);
    const creating = call.method === 'POST';
    const results = runAll(core, call, body.records, body.allOrNone === true, (rec, journal) => {
      const type = rec?.attributes?.type;
      const obj = type ? objectDef(type) : undefined;
      if (!obj)
        fail(
          'INVALID_TYPE',
          type ? `sObject type '${type}' is not supported.` : 'Must specify a type for each record',
          [],
        );
      if (READ_ONLY_OBJECTS.has(obj!.name))
        fail(
          'INVALID_TYPE_FOR_OPERATION',
          `entity type cannot be ${creating ? 'inserted' : 'updated'}`,
        );
      const { attributes: _a, id: rawId, Id: rawId2, ...fields } = rec;
      if (creating) {
        if (rawId ?? rawId2) fail('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
        const created = createRecord(obj!, fields, writeCtx);
        journal.insert(obj!.name, created);
        return created.Id;
      }
      const id = toId18(String(rawId ?? rawId2 ?? ''));
      const existing = id ? store.get(obj!.name, id) : undefined;
      if (!existing)
        fail(
          id ? 'ENTITY_IS_DELETED' : 'MALFORMED_ID',
          id ? 'entity is deleted' : 'invalid record id',
          [],
        );
      const next = updateValues(obj!, existing!, fields, writeCtx);
      journal.update(obj!.name, existing!.Id, next);
      return existing!.Id;
    });
    return {
      status: 200,
      body: results.map((r) =>
        r.success ? { id: r.id, success: true, errors: [] } : { success: false, errors: r.errors },
      ),
    };
  }
  if (parts.length === 1) {
    const obj = typeOrNotFound(parts[0]);
    let ids: string[];
    let fieldNames: string[];
    if (call.method === 'GET') {
      ids = (call.query.get('ids') ?? '').split(',').filter(Boolean);
      fieldNames = (call.query.get('fields') ?? '').split(',').filter(Boolean);
      if (ids.length > 800) throw new ApiError(414, 'URI_TOO_LONG', 'Request-URI Too Long');
    } else if (call.method === 'POST') {
      const body = (call.body ?? {}) as { ids?: unknown; fields?: unknown };
      if (!Array.isArray(body.ids) || !Array.isArray(body.fields))
        throw new ApiError(400, 'JSON_PARSER_ERROR', 'ids and fields are required');
      ids = body.ids.map(String);
      fieldNames = body.fields.map(String);
      if (ids.length > 2000) throw tooMany(2000);
    } else
      throw new ApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${call.method}' not allowed. Allowed are GET,POST`,
      );
    if (!ids.length || !fieldNames.length)
      throw new ApiError(400, 'MALFORMED_QUERY', 'Both ids and fields are required');
    let fields;
    try {
      fields = resolveFieldList(obj, fieldNames);
    } catch (err) {
      throw asApiError(err);
    }
    return {
      status: 200,
      body: ids.map((raw) => {
        const id = toId18(raw);
        const rec = id ? store.get(obj.name, id) : undefined;
        return rec ? shapeRecord(obj, rec, call.version, fields) : null;
      }),
    };
  }
  throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

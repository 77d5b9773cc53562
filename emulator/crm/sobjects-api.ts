// sObject resources: global describe, describe, CRUD by id, get and upsert by external id
// (docs/salesforce/crm-rest.md#records-and-ids, crm-rest.md#upsert-by-external-id).
import { toId18 } from '../ids.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import { ApiError, Journal, notFound, type ApiCall, type ApiResult } from './api-call.js';
import { OBJECTS, READ_ONLY_OBJECTS, objectDef, describeType, type ObjectDef } from './metadata.js';
import {
  createRecord,
  recordUrl,
  resolveFieldList,
  shapeRecord,
  updateValues,
  WriteFailure,
} from './records.js';

export function typeOrNotFound(name: string): ObjectDef {
  const obj = objectDef(name);
  if (!obj) throw notFound();
  return obj;
}

/** A WriteFailure as the single-record REST error envelope (errorCode instead of statusCode). */
export function asApiError(err: unknown): unknown {
  if (err instanceof WriteFailure)
    return new ApiError(400, err.error.statusCode, err.error.message, err.error.fields);
  return err;
}

export function describe(obj: ObjectDef, version: string) {
  const base = `/services/data/${version}/sobjects/${obj.name}`;
  return {
    name: obj.name,
    label: obj.label,
    keyPrefix: obj.fields.length ? (OBJECT_PREFIX[obj.name] ?? null) : null,
    custom: obj.name.endsWith('__c'),
    createable: obj.name !== 'TwoFactorMethodsInfo' && !READ_ONLY_OBJECTS.has(obj.name),
    updateable: obj.name !== 'TwoFactorMethodsInfo' && !READ_ONLY_OBJECTS.has(obj.name),
    deletable: obj.name !== 'TwoFactorMethodsInfo' && !READ_ONLY_OBJECTS.has(obj.name),
    queryable: true,
    retrieveable: true,
    fields: obj.fields.map((f) => ({
      name: f.name,
      label: f.name.replace(/__c$/, '').replace(/_/g, ' '),
      type: describeType(f.type),
      length:
        f.length ??
        (f.type === 'id' || f.type === 'reference'
          ? 18
          : ['string', 'email', 'phone', 'picklist'].includes(f.type)
            ? 255
            : 0),
      nillable: !f.required && f.type !== 'boolean' && f.name !== 'Id',
      createable: !f.readOnly,
      updateable: !f.readOnly,
      custom: f.name.endsWith('__c'),
      externalId: !!f.externalId,
      unique: !!f.unique,
      caseSensitive: !!f.caseSensitive,
      idLookup: f.name === 'Id' || !!f.externalId,
      referenceTo: f.referenceTo ? [f.referenceTo] : [],
      relationshipName: f.relationshipName ?? null,
      // DescribeFieldResult.picklistValues (PicklistEntry: active, defaultValue, label, validFor,
      // value) and restrictedPicklist; [] and false for other fields.
      // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
      picklistValues: (f.picklist?.values ?? []).map((v) => ({
        active: v.active,
        defaultValue: !!v.defaultValue,
        label: v.value,
        validFor: null,
        value: v.value,
      })),
      restrictedPicklist: !!f.picklist?.restricted,
    })),
    childRelationships: [],
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}

const OBJECT_PREFIX: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Case: '500',
  CaseComment: '00a',
  Case_Comment_Request__c: 'a0C',
  User: '005',
  TwoFactorMethodsInfo: '0Tf',
  OauthToken: '0CR',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  Profile: '00e',
  UserLicense: '100',
  NetworkAuthApiSettings: '0nA',
};

/**
 * DML on an object whose supported calls exclude it (OauthToken: describe and query only).
 * Error code and texts [P]: the platform's INVALID_TYPE_FOR_OPERATION "entity type cannot be …".
 */
export function refuseDml(obj: ObjectDef, op: 'inserted' | 'updated' | 'deleted'): void {
  if (READ_ONLY_OBJECTS.has(obj.name))
    throw new ApiError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be ${op}`);
}

const methodNotAllowed = (method: string, allowed: string) =>
  new ApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  );

export function sobjectsRoute(core: EmulatorCore, call: ApiCall, parts: string[]): ApiResult {
  if (call.journal) return sobjectsRouteIn(core, call, parts, call.journal);
  // A call of its own is its own transaction: what it wrote is committed when it returns.
  const journal = new Journal(core.sobjects);
  try {
    return sobjectsRouteIn(core, call, parts, journal);
  } finally {
    journal.commit(call.userId);
  }
}

function sobjectsRouteIn(
  core: EmulatorCore,
  call: ApiCall,
  parts: string[],
  journal: Journal,
): ApiResult {
  const store = core.sobjects;
  const { version } = call;
  const writeCtx = { store, userId: call.userId };
  if (parts.length === 0) {
    if (call.method !== 'GET') throw methodNotAllowed(call.method, 'GET');
    return {
      status: 200,
      body: {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [...OBJECTS.values()].map((o) => {
          const d = describe(o, version);
          return {
            name: d.name,
            label: d.label,
            keyPrefix: d.keyPrefix,
            custom: d.custom,
            queryable: true,
            urls: d.urls,
          };
        }),
      },
    };
  }
  const obj = typeOrNotFound(parts[0]);
  if (parts.length === 1) {
    if (call.method === 'GET')
      return { status: 200, body: { objectDescribe: describe(obj, version), recentItems: [] } };
    if (call.method !== 'POST') throw methodNotAllowed(call.method, 'GET,POST');
    refuseDml(obj, 'inserted');
    try {
      const body = call.body as Record<string, unknown>;
      if (body && typeof body === 'object' && 'Id' in body)
        throw new ApiError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
          ['Id'],
        );
      const rec = createRecord(obj, body, writeCtx);
      journal.insert(obj.name, rec);
      return {
        status: 201,
        body: { id: rec.Id, success: true, errors: [] },
        headers: { Location: recordUrl(version, obj.name, rec.Id) },
      };
    } catch (err) {
      throw asApiError(err);
    }
  }
  if (parts.length === 2 && parts[1] === 'describe') {
    if (call.method !== 'GET') throw methodNotAllowed(call.method, 'GET');
    return { status: 200, body: describe(obj, version) };
  }
  if (parts.length === 2) {
    const id = toId18(parts[1]);
    const rec = id ? store.get(obj.name, id) : undefined;
    switch (call.method) {
      case 'GET': {
        if (!rec) throw notFound();
        const fields = call.query.get('fields');
        return {
          status: 200,
          body: shapeRecord(
            obj,
            rec,
            version,
            fields ? wrap(() => resolveFieldList(obj, fields.split(','))) : undefined,
          ),
        };
      }
      case 'PATCH': {
        if (!rec) throw notFound();
        refuseDml(obj, 'updated');
        const next = wrap(() =>
          updateValues(obj, rec, call.body as Record<string, unknown>, writeCtx),
        );
        journal.update(obj.name, rec.Id, next);
        return { status: 204 };
      }
      case 'DELETE':
        if (!rec) throw notFound();
        refuseDml(obj, 'deleted');
        journal.delete(obj.name, rec.Id);
        return { status: 204 };
      default:
        throw methodNotAllowed(call.method, 'GET,PATCH,DELETE');
    }
  }
  if (parts.length === 3)
    return externalIdRoute(core, call, obj, parts[1], decodeURIComponent(parts[2]), journal);
  throw notFound();
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asApiError(err);
  }
}

/**
 * GET and upsert by external id: `/sobjects/{object}/{externalIdField}/{value}`. PATCH inserts
 * when no record has the value (201, `created: true` from API 46.0), updates the one that has it
 * (200 `created: false`; 204 before 46.0), answers 300 with the candidates when several have it,
 * and refuses the field in the body (the URL names it).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_upsert.htm
 */
function externalIdRoute(
  core: EmulatorCore,
  call: ApiCall,
  obj: ObjectDef,
  fieldName: string,
  value: string,
  journal: Journal,
): ApiResult {
  const store = core.sobjects;
  const f = obj.byLower.get(fieldName.toLowerCase());
  if (!f || !(f.externalId || f.name === 'Id')) throw notFound();
  const matches =
    f.name === 'Id'
      ? [store.get(obj.name, toId18(value) ?? '')].filter((r) => !!r)
      : store.findBy(obj.name, f.name, value);
  const multiple = (): ApiResult => ({
    status: 300,
    body: matches.map((m) => recordUrl(call.version, obj.name, m!.Id)),
  });
  if (call.method === 'GET') {
    if (matches.length > 1) return multiple();
    if (!matches[0]) throw notFound();
    const fields = call.query.get('fields');
    return {
      status: 200,
      body: shapeRecord(
        obj,
        matches[0],
        call.version,
        fields ? wrap(() => resolveFieldList(obj, fields.split(','))) : undefined,
      ),
    };
  }
  if (call.method !== 'PATCH') throw methodNotAllowed(call.method, 'GET,PATCH');
  const body = (call.body ?? {}) as Record<string, unknown>;
  const keys = Object.keys(body).map((k) => k.toLowerCase());
  if (keys.includes('id'))
    throw new ApiError(400, 'INVALID_FIELD', 'Id is not allowed in the request body of an upsert', [
      'Id',
    ]);
  if (keys.includes(f.name.toLowerCase()))
    throw new ApiError(
      400,
      'INVALID_FIELD',
      `${f.name} is specified in the URL and must not be in the request body`,
      [f.name],
    );
  if (matches.length > 1) return multiple();
  const newApi = Number(call.version.slice(1)) >= 46;
  const writeCtx = { store, userId: call.userId };
  if (matches[0]) {
    const next = wrap(() => updateValues(obj, matches[0]!, body, writeCtx));
    journal.update(obj.name, matches[0].Id, next);
    return newApi
      ? { status: 200, body: { id: matches[0].Id, success: true, errors: [], created: false } }
      : { status: 204 };
  }
  if (call.query.get('updateOnly') === 'true') throw notFound();
  const rec = wrap(() => createRecord(obj, { ...body, [f.name]: value }, writeCtx));
  journal.insert(obj.name, rec);
  return {
    status: 201,
    body: { id: rec.Id, success: true, errors: [], ...(newApi ? { created: true } : {}) },
    headers: { Location: recordUrl(call.version, obj.name, rec.Id) },
  };
}

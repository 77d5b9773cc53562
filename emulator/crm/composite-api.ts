// Composite (POST /composite): up to 25 subrequests in one call, @{ref.path} references into
// earlier answers, allOrNone rollback with PROCESSING_HALTED
// (docs/salesforce/crm-rest.md#composite).
import { ApiError, Journal, type ApiCall, type ApiResult } from './api-call.js';
import type { SObjectStore } from './sobject-store.js';

interface SubRequest {
  method?: string;
  url?: string;
  referenceId?: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const HALTED =
  'The transaction was rolled back since another operation in the same transaction failed.';

class BadReference extends Error {}

/** Follows `records[0].Id`-style paths into a JSON value. */
function lookupPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function substitute(value: unknown, done: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.|\[)[^}]*)\}/g,
      (_m, ref: string, rest: string) => {
        const sub = done.get(ref);
        const found =
          sub && sub.httpStatusCode < 400
            ? lookupPath(sub.body, rest.replace(/^\./, ''))
            : undefined;
        if (found === undefined || found === null || typeof found === 'object')
          throw new BadReference(
            `Invalid reference specified. No value for ${ref}${rest} found in ${ref}. Provided referenceId ('${ref}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
          );
        return String(found);
      },
    );
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, done));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, done);
    return out;
  }
  return value;
}

export function compositeRoute(
  store: SObjectStore,
  call: ApiCall,
  dispatch: (c: ApiCall) => ApiResult,
): ApiResult {
  if (call.sub) throw new ApiError(400, 'INVALID_API_INPUT', 'Composite requests cannot be nested');
  if (call.method !== 'POST')
    throw new ApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${call.method}' not allowed. Allowed are POST`,
    );
  const body = (call.body ?? {}) as { allOrNone?: boolean; compositeRequest?: SubRequest[] };
  const subs = body.compositeRequest;
  if (!Array.isArray(subs) || !subs.length)
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
  if (subs.length > 25)
    throw new ApiError(
      400,
      'LIMIT_EXCEEDED',
      'Composite request cannot have more than 25 subrequests',
    );
  const refs = new Set<string>();
  for (const s of subs) {
    if (!s.referenceId || !/^[A-Za-z][A-Za-z0-9_]*$/.test(s.referenceId) || refs.has(s.referenceId))
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `Invalid or duplicate referenceId: ${s.referenceId ?? ''}`,
      );
    if (!s.method || !s.url)
      throw new ApiError(400, 'INVALID_INPUT', 'Each subrequest needs a method and a url');
    refs.add(s.referenceId);
  }
  const allOrNone = body.allOrNone === true;
  const journal = new Journal(store);
  const done = new Map<string, SubResponse>();
  const out: SubResponse[] = [];
  let failedAt = -1;
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i];
    let result: ApiResult;
    try {
      const url = substitute(s.url, done) as string;
      const m = /^\/services\/data\/(v\d+\.\d+)(\/[^?]*)(?:\?(.*))?$/.exec(url);
      if (!m) throw new ApiError(400, 'INVALID_INPUT', `Invalid URL: ${url}`);
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(s.httpHeaders ?? {})) headers[k.toLowerCase()] = v;
      result = dispatch({
        method: s.method!.toUpperCase(),
        path: m[2],
        version: m[1],
        query: new URLSearchParams(m[3] ?? ''),
        body: substitute(s.body, done),
        headers,
        userId: call.userId,
        journal,
        sub: true,
      });
    } catch (err) {
      if (err instanceof BadReference)
        result = { status: 400, body: [{ errorCode: 'PROCESSING_HALTED', message: err.message }] };
      else if (err instanceof ApiError) result = err.toResult();
      else throw err;
    }
    const sub: SubResponse = {
      body: result.body ?? null,
      httpHeaders: result.headers ?? {},
      httpStatusCode: result.status,
      referenceId: s.referenceId!,
    };
    done.set(s.referenceId!, sub);
    out.push(sub);
    if (result.status >= 400 && allOrNone) {
      failedAt = i;
      break;
    }
  }
  if (failedAt >= 0) {
    journal.rollback();
    const halted = (referenceId: string): SubResponse => ({
      body: [{ errorCode: 'PROCESSING_HALTED', message: HALTED }],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId,
    });
    return {
      status: 200,
      body: {
        compositeResponse: subs.map((s, i) => (i === failedAt ? out[i] : halted(s.referenceId!))),
      },
    };
  }
  if (call.journal) call.journal.adopt(journal);
  else journal.commit(call.userId);
  return { status: 200, body: { compositeResponse: out } };
}

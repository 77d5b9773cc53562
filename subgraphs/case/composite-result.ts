// Reading a Composite answer: the record of a successful subrequest, or the first CRM error.
import { UpstreamError } from '../../lib/errors.js';
import type { CompositeSubresponse, CrmErrorItem } from './upstream-types.js';

export type SubResult<T> =
  { ok: true; body: T } | { ok: false; status: number; error: CrmErrorItem };

export function subResult<T>(responses: CompositeSubresponse[], referenceId: string): SubResult<T> {
  const r = responses.find((x) => x.referenceId === referenceId);
  if (!r) throw new UpstreamError('crm', 502, undefined, `composite answer lacks ${referenceId}`);
  if (r.httpStatusCode < 400) return { ok: true, body: r.body as T };
  const error = (Array.isArray(r.body) ? r.body[0] : undefined) as CrmErrorItem | undefined;
  return {
    ok: false,
    status: r.httpStatusCode,
    error: error ?? { errorCode: 'UNKNOWN_EXCEPTION', message: 'no error body' },
  };
}

/** The first real failure of an all-or-none composite (the others say PROCESSING_HALTED). */
export function firstFailure(responses: CompositeSubresponse[]): SubResult<never> | undefined {
  const failures = responses
    .map((r) => subResult<never>(responses, r.referenceId))
    .filter((r) => !r.ok);
  return failures.find((f) => !f.ok && f.error.errorCode !== 'PROCESSING_HALTED') ?? failures[0];
}

export function toUpstreamError(f: SubResult<never>): UpstreamError {
  if (f.ok) throw new Error('not a failure');
  return new UpstreamError(
    'crm',
    f.status,
    f.error.errorCode,
    `CRM composite subrequest failed with ${f.error.errorCode}`,
  );
}

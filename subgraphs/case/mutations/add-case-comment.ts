// addCaseComment, idempotent per (principal, idempotency key). CaseComment cannot carry custom
// fields, so each request is recorded in a custom object of the org contract
// (config.caseCommentRequestObject, default Case_Comment_Request__c; docs/real-org.md) whose
// Idempotency_Key__c is a unique, case-sensitive External ID: base64url(SHA-256(actor, client
// key)). An External ID field is indexed, so finding the key is an index probe (it replaced a
// `LIKE '%tag%'` scan over every CaseComment of the org), and a unique field refuses a second
// record with the same key (DUPLICATE_VALUE), inside Salesforce:
//   1. one Composite call reads the case (GET /sobjects/Case/{id}), the request recorded under
//      the key (GET /sobjects/{object}/Idempotency_Key__c/{key}: get by external id) and the
//      comment it made;
//   2. none: ONE all-or-none Composite call — one transaction — creates the comment and the
//      request record pointing at it, and reads the comment back. If the key is taken meanwhile
//      (another replica, or an earlier attempt that committed late, after everyone gave up),
//      the request insert fails with DUPLICATE_VALUE and Salesforce rolls the comment back: the
//      key cannot make two comments however late a write commits.
// A request recorded on the same case with the same text (its fingerprint) is a retry: the
// comment is answered. On another case, or with other text, the key was reused:
// IDEMPOTENCY_KEY_REUSED, no write.
// Racing retries are serialised by the server's KeyedLock; while an earlier attempt's outcome is
// unknown (lib/keyed-lock.ts) a retry only reads: found, it answers; not yet, IDEMPOTENCY_KEY_IN_USE.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm (allOrNone)
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm (get by external id)
import { ErrorCode, graphqlError } from '../../../lib/errors.js';
import { checkIdempotencyKey } from '../../../lib/graphql/index.js';
import type { Attempt } from '../../../lib/keyed-lock.js';
import type { AddCaseCommentInput, UserError } from '../__generated__/resolvers-types.js';
import { subResult, firstFailure, toUpstreamError } from '../composite-result.js';
import type { Context } from '../context.js';
import { CASE_FIELDS, COMMENT_FIELDS, type CaseCommentModel, type CaseModel } from '../mappers.js';
import { maySeeContact } from '../access.js';
import { actorOf, fingerprint, lockKey, scopedKey } from '../idempotency.js';
import { pathSegment, sfId } from '../ids.js';
import type { CompositeSubresponse } from '../upstream-types.js';
import { UserErrors } from '../user-errors.js';

/** CaseComment.CommentBody is a 4,000-character text area. */
const MAX_BODY = 4000;

/** The request record's fields (the org contract). */
export const REQUEST_FIELDS = {
  key: 'Idempotency_Key__c',
  case: 'Case__c',
  fingerprint: 'Fingerprint__c',
  comment: 'Case_Comment_Id__c',
} as const;

interface RequestRecord {
  Case__c: string | null;
  Fingerprint__c: string | null;
  Case_Comment_Id__c: string | null;
}

type Payload = {
  comment: CaseCommentModel | null;
  case: CaseModel | null;
  userErrors: UserError[];
};

const notFound = (): Payload => ({
  comment: null,
  case: null,
  userErrors: [UserErrors.caseNotFound()],
});

export async function addCaseComment(ctx: Context, input: AddCaseCommentInput): Promise<Payload> {
  const p = ctx.principal;
  if (p.kind === 'anonymous')
    throw graphqlError(ErrorCode.UNAUTHENTICATED, 'Sign in to comment on a case.');
  const errors: UserError[] = [];
  const body = input.body.trim();
  if (!body) errors.push(UserErrors.bodyRequired());
  const keyError = checkIdempotencyKey(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  if (body.length > MAX_BODY) errors.push(UserErrors.bodyTooLong(MAX_BODY));
  if (errors.length) return { comment: null, case: null, userErrors: errors };
  // Not a Case id: there is no such case, and the value never reaches the org.
  const caseId = sfId('Case', input.caseId);
  if (!caseId) return notFound();

  const actor = actorOf(p);
  const request = {
    key: scopedKey(actor, input.idempotencyKey),
    print: fingerprint('addCaseComment/v1', [caseId, body]).toString('base64url'),
    body,
    caseId,
  };
  return ctx.lock.run(lockKey('addCaseComment', actor, input.idempotencyKey), (attempt) =>
    commentOnce(ctx, request, attempt),
  );
}

interface CommentRequest {
  key: string;
  print: string;
  body: string;
  caseId: string;
}

async function commentOnce(
  ctx: Context,
  request: CommentRequest,
  attempt: Attempt,
  again = false,
): Promise<Payload> {
  const p = ctx.principal;
  const object = ctx.config.caseCommentRequestObject;
  const byKeyPath = `/sobjects/${object}/${REQUEST_FIELDS.key}/${pathSegment(request.key)}`;
  const reads = await ctx.crm.composite(
    [
      {
        method: 'GET',
        path: `/sobjects/Case/${pathSegment(request.caseId)}?fields=${CASE_FIELDS.join(',')}`,
        referenceId: 'theCase',
      },
      {
        method: 'GET',
        path: `${byKeyPath}?fields=${[REQUEST_FIELDS.case, REQUEST_FIELDS.fingerprint, REQUEST_FIELDS.comment].join(',')}`,
        referenceId: 'byKey',
      },
      {
        // Fails (PROCESSING_HALTED / 404) when the key has no request yet: expected.
        method: 'GET',
        path: `/sobjects/CaseComment/@{byKey.${REQUEST_FIELDS.comment}}?fields=${COMMENT_FIELDS.join(',')}`,
        referenceId: 'earlier',
      },
    ],
    { allOrNone: false, collateSubrequests: false },
  );
  const caseRead = subResult<CaseModel>(reads, 'theCase');
  if (!caseRead.ok && caseRead.status !== 404) throw toUpstreamError(caseRead);
  const c = caseRead.ok ? caseRead.body : null;
  if (!c || !maySeeContact(p, c.ContactId)) return notFound();
  ctx.loaders.caseById.prime(c.Id, c);
  const byKey = subResult<RequestRecord>(reads, 'byKey');
  if (byKey.ok) {
    const earlier = subResult<CaseCommentModel>(reads, 'earlier');
    const same = byKey.body.Case__c === c.Id && byKey.body.Fingerprint__c === request.print;
    if (!same)
      return { comment: null, case: null, userErrors: [UserErrors.idempotencyKeyReused()] };
    // The comment is gone (deleted by an agent): the request is still answered, without it.
    if (!earlier.ok && earlier.status !== 404) throw toUpstreamError(earlier);
    return { comment: earlier.ok ? earlier.body : null, case: c, userErrors: [] };
  }
  if (byKey.status !== 404) throw toUpstreamError(byKey);
  // An earlier attempt may still commit: never write beside it.
  if (attempt.outcomeUnknown) throw attempt.inUse();

  const responses = await ctx.crm.composite(
    [
      {
        method: 'POST',
        path: '/sobjects/CaseComment',
        referenceId: 'newComment',
        body: { ParentId: c.Id, CommentBody: request.body, IsPublished: true },
      },
      {
        method: 'POST',
        path: `/sobjects/${object}`,
        referenceId: 'newRequest',
        body: {
          [REQUEST_FIELDS.key]: request.key,
          [REQUEST_FIELDS.case]: c.Id,
          [REQUEST_FIELDS.fingerprint]: request.print,
          [REQUEST_FIELDS.comment]: '@{newComment.id}',
        },
      },
      {
        method: 'GET',
        path: `/sobjects/CaseComment/@{newComment.id}?fields=${COMMENT_FIELDS.join(',')}`,
        referenceId: 'readComment',
      },
    ],
    { allOrNone: true },
  );
  const failure = firstFailure(responses);
  if (failure) {
    // The key was taken in between (another replica, a late commit): this transaction was
    // rolled back; what the key holds now is the answer (once).
    if (duplicateKey(responses)) {
      if (!again) return commentOnce(ctx, request, attempt, true);
      // Taken, yet not readable: another transaction holding the key has not committed.
      throw attempt.inUse();
    }
    throw toUpstreamError(failure);
  }
  const read = subResult<CaseCommentModel>(responses, 'readComment');
  // The case's comment list of this request is stale now.
  ctx.loaders.commentsByCase.clear(c.Id);
  return { comment: read.ok ? read.body : null, case: c, userErrors: [] };
}

function duplicateKey(responses: CompositeSubresponse[]): boolean {
  const r = subResult<never>(responses, 'newRequest');
  return !r.ok && r.error.errorCode === 'DUPLICATE_VALUE';
}

// addCaseComment, idempotent per (principal, idempotency key), serialised per key by the
// server's KeyedLock (racing retries run one after the other, the later ones find the first
// one's comment):
//   1. one Composite call reads the case (GET /sobjects/Case/{id}) and looks for a comment this
//      key already made, on any case (SOQL on the invisible marker's key tag, comment-marker.ts);
//   2. none: one Composite call creates the comment (body + marker) and reads it back.
// A comment with the key tag on the same case with the same text is a retry: it is answered.
// On another case, or with other text, the key was reused: IDEMPOTENCY_KEY_REUSED, no write.
import { ErrorCode, graphqlError } from '../../../lib/errors.js';
import { checkIdempotencyKey } from '../../../lib/graphql/index.js';
import type { AddCaseCommentInput, UserError } from '../__generated__/resolvers-types.js';
import type { QueryResult } from '../upstream-types.js';
import { commentMarker, keyTag, MARKER_LENGTH, markerOf } from '../comment-marker.js';
import { firstFailure, subResult, toUpstreamError } from '../composite-result.js';
import type { Context } from '../context.js';
import { CASE_FIELDS, COMMENT_FIELDS, type CaseCommentModel, type CaseModel } from '../mappers.js';
import { maySeeContact } from '../access.js';
import { actorOf, lockKey } from '../idempotency.js';
import { pathSegment, sfId } from '../ids.js';
import { soqlString } from '../soql.js';
import { UserErrors } from '../user-errors.js';

const MAX_BODY = 4000;

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
  if (body.length + MARKER_LENGTH > MAX_BODY)
    errors.push(UserErrors.bodyTooLong(MAX_BODY - MARKER_LENGTH));
  if (errors.length) return { comment: null, case: null, userErrors: errors };
  // Not a Case id: there is no such case, and the value never reaches the org.
  const caseId = sfId('Case', input.caseId);
  if (!caseId) return notFound();

  const actor = actorOf(p);
  const tag = keyTag(actor, input.idempotencyKey);
  const marker = commentMarker(actor, input.idempotencyKey, body);
  return ctx.lock.run(lockKey('addCaseComment', actor, input.idempotencyKey), async () => {
    const soql = `SELECT ${COMMENT_FIELDS.join(', ')} FROM CaseComment WHERE CommentBody LIKE ${soqlString(`%${tag}%`)} ORDER BY CreatedDate ASC, Id ASC LIMIT 1`;
    const reads = await ctx.crm.composite(
      [
        {
          method: 'GET',
          path: `/sobjects/Case/${pathSegment(caseId)}?fields=${CASE_FIELDS.join(',')}`,
          referenceId: 'theCase',
        },
        { method: 'GET', path: `/query?q=${encodeURIComponent(soql)}`, referenceId: 'byKey' },
      ],
      { allOrNone: false },
    );
    const caseRead = subResult<CaseModel>(reads, 'theCase');
    if (!caseRead.ok && caseRead.status !== 404) throw toUpstreamError(caseRead);
    const c = caseRead.ok ? caseRead.body : null;
    if (!c || !maySeeContact(p, c.ContactId)) return notFound();
    ctx.loaders.caseById.prime(c.Id, c);
    const byKey = subResult<QueryResult<CaseCommentModel>>(reads, 'byKey');
    if (!byKey.ok) throw toUpstreamError(byKey);
    const existing = byKey.body.records.find((x) => markerOf(x.CommentBody)?.startsWith(tag));
    if (existing)
      return existing.ParentId === c.Id && markerOf(existing.CommentBody) === marker
        ? { comment: existing, case: c, userErrors: [] }
        : { comment: null, case: null, userErrors: [UserErrors.idempotencyKeyReused()] };

    const responses = await ctx.crm.composite([
      {
        method: 'POST',
        path: '/sobjects/CaseComment',
        referenceId: 'newComment',
        body: { ParentId: c.Id, CommentBody: body + marker, IsPublished: true },
      },
      {
        method: 'GET',
        path: `/sobjects/CaseComment/@{newComment.id}?fields=${COMMENT_FIELDS.join(',')}`,
        referenceId: 'readComment',
      },
    ]);
    const failure = firstFailure(responses);
    if (failure) throw toUpstreamError(failure);
    const read = subResult<CaseCommentModel>(responses, 'readComment');
    // The case's comment list of this request is stale now.
    ctx.loaders.commentsByCase.clear(c.Id);
    return { comment: read.ok ? read.body : null, case: c, userErrors: [] };
  });
}

// addCaseComment: reads the case's comments, returns the one carrying this request's invisible
// marker if a previous attempt already created it (see comment-marker.ts), otherwise creates
// the comment and reads it back in one Composite call.
import { ErrorCode, graphqlError } from '../../lib/errors.js';
import type { AddCaseCommentInput, UserError } from './__generated__/resolvers-types.js';
import { commentMarker, hasMarker } from './comment-marker.js';
import { firstFailure, subResult, toUpstreamError } from './composite-result.js';
import type { Context } from './context.js';
import { COMMENT_FIELDS, type CaseCommentModel, type CaseModel } from './mappers.js';
import { visibleCase } from './access.js';
import { checkIdempotencyKey, userError } from './user-errors.js';

const MAX_BODY = 4000;

type Payload = {
  comment: CaseCommentModel | null;
  case: CaseModel | null;
  userErrors: UserError[];
};

export async function addCaseComment(ctx: Context, input: AddCaseCommentInput): Promise<Payload> {
  const p = ctx.principal;
  if (p.kind === 'anonymous')
    throw graphqlError(ErrorCode.UNAUTHENTICATED, 'Sign in to comment on a case.');
  const errors: UserError[] = [];
  const body = input.body.trim();
  const actor = p.kind === 'citizen' ? p.contactId : (p.userId ?? p.clientId ?? 'agent');
  if (!body)
    errors.push(userError('BODY_REQUIRED', ['input', 'body'], 'The comment cannot be empty.'));
  const keyError = checkIdempotencyKey(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  const markerLength = commentMarker('', '', '').length;
  if (body.length + markerLength > MAX_BODY)
    errors.push(
      userError(
        'BODY_TOO_LONG',
        ['input', 'body'],
        `The comment can be at most ${MAX_BODY - markerLength} characters.`,
      ),
    );
  if (errors.length) return { comment: null, case: null, userErrors: errors };

  const c = await visibleCase(ctx, input.caseId);
  if (!c)
    return {
      comment: null,
      case: null,
      userErrors: [userError('NOT_FOUND', ['input', 'caseId'], 'There is no such case.')],
    };
  // Keyed by the 18-character id the org returned, so a 15-character caseId on a retry still matches.
  const marker = commentMarker(c.Id, actor, input.idempotencyKey);
  const existing = (await ctx.loaders.commentsByCase.load(c.Id)).find((x) =>
    hasMarker(x.CommentBody, marker),
  );
  if (existing) return { comment: existing, case: c, userErrors: [] };

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
}

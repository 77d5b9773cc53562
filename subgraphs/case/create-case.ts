// createCase: one Composite call = upsert on Idempotency_Key__c + read back, so a retry with
// the same key returns the same case. The stored key is SHA-256(contactId, client key): keys
// are scoped per citizen (another citizen's identical key can never address this case) and
// always fit the 80-character external-id field.
import { createHash } from 'node:crypto';
import { ErrorCode, graphqlError } from '../../lib/errors.js';
import type { CreateCaseInput, UserError } from './__generated__/resolvers-types.js';
import type { Context } from './context.js';
import { firstFailure, subResult, toUpstreamError } from './composite-result.js';
import { CASE_FIELDS, type CaseModel } from './mappers.js';
import { checkIdempotencyKey, userError } from './user-errors.js';

const CONTACT_ID = /^003[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;
const PRIORITY = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' } as const;

export async function createCase(
  ctx: Context,
  input: CreateCaseInput,
): Promise<{ case: CaseModel | null; userErrors: UserError[] }> {
  const p = ctx.principal;
  if (p.kind === 'anonymous')
    throw graphqlError(ErrorCode.UNAUTHENTICATED, 'Sign in to open a case.');
  const errors: UserError[] = [];
  const subject = input.subject.trim();
  if (!subject)
    errors.push(
      userError(
        'SUBJECT_REQUIRED',
        ['input', 'subject'],
        'Please describe the request in the subject.',
      ),
    );
  else if (subject.length > 255)
    errors.push(
      userError(
        'SUBJECT_TOO_LONG',
        ['input', 'subject'],
        'The subject can be at most 255 characters.',
      ),
    );
  const keyError = checkIdempotencyKey(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  let contactId: string | null | undefined;
  if (p.kind === 'citizen') {
    if (input.contactId && input.contactId !== p.contactId)
      errors.push(
        userError('FORBIDDEN', ['input', 'contactId'], 'You can only open cases for yourself.'),
      );
    contactId = p.contactId;
  } else {
    contactId = input.contactId;
    if (!contactId || !CONTACT_ID.test(contactId))
      errors.push(
        userError(
          'CONTACT_REQUIRED',
          ['input', 'contactId'],
          'Agents must give the contact id of the citizen.',
        ),
      );
  }
  if (errors.length) return { case: null, userErrors: errors };

  const extKey = createHash('sha256')
    .update(`${contactId}\n${input.idempotencyKey}`)
    .digest('base64url');
  const responses = await ctx.crm.composite([
    {
      method: 'PATCH',
      path: `/sobjects/Case/Idempotency_Key__c/${extKey}`,
      referenceId: 'upsertCase',
      body: {
        Subject: subject,
        Description: input.description ?? null,
        Priority: PRIORITY[input.priority ?? 'MEDIUM'],
        Origin: 'Web',
        ContactId: contactId,
      },
    },
    {
      method: 'GET',
      path: `/sobjects/Case/@{upsertCase.id}?fields=${CASE_FIELDS.join(',')}`,
      referenceId: 'readCase',
    },
  ]);
  const failure = firstFailure(responses);
  if (failure && !failure.ok) {
    const code = failure.error.errorCode;
    if (code === 'INVALID_CROSS_REFERENCE_KEY' || code === 'MALFORMED_ID')
      return {
        case: null,
        userErrors: [
          userError(
            'CONTACT_NOT_FOUND',
            ['input', 'contactId'],
            'There is no citizen with this contact id.',
          ),
        ],
      };
    if (code === 'STRING_TOO_LONG')
      return {
        case: null,
        userErrors: [userError('INPUT_TOO_LONG', ['input'], 'A field of the case is too long.')],
      };
    throw toUpstreamError(failure);
  }
  const read = subResult<CaseModel>(responses, 'readCase');
  const created = read.ok ? read.body : null;
  if (created) ctx.loaders.caseById.prime(created.Id, created);
  return { case: created, userErrors: [] };
}

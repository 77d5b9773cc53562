// createCase, idempotent per (principal, idempotency key), in ONE Composite call (allOrNone
// false, strictly sequential):
//   1. POST /sobjects/Case with the key field = base64url(SHA-256(actor, client key)) and the
//      fingerprint field = base64url(SHA-256 of the normalised request: subject, description,
//      priority, contact). The key field is a unique external id, so a second insert with the
//      same key fails with DUPLICATE_VALUE and writes nothing
//      (docs/salesforce/crm-rest.md#upsert-by-external-id; Salesforce help "Custom Field
//      Attributes": a unique field rejects a duplicate value).
//   2. GET /sobjects/Case/{key field}/{key} (docs/salesforce/crm-rest.md#records-and-ids): the
//      case just created, or the one the key created before.
// A duplicate whose stored fingerprint matches is a retry: it answers the case as it is now
// (never a write, so an agent's later edits stay). A different fingerprint answers
// IDEMPOTENCY_KEY_REUSED. Cases created before fingerprints were stored (field empty) are
// answered as they are. Racing retries are serialised by the server's KeyedLock; the unique
// field is what keeps them to one case across replicas. While an earlier attempt's outcome is
// unknown (it sent the insert and got no answer; lib/keyed-lock.ts) a retry only reads the key:
// found, it is answered; not yet, IDEMPOTENCY_KEY_IN_USE.
// Field names come from the config (CASE_IDEMPOTENCY_KEY_FIELD, CASE_IDEMPOTENCY_FINGERPRINT_FIELD).
import { ErrorCode, graphqlError } from '../../../lib/errors.js';
import { checkIdempotencyKey } from '../../../lib/graphql/index.js';
import type { CreateCaseInput, UserError } from '../__generated__/resolvers-types.js';
import { maySeeContact } from '../access.js';
import type { Context } from '../context.js';
import { subResult, toUpstreamError } from '../composite-result.js';
import { actorOf, fingerprint, lockKey, scopedKey } from '../idempotency.js';
import { pathSegment, sfId } from '../ids.js';
import { CASE_FIELDS, priorityToCrm, type CaseModel } from '../mappers.js';
import { UserErrors } from '../user-errors.js';

/** Case.Subject is a 255-character text field in the org. */
const MAX_SUBJECT = 255;

type Payload = { case: CaseModel | null; userErrors: UserError[] };

const contactNotFound = (): Payload => ({
  case: null,
  userErrors: [UserErrors.contactNotFound()],
});

export async function createCase(ctx: Context, input: CreateCaseInput): Promise<Payload> {
  const p = ctx.principal;
  if (p.kind === 'anonymous')
    throw graphqlError(ErrorCode.UNAUTHENTICATED, 'Sign in to open a case.');
  const errors: UserError[] = [];
  const subject = input.subject.trim();
  if (!subject) errors.push(UserErrors.subjectRequired());
  else if (subject.length > MAX_SUBJECT) errors.push(UserErrors.subjectTooLong(MAX_SUBJECT));
  const keyError = checkIdempotencyKey(input.idempotencyKey);
  if (keyError) errors.push(keyError);
  let contactId: string | null = null;
  if (p.kind === 'citizen') {
    contactId = sfId('Contact', p.contactId);
    if (input.contactId && sfId('Contact', input.contactId) !== contactId)
      errors.push(UserErrors.notOwnContact());
    if (!contactId && !errors.length) return contactNotFound();
  } else if (!input.contactId) {
    errors.push(UserErrors.contactRequired());
  } else {
    contactId = sfId('Contact', input.contactId);
    // Not a Contact id at all: it can name no citizen, and it never reaches the org.
    if (!contactId && !errors.length) return contactNotFound();
  }
  if (errors.length || !contactId) return { case: null, userErrors: errors };

  const { caseIdempotencyKeyField: keyField, caseIdempotencyFingerprintField: fpField } =
    ctx.config;
  const actor = actorOf(p);
  const description = input.description ?? null;
  const picklists = ctx.config.casePicklists;
  const priority = priorityToCrm(picklists.priority, input.priority ?? 'MEDIUM');
  const key = scopedKey(actor, input.idempotencyKey);
  const print = fingerprint('createCase/v1', [subject, description, priority, contactId]).toString(
    'base64url',
  );
  const fields = [...CASE_FIELDS, keyField, fpField].join(',');

  /** The case the key already made: answered as it is now, or refused when the request differs. */
  const answerExisting = (existing: CaseModel & Record<string, unknown>): Payload => {
    const stored = existing[fpField];
    if (
      existing[keyField] !== key ||
      !maySeeContact(p, existing.ContactId) ||
      (typeof stored === 'string' && stored !== '' && stored !== print)
    )
      return { case: null, userErrors: [UserErrors.idempotencyKeyReused()] };
    ctx.loaders.caseById.prime(existing.Id, existing);
    return { case: existing, userErrors: [] };
  };

  return ctx.lock.run(lockKey('createCase', actor, input.idempotencyKey), async (attempt) => {
    if (attempt.outcomeUnknown) {
      // An earlier attempt sent its insert and got no answer: it may still commit. Only look
      // (get by external id); the unique key would refuse a second insert anyway, but a retry
      // must not answer before the first attempt's outcome is known.
      const found = await ctx.crm.call<CaseModel & Record<string, unknown>>({
        method: 'GET',
        path: `${ctx.crm.base}/sobjects/Case/${keyField}/${pathSegment(key)}?fields=${fields}`,
        accept: [404],
      });
      if (found.status === 404) throw attempt.inUse();
      return answerExisting(found.body);
    }
    const responses = await ctx.crm.composite(
      [
        {
          method: 'POST',
          path: '/sobjects/Case',
          referenceId: 'newCase',
          body: {
            Subject: subject,
            Description: description,
            Priority: priority,
            Origin: picklists.origin,
            ContactId: contactId,
            [keyField]: key,
            [fpField]: print,
          },
        },
        {
          method: 'GET',
          path: `/sobjects/Case/${keyField}/${pathSegment(key)}?fields=${fields}`,
          referenceId: 'caseByKey',
        },
      ],
      { allOrNone: false, collateSubrequests: false },
    );
    const insert = subResult<{ id: string }>(responses, 'newCase');
    const read = subResult<CaseModel & Record<string, unknown>>(responses, 'caseByKey');
    if (!insert.ok) {
      const code = insert.error.errorCode;
      if (code === 'INVALID_CROSS_REFERENCE_KEY' || code === 'MALFORMED_ID')
        return contactNotFound();
      if (code === 'STRING_TOO_LONG')
        return {
          case: null,
          userErrors: [UserErrors.inputTooLong()],
        };
      // The org refused a configured picklist value (CASE_ORIGIN, CASE_PRIORITY_VALUES: inactive
      // or not in a restricted picklist's value set): the org's configuration, not the caller's
      // input. A typed userError naming the field; `npm run org:check` names the setting.
      if (code === 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST')
        return {
          case: null,
          userErrors: [UserErrors.picklistValueRefused(insert.error.fields ?? [])],
        };
      // Taken, yet not readable: another transaction holding the key has not committed.
      if (code === 'DUPLICATE_VALUE' && !read.ok && read.status === 404) throw attempt.inUse();
      if (code !== 'DUPLICATE_VALUE' || !read.ok) throw toUpstreamError(insert);
      // The key already made a case. Same request: answer it as it is now. Another request
      // under this key (or, defensively, a case this principal may not see): refuse.
      return answerExisting(read.body);
    } else if (!read.ok) throw toUpstreamError(read);
    const kase = read.body;
    ctx.loaders.caseById.prime(kase.Id, kase);
    return { case: kase, userErrors: [] };
  });
}

// The stable userErrors codes of the Case subgraph (frontends switch on `code`), one catalogue
// built with lib/graphql's userError. The idempotency-key answers are lib/graphql's, the same
// code and message in every subgraph.
import { idempotencyKeyReused, userError, type UserError } from '../../lib/graphql/index.js';

export type { UserError };

const err = (code: string, message: string, field: string[] | null = null): UserError =>
  userError({ code, field, message });

export const UserErrors = {
  subjectRequired: () =>
    err('SUBJECT_REQUIRED', 'Please describe the request in the subject.', ['input', 'subject']),
  subjectTooLong: (max: number) =>
    err('SUBJECT_TOO_LONG', `The subject can be at most ${max} characters.`, ['input', 'subject']),
  /** A citizen naming another citizen's contact. */
  notOwnContact: () =>
    err('FORBIDDEN', 'You can only open cases for yourself.', ['input', 'contactId']),
  contactRequired: () =>
    err('CONTACT_REQUIRED', 'Agents must give the contact id of the citizen.', [
      'input',
      'contactId',
    ]),
  contactNotFound: () =>
    err('CONTACT_NOT_FOUND', 'There is no citizen with this contact id.', ['input', 'contactId']),
  /** The org refused a field's length (STRING_TOO_LONG). */
  inputTooLong: () => err('INPUT_TOO_LONG', 'A field of the case is too long.', ['input']),
  /**
   * The org refused a Case picklist value the service is configured to write
   * (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST): Priority points at the input's priority, any other
   * field (Origin) at the input as a whole.
   */
  picklistValueRefused: (fields: readonly string[]) =>
    err(
      'PICKLIST_VALUE_REFUSED',
      `The case service cannot save this case: the organisation does not accept the value it sets for ${fields.join(', ') || 'a picklist field'}.`,
      fields.includes('Priority') ? ['input', 'priority'] : ['input'],
    ),
  /** No such case, or one the caller may not see (the same answer: no existence leak). */
  caseNotFound: () => err('NOT_FOUND', 'There is no such case.', ['input', 'caseId']),
  bodyRequired: () => err('BODY_REQUIRED', 'The comment cannot be empty.', ['input', 'body']),
  bodyTooLong: (max: number) =>
    err('BODY_TOO_LONG', `The comment can be at most ${max} characters.`, ['input', 'body']),
  idempotencyKeyReused,
};

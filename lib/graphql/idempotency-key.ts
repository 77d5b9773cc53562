// Idempotency keys, the same rule and the same answers in every subgraph (the schema's contract:
// 8 to 80 characters). A key outside it is INVALID_IDEMPOTENCY_KEY on `input.idempotencyKey`; a
// key already bound to another request is IDEMPOTENCY_KEY_REUSED on the same field.
import { userError, type UserError } from './user-error.js';

export const MIN_IDEMPOTENCY_KEY = 8;
export const MAX_IDEMPOTENCY_KEY = 80;

/** The userError for a key outside 8..80 characters, or null when it is a valid key. */
export function checkIdempotencyKey(key: string): UserError | null {
  return key.length < MIN_IDEMPOTENCY_KEY || key.length > MAX_IDEMPOTENCY_KEY
    ? userError({
        code: 'INVALID_IDEMPOTENCY_KEY',
        field: ['input', 'idempotencyKey'],
        message: `The idempotency key must be ${MIN_IDEMPOTENCY_KEY} to ${MAX_IDEMPOTENCY_KEY} characters long.`,
      })
    : null;
}

/** The key was first used for a different request: that request is not repeated, nothing changes. */
export const idempotencyKeyReused = (): UserError =>
  userError({
    code: 'IDEMPOTENCY_KEY_REUSED',
    field: ['input', 'idempotencyKey'],
    message:
      'This idempotency key was already used for a different request. Use a new key for a new request.',
  });

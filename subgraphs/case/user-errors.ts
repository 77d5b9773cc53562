// Expected business failures of the mutations, as UserError values (lib/graphql's userError).
import { userError as makeUserError } from '../../lib/graphql/user-error.js';
import type { UserError } from './__generated__/resolvers-types.js';

/**
 * Positional form kept for create-case.ts, add-case-comment.ts and idempotency.ts (owned
 * elsewhere right now); new code calls lib/graphql's `userError({ code, field, message })`.
 */
export const userError = (code: string, field: string[] | null, message: string): UserError =>
  makeUserError({ code, field, message });

/** Idempotency keys: 8–80 characters (the schema's contract). */
export function checkIdempotencyKey(key: string): UserError | null {
  return key.length < 8 || key.length > 80
    ? makeUserError({
        code: 'INVALID_IDEMPOTENCY_KEY',
        field: ['input', 'idempotencyKey'],
        message: 'The idempotency key must be 8 to 80 characters long.',
      })
    : null;
}

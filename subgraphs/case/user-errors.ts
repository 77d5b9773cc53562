// Expected business failures of the mutations, as UserError values.
import type { UserError } from './__generated__/resolvers-types.js';

export const userError = (code: string, field: string[] | null, message: string): UserError => ({
  code,
  field,
  message,
});

/** Idempotency keys: 8–80 characters (the schema's contract). */
export function checkIdempotencyKey(key: string): UserError | null {
  return key.length < 8 || key.length > 80
    ? userError(
        'INVALID_IDEMPOTENCY_KEY',
        ['input', 'idempotencyKey'],
        'The idempotency key must be 8 to 80 characters long.',
      )
    : null;
}

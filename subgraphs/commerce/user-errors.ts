// Expected business failures of the cart mutations, as userErrors (PRODUCT.md, Conventions).
import { UpstreamError } from '../../lib/errors.js';
import { userError as makeUserError, type UserError } from '../../lib/graphql/user-error.js';

export type UserErrorModel = UserError;

/**
 * Positional form (code, message, field) kept for mutations.ts, checkout.ts and idempotency.ts
 * (owned elsewhere right now); new code calls lib/graphql's `userError({ code, field, message })`.
 */
export const userError = (
  code: string,
  message: string,
  field: string[] | null = null,
): UserErrorModel => makeUserError({ code, field, message });

export const forbidden = () =>
  makeUserError({
    code: 'FORBIDDEN',
    message: 'Only a signed-in citizen can change their own cart.',
  });

/** A SCAPI 4xx that means "this request cannot succeed" (problem type slug), or undefined. */
export function scapiRejection(err: unknown): string | undefined {
  if (
    err instanceof UpstreamError &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 401 &&
    err.status !== 429
  )
    return err.upstreamCode ?? 'bad-request';
  return undefined;
}

// Expected business failures of the cart mutations, as userErrors (PRODUCT.md, Conventions).
import { UpstreamError } from '../../lib/errors.js';
import { userError, type UserError } from '../../lib/graphql/user-error.js';

export type UserErrorModel = UserError;
export { userError };

export const forbidden = () =>
  userError({
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

// Expected business failures of the cart mutations, as userErrors (PRODUCT.md, Conventions).
import { UpstreamError } from '../../lib/errors.js';

export interface UserErrorModel {
  code: string;
  field: string[] | null;
  message: string;
}

export const userError = (
  code: string,
  message: string,
  field: string[] | null = null,
): UserErrorModel => ({ code, field, message });

export const forbidden = () =>
  userError('FORBIDDEN', 'Only a signed-in citizen can change their own cart.');

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

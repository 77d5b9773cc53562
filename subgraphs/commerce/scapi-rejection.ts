// Which SCAPI failures are the request's own (a userError) rather than the upstream's (an error).
import { UpstreamError } from '../../lib/errors.js';

/**
 * A SCAPI 4xx that means "this request cannot succeed" (its problem type slug), or undefined.
 * 401 (the token) and 429 (the rate limit) are the upstream's, not the request's.
 */
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

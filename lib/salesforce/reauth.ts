// "Re-authenticate exactly once on 401": the one copy of the loop every Salesforce client uses.
// A 401 means the upstream refused the token before doing anything (expired or revoked session),
// so the call is safe to send again with a fresh token — once; a second refusal is the answer.
import { UpstreamError } from '../errors.js';

/** The upstream refused the credentials (401). */
export const isUnauthorized = (err: unknown): boolean =>
  err instanceof UpstreamError && err.status === 401;

export interface Reauth<T> {
  /** The current token (cached, single flight). */
  token: () => Promise<T>;
  /** Drops a refused token, so the next `token()` fetches a new one. */
  invalidate: (token: T) => void;
  /** Which failures mean "this token was refused" (default: HTTP 401). */
  refused?: (err: unknown) => boolean;
}

/** Runs `call` with a token; when it is refused, drops the token and runs `call` once more. */
export async function withReauth<T, R>(
  auth: Reauth<T>,
  call: (token: T) => Promise<R>,
): Promise<R> {
  const refused = auth.refused ?? isUnauthorized;
  const first = await auth.token();
  try {
    return await call(first);
  } catch (err) {
    if (!refused(err)) throw err;
    auth.invalidate(first);
  }
  return call(await auth.token());
}

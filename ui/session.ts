// The token from the Sign in helper, shared with the fetcher so that tabs still holding the
// `Bearer <token>` placeholder use it too (a newcomer signs in once, not once per tab).
export const TOKEN_PLACEHOLDER = '<token>';

let currentToken: string | undefined;

export function setSignedInToken(token: string | undefined): void {
  currentToken = token;
}

/** Replaces the placeholder in request headers with the signed-in token, if there is one. */
export function withSignedInToken(
  headers: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!headers || !currentToken) return headers;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) {
    out[k] = typeof v === 'string' ? v.replace(TOKEN_PLACEHOLDER, currentToken) : v;
  }
  return out;
}

export const authorizationHeaders = (token: string) =>
  JSON.stringify({ authorization: `Bearer ${token}` }, null, 2);

// What the OAuth 2.0 token endpoints of the emulated systems do alike (core org, Headless
// Identity site, SLAS; the Data Cloud exchange): read the form, find the client's credentials,
// answer a Salesforce-shaped token (or introspection) body. The error body {error, error_description} is
// error-bodies.ts's sendOAuthError (the fault injector answers through it too).
// RFC 6749 (https://www.rfc-editor.org/rfc/rfc6749): §3.2 the token request is
// application/x-www-form-urlencoded; §2.3.1 a client authenticates by HTTP Basic, its id and
// secret each form-urlencoded first, or by client_id/client_secret in the body; §5.2 errors
// are 400 except invalid_client, which may be 401 (Salesforce answers 401 for wrong client
// credentials, 400 when none were sent; SLAS 401 for any:
// docs/salesforce/crm-rest.md#oauth-token-endpoint, scapi.md#slas).
import express, { type Request } from 'express';
import { TokenStore, type TokenRecord } from './tokens.js';

/** A token request's form fields (a field sent twice is not one the endpoints read). */
export type OAuthForm = Record<string, string | undefined>;

/** The body parser of the OAuth endpoints (express's default 100 kB limit). */
export const oauthForm = express.urlencoded({ extended: false });

/** The parsed form of a request that went through `oauthForm` (empty when it had none). */
export const formOf = (req: Request): OAuthForm => (req.body ?? {}) as OAuthForm;

/**
 * The user and password of an HTTP Basic header (RFC 7617) exactly as sent, split at the first
 * colon; undefined without one. Headless login sends a username and password this way.
 */
export function basicCredentials(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1].trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/**
 * A client's id and secret from an HTTP Basic header (RFC 6749 §2.3.1: each was form-urlencoded
 * before the Basic encoding, so it is decoded here); undefined without a usable one.
 */
export function basicClientCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const basic = basicCredentials(header);
  if (!basic) return undefined;
  try {
    return {
      clientId: decodeURIComponent(basic.user),
      clientSecret: decodeURIComponent(basic.password),
    };
  } catch {
    // A malformed %-escape authenticates no client (it was an uncaught URIError, a 500).
    return undefined;
  }
}

/** The client's credentials: the Basic header if it has them, else the form's client_id/secret. */
export function clientCredentials(req: Request): ClientCredentials {
  const basic = basicClientCredentials(req.headers.authorization);
  if (basic?.clientId) return basic;
  const form = formOf(req);
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

/**
 * The success body of a Salesforce token endpoint, org host or Experience Cloud site
 * (docs/salesforce/crm-rest.md#oauth-token-endpoint): `issued_at` epoch ms as a string, `signature`
 * = HMAC-SHA256 of `id + issued_at` keyed by `signingKey`, `refresh_token` only when one was
 * issued.
 */
export function salesforceTokenBody(o: {
  access: TokenRecord;
  refresh?: TokenRecord;
  /** The identity URL `{host}/id/{orgId}/{userId}`. */
  id: string;
  instanceUrl: string;
  signingKey: string;
}) {
  const issuedAt = String(o.access.issuedAt);
  return {
    access_token: o.access.token,
    ...(o.refresh ? { refresh_token: o.refresh.token } : {}),
    signature: TokenStore.signature(o.id, issuedAt, o.signingKey),
    scope: o.access.scope,
    instance_url: o.instanceUrl,
    id: o.id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/**
 * The body of an active token at a Salesforce introspection endpoint
 * (docs/salesforce/headless-identity.md#introspection; RFC 7662 §2.2): times in epoch seconds,
 * `nbf` = `iat`.
 */
export function salesforceIntrospection(
  record: TokenRecord,
  o: { username: string | undefined; sub: string },
) {
  const iat = Math.floor(record.issuedAt / 1000);
  return {
    active: true,
    scope: record.scope,
    client_id: record.clientId,
    username: o.username,
    sub: o.sub,
    token_type: record.kind === 'core-refresh' ? 'refresh_token' : 'access_token',
    exp: Math.floor(record.expiresAt / 1000),
    iat,
    nbf: iat,
  };
}

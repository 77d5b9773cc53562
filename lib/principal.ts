// Who is asking: resolved once per request by the gateway from the bearer token, signed with a
// shared secret, and verified by every subgraph (PRODUCT.md, "Who may see what").
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const PRINCIPAL_HEADER = 'x-c360-principal';
const ISSUER = 'c360-gateway';
const AUDIENCE = 'c360-subgraphs';

export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'citizen';
      userId: string;
      username: string;
      /** CRM Contact id of the citizen (User.ContactId). */
      contactId: string;
      /** Data Cloud unified individual id and Commerce customer id (connected-app custom attributes). */
      unifiedId?: string;
      commerceCustomerId?: string;
      /** The Commerce shopper login SLAS needs to act for this citizen. */
      commerceLogin?: string;
    }
  | { kind: 'agent'; userId?: string; username?: string; clientId?: string };

export type CitizenPrincipal = Extract<Principal, { kind: 'citizen' }>;

/** Longest life of a signed principal: it only has to outlive one request's subgraph fetches. */
export const MAX_PRINCIPAL_TTL_SECONDS = 60;

/**
 * HMAC keys built once per secret: jsonwebtoken accepts a KeyObject, and building one from the
 * secret string on every sign/verify was the gateway's largest CPU cost.
 */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

export interface PrincipalClaims {
  principal: Principal;
  /** The end client's address as the gateway saw it (signed, so a subgraph can trust it). */
  clientAddress?: string;
}

export function signPrincipal(
  principal: Principal,
  secret: string,
  o: { ttlSeconds?: number; clientAddress?: string } = {},
): string {
  const ttl = Math.min(o.ttlSeconds ?? MAX_PRINCIPAL_TTL_SECONDS, MAX_PRINCIPAL_TTL_SECONDS);
  return jwt.sign(
    { principal, ...(o.clientAddress ? { cip: o.clientAddress } : {}) },
    keyFor(secret),
    { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: ttl },
  );
}

/**
 * The claims of a signed principal, or null when it is missing, forged, expired, or lacks `exp`
 * and `iat` (a token that never expires, or lives longer than a request needs, is refused).
 */
export function verifyPrincipalClaims(
  token: string | undefined,
  secret: string,
): PrincipalClaims | null {
  if (!token) return null;
  try {
    const payload = jwt.verify(token, keyFor(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    }) as { principal?: Principal; cip?: unknown; exp?: unknown; iat?: unknown };
    const { exp, iat } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') return null;
    if (exp - iat > MAX_PRINCIPAL_TTL_SECONDS) return null;
    const p = payload.principal;
    if (!p || !['anonymous', 'citizen', 'agent'].includes(p.kind)) return null;
    if (p.kind === 'citizen' && (!p.contactId || !p.userId)) return null;
    return {
      principal: p,
      ...(typeof payload.cip === 'string' ? { clientAddress: payload.cip } : {}),
    };
  } catch {
    return null;
  }
}

/** The principal in a signed header, or null when it is missing, forged or expired. */
export function verifyPrincipal(token: string | undefined, secret: string): Principal | null {
  return verifyPrincipalClaims(token, secret)?.principal ?? null;
}

export const isAgent = (p: Principal) => p.kind === 'agent';

/**
 * True when the principal may see the citizen these keys name. Agents see anyone; a citizen only
 * themself, and EVERY key given must be one of theirs: a representation mixing one of A's keys
 * with one of B's names nobody A may see (a subgraph loads a record by one key, so deciding on
 * another would let the keys disagree). No key names nobody.
 */
export function maySeeCitizen(
  p: Principal,
  keys: {
    contactId?: string | null;
    unifiedId?: string | null;
    commerceCustomerId?: string | null;
  },
): boolean {
  const given = (['contactId', 'unifiedId', 'commerceCustomerId'] as const).filter(
    (k) => keys[k] !== undefined && keys[k] !== null && keys[k] !== '',
  );
  if (!given.length) return false;
  if (p.kind === 'agent') return true;
  if (p.kind !== 'citizen') return false;
  return given.every((k) => !!p[k] && p[k] === keys[k]);
}

// Who is asking: resolved once per request by the gateway from the bearer token, signed with a
// shared secret for each subgraph fetch, and verified by the subgraph. A signed principal is
// not a bearer that can be replayed: it names its subgraph (`aud`), the hash of the one request
// body it travels with (`bh`) — or, for a subscription connection, says so (`use`) — and lives
// a few seconds.
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const PRINCIPAL_HEADER = 'x-c360-principal';
const ISSUER = 'c360-gateway';

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
 * Default life of a request's principal: it is signed for one fetch and checked when that fetch
 * arrives, so a few seconds cover transit and clock skew; a captured one is soon worthless.
 */
export const DEFAULT_PRINCIPAL_TTL_SECONDS = 5;

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

/** The SHA-256 (base64url) of a request body, as a request's principal carries it (`bh`). */
export const bodyHash = (body: string | Buffer) =>
  createHash('sha256').update(body).digest('base64url');

export interface PrincipalClaims {
  principal: Principal;
  /** The end client's address as the gateway saw it (signed, so a subgraph can trust it). */
  clientAddress?: string;
  /** When the principal expires (epoch ms). */
  expiresAtMs: number;
  /** The SHA-256 of the one request body it was signed for (absent for a subscription's). */
  bodyHash?: string;
}

export interface SignOptions {
  /** The subgraph it is for (`aud`): another subgraph refuses it. */
  audience: string;
  /** The exact body of the one request it travels with (its hash is signed). */
  body?: string | Buffer;
  /** Instead of a body: a subscription's principal (graphql-ws), never valid for a request. */
  subscription?: boolean;
  ttlSeconds?: number;
  clientAddress?: string;
  now?: () => number;
}

/**
 * Signs a principal for ONE subgraph (`aud`) and ONE request (the hash of its body), or for
 * one subscription connection, living `ttlSeconds` (at most 60).
 */
export function signPrincipal(principal: Principal, secret: string, o: SignOptions): string {
  if (o.body === undefined && !o.subscription)
    throw new Error('A principal is signed for one request body or one subscription.');
  const ttl = Math.min(o.ttlSeconds ?? DEFAULT_PRINCIPAL_TTL_SECONDS, MAX_PRINCIPAL_TTL_SECONDS);
  const iat = Math.floor((o.now ?? Date.now)() / 1000);
  return jwt.sign(
    {
      principal,
      iat,
      ...(o.clientAddress ? { cip: o.clientAddress } : {}),
      ...(o.subscription ? { use: 'subscription' } : { bh: bodyHash(o.body!) }),
    },
    keyFor(secret),
    { algorithm: 'HS256', issuer: ISSUER, audience: o.audience, expiresIn: ttl },
  );
}

export interface VerifyOptions {
  /** This subgraph's name: a principal signed for another is refused. */
  audience: string;
  /** Verifying a subscription's principal (graphql-ws) rather than a request's. */
  subscription?: boolean;
  now?: () => number;
}

/**
 * The claims of a signed principal, or null when it is missing, forged, expired, for another
 * subgraph, of the wrong use (a request's on a subscription or the reverse), or lacks `exp` and
 * `iat` (a token that never expires, or lives longer than a request needs, is refused). A
 * request's principal carries `bodyHash`, which the caller compares with the body it received.
 */
export function verifyPrincipalClaims(
  token: string | undefined,
  secret: string,
  o: VerifyOptions,
): PrincipalClaims | null {
  if (!token) return null;
  try {
    const payload = jwt.verify(token, keyFor(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: o.audience,
      clockTimestamp: Math.floor((o.now ?? Date.now)() / 1000),
    }) as {
      principal?: Principal;
      cip?: unknown;
      exp?: unknown;
      iat?: unknown;
      bh?: unknown;
      use?: unknown;
    };
    const { exp, iat } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') return null;
    if (exp - iat > MAX_PRINCIPAL_TTL_SECONDS) return null;
    if (o.subscription ? payload.use !== 'subscription' : typeof payload.bh !== 'string')
      return null;
    const p = payload.principal;
    if (!p || !['anonymous', 'citizen', 'agent'].includes(p.kind)) return null;
    if (p.kind === 'citizen' && (!p.contactId || !p.userId)) return null;
    return {
      principal: p,
      ...(typeof payload.cip === 'string' ? { clientAddress: payload.cip } : {}),
      expiresAtMs: exp * 1000,
      ...(typeof payload.bh === 'string' ? { bodyHash: payload.bh } : {}),
    };
  } catch {
    return null;
  }
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

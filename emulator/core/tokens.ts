// Every token the emulated systems issue, with expiry and revocation. Tokens are opaque random
// strings in the shape each system uses; validity is always decided by looking them up here.
import { createHmac, randomBytes } from 'node:crypto';

export type TokenKind =
  | 'core-access' // CRM REST / Connect API / Headless Identity access token
  | 'core-refresh'
  | 'datacloud' // Data Cloud (a360) access token
  | 'slas-access'
  | 'slas-refresh';

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  clientId: string;
  /** Who the token acts for. `userId` for core users, `customerId`/`usid` for SLAS shoppers. */
  subject: Record<string, string | boolean | undefined>;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  /** The refresh token this access token was minted from: revoking it kills the child. */
  parent?: string;
  /**
   * Refresh tokens of one grant share a family (the first refresh token): with rotation each
   * refresh replaces the refresh token, and revoking any of them revokes the whole grant.
   */
  family?: string;
  /** A rotated refresh token: spent for refreshing, its access tokens live on. */
  rotated?: boolean;
  revoked: boolean;
}

export interface IssueOptions {
  clientId: string;
  subject: TokenRecord['subject'];
  scope: string;
  ttlSeconds: number;
  parent?: string;
  family?: string;
  /** Extra JWT claims for JWT-shaped tokens (Data Cloud, SLAS). */
  claims?: Record<string, unknown>;
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

export class TokenStore {
  private records = new Map<string, TokenRecord>();
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly orgId: string,
    private readonly now: () => number = Date.now,
  ) {}

  issue(kind: TokenKind, o: IssueOptions): TokenRecord {
    const issuedAt = this.now();
    const token = this.mint(kind, o, issuedAt);
    const record: TokenRecord = {
      token,
      kind,
      clientId: o.clientId,
      subject: o.subject,
      scope: o.scope,
      issuedAt,
      expiresAt: issuedAt + o.ttlSeconds * 1000,
      parent: o.parent,
      family: o.family,
      revoked: false,
    };
    this.records.set(token, record);
    return record;
  }

  /** The live record for a token of one of the given kinds, or undefined if unknown, expired or revoked. */
  lookup(token: string | undefined, ...kinds: TokenKind[]): TokenRecord | undefined {
    if (!token) return undefined;
    const r = this.records.get(token);
    if (!r || r.revoked || r.expiresAt <= this.now()) return undefined;
    if (kinds.length && !kinds.includes(r.kind)) return undefined;
    if (r.parent && !this.lookup(r.parent)) return undefined;
    return r;
  }

  /** Revokes a token (and, for a refresh token, its whole grant and everything minted from it). */
  revoke(token: string): boolean {
    const r = this.records.get(token);
    if (!r) return false;
    r.revoked = true;
    const family = r.family ?? (r.kind.endsWith('-refresh') ? r.token : undefined);
    if (family)
      for (const other of this.records.values())
        if (other.family === family || other.token === family) other.revoked = true;
    return true;
  }

  /** Marks a refresh token spent by rotation (it can no longer refresh; its children live). */
  rotate(token: string): void {
    const r = this.records.get(token);
    if (r) r.rotated = true;
  }

  /** Test hook: make every live token of these kinds expire now (simulates session timeout). */
  expireAll(...kinds: TokenKind[]): number {
    let n = 0;
    for (const r of this.records.values()) {
      if (!r.revoked && (!kinds.length || kinds.includes(r.kind)) && r.expiresAt > this.now()) {
        r.expiresAt = this.now();
        n++;
      }
    }
    return n;
  }

  /** HMAC-SHA256 signature of the core token response (`id + issued_at`, keyed by the client secret). */
  static signature(id: string, issuedAt: string, clientSecret: string): string {
    return createHmac('sha256', clientSecret)
      .update(id + issuedAt)
      .digest('base64');
  }

  private mint(kind: TokenKind, o: IssueOptions, issuedAt: number): string {
    const rand = randomBytes(48).toString('base64url');
    switch (kind) {
      case 'core-access':
        return `${this.orgId.slice(0, 15)}!AQ4AQ${rand}`;
      case 'core-refresh':
        return `5Aep861${rand}`;
      case 'slas-refresh':
        return rand.slice(0, 43);
      case 'datacloud':
      case 'slas-access': {
        const header = b64url(
          JSON.stringify({
            alg: kind === 'datacloud' ? 'HS256' : 'ES256',
            typ: 'JWT',
            kid: 'emulator',
          }),
        );
        const payload = b64url(
          JSON.stringify({
            jti: rand.slice(0, 16),
            iat: Math.floor(issuedAt / 1000),
            exp: Math.floor(issuedAt / 1000) + o.ttlSeconds,
            ...o.claims,
          }),
        );
        const sig = createHmac('sha256', this.signingKey)
          .update(`${header}.${payload}`)
          .digest('base64url');
        return `${header}.${payload}.${sig}`;
      }
    }
  }
}

/** The bearer token of a request, accepting Salesforce's legacy `OAuth` scheme as well. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(authorization ?? '');
  return m?.[1]?.trim();
}

// The OauthToken sObject: one row per live OAuth grant (a refresh token and, with rotation, its
// successors), so an admin or integration user can list a user's sessions and end them. The
// object supports describeSObjects() and query() only; a row is deleted by sending its
// DeleteToken to the revoke endpoint, which ends the grant and every access token minted from it.
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
// Users with "Customize Application" (the integration user here) see every user's tokens.
import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import type { TokenRecord } from '../core/tokens.js';
import { sfDateTime } from '../ids.js';

interface Grant {
  /** OauthToken.Id */
  id: string;
  /** The grant's newest refresh token (rotation replaces it). */
  current: string;
  deleteToken: string;
}

export class OauthTokens {
  /** Family (the grant's first refresh token) → grant. */
  private grants = new Map<string, Grant>();
  private byDeleteToken = new Map<string, string>();

  constructor(private readonly core: EmulatorCore) {}

  /** A new grant: the refresh token of an authorization-code exchange. */
  record(refresh: TokenRecord, appName: string): void {
    const { sobjects } = this.core;
    const id = sobjects.newId('OauthToken');
    const deleteToken = randomBytes(24).toString('base64url');
    const family = refresh.family ?? refresh.token;
    this.grants.set(family, { id, current: refresh.token, deleteToken });
    this.byDeleteToken.set(deleteToken, family);
    const now = sfDateTime(new Date(refresh.issuedAt));
    sobjects.insert('OauthToken', {
      Id: id,
      // The token values themselves are never readable through the API.
      AccessToken: null,
      AppMenuItemId: null,
      AppName: appName,
      CreatedDate: now,
      DeleteToken: deleteToken,
      LastUsedDate: now,
      RequestToken: null,
      UseCount: 0,
      UserId: String(refresh.subject.userId ?? ''),
    });
  }

  /** A refresh of the grant (with rotation: `next` is its new refresh token). */
  used(family: string, next?: TokenRecord): void {
    const grant = this.grants.get(family);
    if (!grant) return;
    if (next) grant.current = next.token;
    const rec = this.core.sobjects.get('OauthToken', grant.id);
    if (rec)
      this.core.sobjects.update('OauthToken', grant.id, {
        LastUsedDate: sfDateTime(new Date()),
        UseCount: Number(rec.UseCount ?? 0) + 1,
      });
  }

  /** Revoke with a DeleteToken: ends the whole grant. False when it names no live grant. */
  revokeByDeleteToken(token: string): boolean {
    this.sync();
    const family = this.byDeleteToken.get(token);
    const grant = family ? this.grants.get(family) : undefined;
    if (!family || !grant) return false;
    this.core.tokens.revoke(grant.current);
    this.sync();
    return true;
  }

  /** Drops the rows of grants that ended (revoked, expired) by any path. */
  sync(): void {
    for (const [family, grant] of this.grants) {
      if (this.core.tokens.lookup(grant.current, 'core-refresh')) continue;
      this.grants.delete(family);
      this.byDeleteToken.delete(grant.deleteToken);
      this.core.sobjects.delete('OauthToken', grant.id);
    }
  }
}

/** The OauthToken registry of one seeded core (reseed starts afresh). */
export function oauthTokens(core: EmulatorCore): OauthTokens {
  return (core.families.oauthTokens ??= new OauthTokens(core));
}

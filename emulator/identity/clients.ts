// The connected apps the site knows and how a request authenticates as one of them.
import { timingSafeEqual } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import type { ClientCredentials } from '../core/oauth-token-endpoint.js';
import { sfId } from '../ids.js';

/** The Experience Cloud site's Network id (`sfdc_community_id`). */
export const communityId = () => sfId('0DB', 1);

export const communityUrl = (core: EmulatorCore) => `${core.settings.publicOrigin()}/identity`;

/** Identity URL of a user: `{site}/id/{orgId}/{userId}` (also the userinfo `sub`). */
export const identityUrl = (core: EmulatorCore, userId: string) =>
  `${communityUrl(core)}/id/${core.world.orgId}/${userId}`;

/**
 * The scopes a token gets: those requested that the connected app has, or all of the app's when
 * none is requested (a scope the app lacks is not granted).
 */
export function grantedScope(requested: string | undefined, appScopes: string[]): string {
  const asked = (requested ?? '').split(/\s+/).filter(Boolean);
  if (!asked.length) return appScopes.join(' ');
  return [...new Set(asked)].filter((s) => appScopes.includes(s)).join(' ');
}

/**
 * The scopes that open the UserInfo endpoint: OpenID Connect's (openid, profile, email,
 * address, phone), Salesforce's identity URL scope `id`, and `full`, which includes every scope.
 * A token without one (the integration app's client credentials: api and Data Cloud scopes) is
 * refused with 403 insufficient_scope (RFC 6750 §3.1).
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_tokens_scopes.htm
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm
 * https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'id', 'full'];

export const hasIdentityScope = (scope: string | undefined) =>
  (scope ?? '').split(/\s+/).some((s) => IDENTITY_SCOPES.includes(s));

/**
 * True for the integration client with its secret, or the portal app (a public client: it has
 * no secret, so its client_id alone identifies it).
 */
export function isKnownClient(core: EmulatorCore, c: ClientCredentials): boolean {
  const { integration, portalApp } = core.world;
  if (c.clientId === portalApp.clientId) return true;
  return (
    c.clientId === integration.clientId && safeEqual(c.clientSecret ?? '', integration.clientSecret)
  );
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

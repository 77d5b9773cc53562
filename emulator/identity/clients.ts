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

/** The portal app's configured scopes; it has the refresh_token scope, so every login gets one. */
export const PORTAL_SCOPE = 'api refresh_token';

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

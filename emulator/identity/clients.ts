// The connected apps the site knows and how a request authenticates as one of them.
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sfId } from '../ids.js';

/** The Experience Cloud site's Network id (`sfdc_community_id`). */
export const communityId = () => sfId('0DB', 1);

export const communityUrl = (core: EmulatorCore) => `${core.settings.publicOrigin()}/identity`;

/** Identity URL of a user: `{site}/id/{orgId}/{userId}` (also the userinfo `sub`). */
export const identityUrl = (core: EmulatorCore, userId: string) =>
  `${communityUrl(core)}/id/${core.world.orgId}/${userId}`;

/** The portal app's configured scopes; it has the refresh_token scope, so every login gets one. */
export const PORTAL_SCOPE = 'api refresh_token';

export interface ClientCreds {
  clientId?: string;
  clientSecret?: string;
}

/** Client credentials from the form body or an HTTP Basic header. */
export function clientCreds(req: Request): ClientCreds {
  const basic = parseBasic(req.headers.authorization);
  if (basic) return { clientId: basic.user, clientSecret: basic.password };
  const body = (req.body ?? {}) as Record<string, string | undefined>;
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/**
 * True for the integration client with its secret, or the portal app (a public client: it has
 * no secret, so its client_id alone identifies it).
 */
export function isKnownClient(core: EmulatorCore, c: ClientCreds): boolean {
  const { integration, portalApp } = core.world;
  if (c.clientId === portalApp.clientId) return true;
  return (
    c.clientId === integration.clientId && safeEqual(c.clientSecret ?? '', integration.clientSecret)
  );
}

export function parseBasic(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1].trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

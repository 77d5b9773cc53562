// /mcp as an OAuth protected resource (RFC 9728): its metadata names the org's authorization
// server (the Experience Cloud site, Headless Identity), and every request needs a bearer token.
// The token is validated exactly as /graphql validates it (PrincipalResolver: userinfo and
// introspection, cached), then its audience is checked: a Salesforce access token is opaque and
// has no `aud`, so the audience is the connected app it was issued to — introspection's
// `client_id` — which must be one of MCP_CLIENT_IDS. The token stays on the server: tools run it
// through the gateway in process and no result echoes it.
// https://datatracker.ietf.org/doc/html/rfc9728
// https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ErrorCode, UpstreamError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { UpstreamCost } from '../../lib/upstream-cost.js';
import { callUpstream, joinUrl } from '../../lib/upstream-http.js';
import type { ServiceMetrics } from '../../lib/observability/metrics.js';
import type { PrincipalResolver } from '../principal-resolver.js';

export const MCP_PATH = '/mcp';
export const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/** The principal a validated MCP token acts as (kept in AuthInfo.extra). */
export type McpPrincipal = Extract<Principal, { kind: 'citizen' | 'agent' }>;

export interface McpAuthOptions {
  principals: PrincipalResolver;
  identitySiteUrl: string;
  introspection: { clientId: string; clientSecret: string };
  /** MCP_CLIENT_IDS: the connected apps whose tokens are meant for /mcp. */
  clientIds: string[];
  timeoutMs: number;
  cacheSize: number;
  cacheMaxSeconds: number;
  metrics?: ServiceMetrics;
  now?: () => number;
}

interface Introspected {
  clientId?: string;
  scopes: string[];
  /** Seconds since the epoch. */
  exp?: number;
}

const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex');

export class McpTokenVerifier implements OAuthTokenVerifier {
  /** Introspection answers by token hash, for as long as the principal cache trusts a token. */
  private readonly audience: LRUCache<string, Introspected>;
  private readonly now: () => number;

  constructor(private readonly o: McpAuthOptions) {
    this.audience = new LRUCache({ max: o.cacheSize });
    this.now = o.now ?? Date.now;
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    let principal: Principal;
    try {
      principal = await this.o.principals.resolve(`Bearer ${token}`);
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions.code === ErrorCode.UNAUTHENTICATED)
        throw new InvalidTokenError(err.message);
      throw new ServerError('The sign-in service is unavailable; try again later.');
    }
    if (principal.kind === 'anonymous')
      throw new InvalidTokenError('This token acts for no citizen and no agent.');
    const intro = await this.introspect(token);
    if (!intro.clientId || !this.o.clientIds.includes(intro.clientId))
      throw new InvalidTokenError(
        'The token was not issued for this resource: its connected app may not use the MCP server.',
      );
    const nowSeconds = Math.floor(this.now() / 1000);
    return {
      token,
      clientId: intro.clientId,
      scopes: intro.scopes,
      expiresAt: intro.exp ?? nowSeconds + this.o.cacheMaxSeconds,
      extra: { principal },
    };
  }

  private async introspect(token: string): Promise<Introspected> {
    const key = tokenKey(token);
    const cached = this.audience.get(key);
    this.o.metrics?.cacheLookups.inc({ cache: 'mcp_audience', result: cached ? 'hit' : 'miss' });
    if (cached) return cached;
    let body: { active?: boolean; client_id?: string; scope?: string; exp?: number } | undefined;
    try {
      const res = await callUpstream<typeof body>(
        {
          family: 'identity',
          method: 'POST',
          url: joinUrl(this.o.identitySiteUrl, '/services/oauth2/introspect'),
          form: {
            token,
            token_type_hint: 'access_token',
            client_id: this.o.introspection.clientId,
            client_secret: this.o.introspection.clientSecret,
          },
          timeoutMs: this.o.timeoutMs,
          idempotent: true,
          accept: [400, 401],
        },
        { cost: new UpstreamCost(this.o.metrics?.observer) },
      );
      body = res.status === 200 ? res.body : undefined;
    } catch (err) {
      if (err instanceof UpstreamError)
        throw new ServerError('The sign-in service is unavailable; try again later.');
      throw err;
    }
    if (!body?.active)
      throw new InvalidTokenError('The access token is invalid, expired or revoked.');
    const intro: Introspected = {
      clientId: body.client_id,
      scopes: (body.scope ?? '').split(' ').filter(Boolean),
      exp: body.exp,
    };
    const ttl = Math.min(
      this.o.cacheMaxSeconds * 1000,
      intro.exp ? intro.exp * 1000 - this.now() : Infinity,
    );
    if (ttl > 0) this.audience.set(key, intro, { ttl });
    return intro;
  }
}

/** The public URL of /mcp: MCP_RESOURCE_URL, or this request's origin. */
export function resourceUrl(req: Request, configured: string | undefined): string {
  if (configured) return configured;
  try {
    // The Host header is the client's word: parsed, so nothing but a host reaches a header.
    return new URL(MCP_PATH, `${req.protocol}://${req.get('host') ?? 'localhost'}`).href;
  } catch {
    return `http://localhost${MCP_PATH}`;
  }
}

/** RFC 9728 metadata URL for a resource URL (the path-suffixed well-known form). */
export function resourceMetadataUrl(resource: string): string {
  const u = new URL(resource);
  const path = u.pathname === '/' ? '' : u.pathname;
  return new URL(`${RESOURCE_METADATA_PATH}${path}`, u).href;
}

/** GET /.well-known/oauth-protected-resource[/mcp]: who issues tokens for /mcp. */
export function protectedResourceMetadata(o: { identitySiteUrl: string; resourceUrl?: string }) {
  return (req: Request, res: Response) => {
    res.set('cache-control', 'public, max-age=3600');
    res.json({
      resource: resourceUrl(req, o.resourceUrl),
      authorization_servers: [o.identitySiteUrl],
      bearer_methods_supported: ['header'],
      scopes_supported: ['api'],
      resource_name: 'Customer 360 graph: trusted operations as MCP tools',
    });
  };
}

// SLAS (Shopper Login and API Access Service), docs/salesforce/scapi.md#slas: guest login for
// public (PKCE) and private clients, trusted system on behalf of a registered shopper, refresh,
// revoke, introspect. Errors use the OAuth envelope {error, error_description}.
import { Router, type Request } from 'express';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendOAuthError } from '../core/error-bodies.js';
import { basicClientCredentials, formOf, oauthForm } from '../core/oauth-token-endpoint.js';
import type { TokenRecord } from '../core/tokens.js';
import type { CitizenIdentity } from '../world.js';
import type { ScapiStore } from './store.js';

const GUEST_REFRESH_TTL = 30 * 86_400;
const REGISTERED_REFRESH_TTL = 90 * 86_400;
/**
 * TSOB "service protection window": a second trusted-system login for the same login_id within
 * 3 seconds answers 409 (https://developer.salesforce.com/docs/commerce/commerce-api/guide/slas-trusted-system.html:
 * "customers attempting to log in more than once through TSOB during a period of 3 seconds will
 * receive a 409 HTTP error").
 */
export const TSOB_WINDOW_MS = 3_000;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  usid: string;
  customerId: string;
  channelId: string;
  expiresAt: number;
}

interface Shopper {
  customerId: string;
  usid: string;
  citizen?: CitizenIdentity;
}

const b64url = (b: Buffer) => b.toString('base64url');

export function createSlasRouter(core: EmulatorCore, store: ScapiStore): Router {
  const r = Router({ mergeParams: true });
  r.use(oauthForm);
  const codes = new Map<string, PendingCode>();
  const org = core.settings.scapiOrganizationId;
  const realm = org.replace(/^f_ecom_/, '');
  const integration = core.world.integration;
  const publicClients = new Set([integration.clientId, core.world.portalApp.clientId]);

  // SLAS authenticates clients by the Basic header only (a private client's id and secret).
  const basicClient = (req: Request) => basicClientCredentials(req.headers.authorization);
  const privateClientOk = (req: Request) => {
    const b = basicClient(req);
    return (
      !!b && b.clientId === integration.clientId && b.clientSecret === integration.clientSecret
    );
  };
  /** Revoke and introspect: a known client, the private one with its secret. */
  const knownClientOk = (req: Request) => {
    const b = basicClient(req);
    return (
      !!b &&
      publicClients.has(b.clientId) &&
      (b.clientId !== integration.clientId || b.clientSecret === integration.clientSecret)
    );
  };

  const guestId = () =>
    `ab${randomBytes(18)
      .toString('base64url')
      .replace(/[^a-zA-Z]/g, 'x')
      .slice(0, 24)}`;

  function tokenResponse(
    clientId: string,
    shopper: Shopper,
    channelId: string,
    parentRefresh?: TokenRecord,
  ) {
    const c = shopper.citizen;
    // The refresh token and its access token act for the same shopper (never mutated).
    const subject = {
      customerId: shopper.customerId,
      usid: shopper.usid,
      login: c?.email,
      guest: !c,
      channelId,
    };
    const refresh =
      parentRefresh ??
      core.tokens.issue('slas-refresh', {
        clientId,
        subject,
        // A SLAS client's tokens carry the client's scopes (SLAS Admin UI → Clients → Scopes).
        scope: integration.slasScopes.join(' '),
        ttlSeconds: c ? REGISTERED_REFRESH_TTL : GUEST_REFRESH_TTL,
      });
    const upn = c ? c.email : 'Guest';
    const isb = c
      ? `uido:ecom::upn:${upn}::uidn:${c.firstName} ${c.lastName}::gcid:${shopper.customerId}::rcid:${shopper.customerId}::chid:${channelId}`
      : `uido:slas::upn:Guest::uidn:Guest User::gcid:${shopper.customerId}::chid:${channelId}`;
    const access = core.tokens.issue('slas-access', {
      clientId,
      subject,
      scope: refresh.scope,
      ttlSeconds: core.settings.slasTokenTtlSeconds,
      parent: refresh.token,
      claims: {
        aut: 'GUID',
        scp: refresh.scope,
        sub: `cc-slas::${realm}::scid:${clientId}::usid:${shopper.usid}`,
        ctx: 'slas',
        iss: `slas/prod/${realm}`,
        ist: 1,
        dnt: '0',
        aud: `commercecloud/prod/${realm}`,
        sty: 'User',
        isb,
      },
    });
    return {
      access_token: access.token,
      id_token: '',
      refresh_token: refresh.token,
      expires_in: core.settings.slasTokenTtlSeconds,
      refresh_token_expires_in: Math.round((refresh.expiresAt - core.clock.now()) / 1000),
      token_type: 'BEARER',
      usid: shopper.usid,
      customer_id: shopper.customerId,
      enc_user_id: createHash('md5').update(shopper.customerId).digest('hex').toUpperCase(),
      idp_access_token: '',
    };
  }

  // Guest login, public client, step 1: redirect with a code.
  r.get('/oauth2/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (!q.client_id || !publicClients.has(q.client_id))
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing client_id.');
    if (!q.redirect_uri)
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing redirect_uri.');
    if (q.response_type !== 'code')
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing response_type.');
    if (!q.code_challenge)
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing code_challenge.');
    if (q.hint !== 'guest')
      return sendOAuthError(
        res,
        400,
        'invalid_request',
        'Only hint=guest is supported on authorize; registered shoppers use /login.',
      );
    const code = b64url(randomBytes(32));
    const usid = q.usid || randomUUID();
    codes.set(code, {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      challenge: q.code_challenge,
      usid,
      customerId: guestId(),
      channelId: q.channel_id ?? core.settings.scapiSiteId,
      expiresAt: core.clock.now() + 10 * 60_000,
    });
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', code);
    target.searchParams.set('usid', usid);
    if (q.state) target.searchParams.set('state', q.state);
    res.redirect(303, target.toString());
  });

  r.post('/oauth2/token', (req, res) => {
    const f = formOf(req);
    const channelId = f.channel_id;
    switch (f.grant_type) {
      case 'authorization_code_pkce': {
        const pending = f.code ? codes.get(f.code) : undefined;
        if (!f.client_id || !publicClients.has(f.client_id))
          return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing client_id.');
        if (!pending || pending.expiresAt < core.clock.now() || pending.clientId !== f.client_id)
          return sendOAuthError(res, 400, 'invalid_grant', 'Bad or missing authorization code.');
        const verifier = f.code_verifier ?? '';
        if (b64url(createHash('sha256').update(verifier).digest()) !== pending.challenge)
          return sendOAuthError(res, 400, 'invalid_grant', 'Invalid code_verifier.');
        codes.delete(f.code!);
        return res.json(
          tokenResponse(
            f.client_id,
            { customerId: pending.customerId, usid: pending.usid },
            channelId ?? pending.channelId,
          ),
        );
      }
      case 'client_credentials': {
        if (!privateClientOk(req))
          return sendOAuthError(res, 401, 'invalid_client', 'Basic Authorization failed.');
        if (!channelId)
          return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing channel_id.');
        return res.json(
          tokenResponse(
            integration.clientId,
            { customerId: guestId(), usid: f.usid || randomUUID() },
            channelId,
          ),
        );
      }
      case 'refresh_token': {
        const old = core.tokens.lookup(f.refresh_token, 'slas-refresh');
        if (!old)
          return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing refresh token.');
        const isPrivate = privateClientOk(req);
        const clientId = isPrivate ? integration.clientId : f.client_id;
        if (!clientId || clientId !== old.clientId)
          return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing client_id.');
        const s = old.subject;
        const shopper: Shopper = {
          customerId: String(s.customerId),
          usid: String(s.usid),
          citizen: s.guest ? undefined : store.citizenById(String(s.customerId)),
        };
        // Public clients always get a new refresh token and the old one is voided; private keep theirs.
        if (!isPrivate) core.tokens.revoke(old.token);
        return res.json(
          tokenResponse(
            clientId,
            shopper,
            channelId ?? String(s.channelId ?? ''),
            isPrivate ? old : undefined,
          ),
        );
      }
      default:
        return sendOAuthError(res, 400, 'unsupported_grant_type', 'Grant type is not supported.');
    }
  });

  // Trusted system on behalf of a registered shopper (private client only):
  // getTrustedSystemAccessToken, commerce-sdk-isomorphic apis/auth-oas-1.50.0/auth-oas-v1-public.yaml
  // (TrustedSystemTokenRequest; 409 example ConflictingCalls409, whose text says "1 second" while
  // the TSOB guide gives the window as 3 seconds) and
  // https://developer.salesforce.com/docs/commerce/commerce-api/guide/slas-trusted-system.html
  // ("If the shopper does not exist, SLAS returns an HTTP 400"; the exact error_description is
  // not in the stored copy of the guide: UNCONFIRMED). A `usid` sent is kept; without one a new
  // one is generated. Renewal is by the returned refresh token at /oauth2/token.
  const lastTsob = new Map<string, number>();
  r.post('/oauth2/trusted-system/token', (req, res) => {
    const f = formOf(req);
    if (!privateClientOk(req))
      return sendOAuthError(res, 401, 'invalid_client', 'Basic Authorization failed.');
    if (f.grant_type !== 'client_credentials')
      return sendOAuthError(res, 400, 'unsupported_grant_type', 'Grant type is not supported.');
    if (f.hint !== 'ts_ext_on_behalf_of')
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing hint.');
    if (!f.login_id) return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing login_id.');
    if (!f.channel_id)
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing channel_id.');
    if (f.idp_origin !== 'ecom')
      return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing idp_origin.');
    // Trusted system on behalf needs the client scope sfcc.ts_ext_on_behalf_of.
    // https://developer.salesforce.com/docs/commerce/commerce-api/guide/slas-trusted-system.html
    if (!integration.slasScopes.includes('sfcc.ts_ext_on_behalf_of'))
      return sendOAuthError(
        res,
        400,
        'unauthorized_client',
        'The client is not allowed trusted system on behalf of (sfcc.ts_ext_on_behalf_of).',
      );
    const loginKey = f.login_id.toLowerCase();
    const now = core.clock.now();
    for (const [k, at] of lastTsob) if (now - at >= TSOB_WINDOW_MS) lastTsob.delete(k);
    if (lastTsob.has(loginKey))
      return sendOAuthError(
        res,
        409,
        'conflict',
        'The same loginId and tenantId tried to login twice within 1 second.',
      );
    lastTsob.set(loginKey, now);
    const citizen = store.citizenByLogin(f.login_id);
    if (!citizen)
      return sendOAuthError(res, 400, 'invalid_request', 'The shopper could not be found.');
    res.json(
      tokenResponse(
        integration.clientId,
        { customerId: citizen.commerceCustomerId, usid: f.usid || randomUUID(), citizen },
        f.channel_id,
      ),
    );
  });

  r.post('/oauth2/revoke', (req, res) => {
    const f = formOf(req);
    if (!knownClientOk(req))
      return sendOAuthError(res, 401, 'invalid_client', 'Basic Authorization failed.');
    if (!f.token) return sendOAuthError(res, 400, 'invalid_request', 'Bad or missing token.');
    core.tokens.revoke(f.token);
    res.status(200).end();
  });

  r.post('/oauth2/introspect', (req, res) => {
    const f = formOf(req);
    if (!knownClientOk(req))
      return sendOAuthError(res, 401, 'invalid_client', 'Basic Authorization failed.');
    const rec = core.tokens.lookup(f.token, 'slas-access', 'slas-refresh');
    if (!rec) return res.json({ active: false });
    res.json({
      active: true,
      client_id: rec.clientId,
      exp: Math.floor(rec.expiresAt / 1000),
      iat: Math.floor(rec.issuedAt / 1000),
      iss: `slas/prod/${realm}`,
      scope: rec.scope,
      sub: `cc-slas::${realm}::scid:${rec.clientId}::usid:${rec.subject.usid}`,
      token_type: rec.kind === 'slas-access' ? 'access_token' : 'refresh_token',
    });
  });

  return r;
}

// OAuth endpoints of the Experience Cloud site (docs/salesforce/headless-identity.md):
// headless authorize (code_credentials + PKCE), token, userinfo, revoke, introspect.
import { Router, type Request, type Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendOAuthError } from '../core/error-bodies.js';
import {
  basicCredentials,
  clientCredentials,
  formOf,
  oauthForm,
  salesforceIntrospection,
  salesforceTokenBody,
} from '../core/oauth-token-endpoint.js';
import { bearerToken, type TokenRecord } from '../core/tokens.js';
import { checkOtp } from './otp.js';
import { DECOY_HASH, verifyPassword } from './passwords.js';
import { AUTH_CODE_TTL_MS, identityState } from './state.js';
import {
  communityId,
  communityUrl,
  grantedScope,
  hasIdentityScope,
  identityUrl,
  isKnownClient,
} from './clients.js';
import { completeRegistration } from './headless.js';
import { oauthTokens } from '../crm/oauth-tokens.js';
import { findUser, recordLogin } from './users.js';

/** The portal connected app's label (OauthToken.AppName). */
const PORTAL_APP_NAME = 'Citizen Portal';

/** Refresh tokens live until revoked in a real org; the emulator gives them a year. */
const REFRESH_TTL_SECONDS = 365 * 86_400;

// The site's answers for a client id or redirect URI that is not the connected app's.
const invalidClientId = (res: Response) =>
  sendOAuthError(res, 400, 'invalid_client_id', 'client identifier invalid');
const redirectUriMismatch = (res: Response) =>
  sendOAuthError(res, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');

export function createOAuthRouter(core: EmulatorCore): Router {
  const r = Router();
  const state = identityState(core);

  r.post('/services/oauth2/authorize', oauthForm, (req: Request, res: Response) => {
    const body = formOf(req);
    const { portalApp } = core.world;
    if (body.client_id !== portalApp.clientId) return invalidClientId(res);
    if (body.redirect_uri !== portalApp.redirectUri) return redirectUriMismatch(res);
    if (body.response_type !== 'code_credentials')
      return sendOAuthError(res, 400, 'unsupported_response_type', 'response type not supported');
    if (!body.code_challenge || !/^[A-Za-z0-9_-]{43}$/.test(body.code_challenge))
      return sendOAuthError(
        res,
        400,
        'invalid_request',
        'missing or invalid code_challenge (S256 PKCE is required)',
      );
    const basic = basicCredentials(req.headers.authorization);
    if (!basic) return sendOAuthError(res, 400, 'invalid_request', 'missing credentials');

    const kind = String(req.headers['auth-request-type'] ?? '').toLowerCase();
    let user: { userId: string; username: string } | undefined;
    if (kind === 'named-user') {
      const cred = state.credentials.get(basic.user.toLowerCase());
      // Always spend one scrypt so unknown users take as long as wrong passwords.
      const ok = verifyPassword(basic.password, cred ?? DECOY_HASH) && !!cred;
      const u = ok ? findUser(core, cred.userId) : undefined;
      if (u?.active) user = { userId: u.userId, username: u.username };
    } else if (kind === 'user-registration') {
      if (String(req.headers['auth-verification-type'] ?? 'email').toLowerCase() !== 'email')
        return sendOAuthError(res, 400, 'invalid_request', 'unsupported verification type');
      const done = completeRegistration(core, basic.user, basic.password);
      if (done.ok) user = done;
    } else if (kind === 'passwordless-login') {
      const pending = state.passwordless.get(basic.user);
      const cred = pending && state.credentials.get(pending.username);
      if (pending && cred && checkOtp(pending.otp, basic.password, state.now()) === 'ok') {
        state.passwordless.delete(basic.user);
        const u = findUser(core, cred.userId);
        if (u?.active) user = { userId: u.userId, username: u.username };
      }
    } else {
      return sendOAuthError(res, 400, 'invalid_request', 'unsupported Auth-Request-Type');
    }
    // Same answer whether or not the user exists, and no redirect: the Mobile SDK
    // (NativeLoginManagerInternal.submitAccessTokenRequest) treats a failed authorization
    // request as invalid credentials; status and body are otherwise undocumented
    // (docs/salesforce/headless-identity.md#not-documented).
    if (!user) return sendOAuthError(res, 400, 'invalid_grant', 'authentication failure');

    recordLogin(core, user.userId);
    const code = `aPrx${randomBytes(32).toString('base64url')}`;
    state.codes.set(code, {
      clientId: body.client_id,
      redirectUri: body.redirect_uri,
      codeChallenge: body.code_challenge,
      userId: user.userId,
      username: user.username,
      scope: grantedScope(body.scope, core.world.portalApp.scopes),
      expiresAt: state.now() + AUTH_CODE_TTL_MS,
      used: false,
    });
    // "Salesforce returns a 302 redirect to a preconfigured URL containing the authorization
    // code" — the callback URL with code, sfdc_community_url, sfdc_community_id and state. A
    // caller that wants JSON configures the site's echo endpoint as the callback (below).
    // https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_login_overview.htm
    const location = new URL(body.redirect_uri);
    location.searchParams.set('code', code);
    location.searchParams.set('sfdc_community_url', communityUrl(core));
    location.searchParams.set('sfdc_community_id', communityId());
    if (body.state) location.searchParams.set('state', body.state);
    res.redirect(302, location.toString());
  });

  // OAuth 2.0 echo endpoint: answers the query string of the authorize redirect as JSON, so a
  // single-page or native app whose callback URL is `{site}/services/oauth2/echo` reads the code
  // without a server of its own. CORS is allowed for it.
  // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_echo_endpoint.htm
  r.get('/services/oauth2/echo', (req: Request, res: Response) => {
    const qs = req.originalUrl.includes('?')
      ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
      : '';
    res.setHeader('access-control-allow-origin', '*');
    res.json(Object.fromEntries(new URLSearchParams(qs)));
  });

  r.post('/services/oauth2/token', oauthForm, (req: Request, res: Response) => {
    const body = formOf(req);
    const { clientId } = clientCredentials(req);
    if (body.grant_type === 'authorization_code') {
      if (clientId !== core.world.portalApp.clientId) return invalidClientId(res);
      const code = body.code ? state.codes.get(body.code) : undefined;
      if (!code || code.used || code.expiresAt <= state.now())
        return sendOAuthError(res, 400, 'invalid_grant', 'expired authorization code');
      // A code is burnt by the first exchange attempt, successful or not (replay protection).
      code.used = true;
      if (code.clientId !== clientId)
        return sendOAuthError(res, 400, 'invalid_grant', 'client mismatch');
      if (code.redirectUri !== body.redirect_uri) return redirectUriMismatch(res);
      const challenge = createHash('sha256')
        .update(body.code_verifier ?? '')
        .digest('base64url');
      if (!body.code_verifier || challenge !== code.codeChallenge)
        return sendOAuthError(res, 400, 'invalid_grant', 'invalid code verifier');
      const subject = { userId: code.userId, username: code.username };
      const refresh = code.scope.split(/\s+/).includes('refresh_token')
        ? core.tokens.issue('core-refresh', {
            clientId,
            subject,
            scope: code.scope,
            ttlSeconds: REFRESH_TTL_SECONDS,
          })
        : undefined;
      if (refresh) oauthTokens(core).record(refresh, PORTAL_APP_NAME);
      const access = core.tokens.issue('core-access', {
        clientId,
        subject,
        scope: code.scope,
        ttlSeconds: core.settings.coreTokenTtlSeconds,
        parent: refresh?.token,
      });
      return res.json(tokenResponse(core, access, refresh));
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = core.tokens.lookup(body.refresh_token, 'core-refresh');
      if (!refresh)
        return sendOAuthError(res, 400, 'invalid_grant', 'expired access/refresh token');
      // A spent (rotated) refresh token presented again: "each refresh token is used only one
      // time", so a second use means two parties hold the grant. The whole token family is
      // revoked — the newest refresh token and every access token minted from the grant — and
      // both parties must sign in again (reuse detection, OAuth 2.0 Security BCP).
      // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_refresh_token_flow.htm
      // https://help.salesforce.com/s/articleView?id=xcloud.connected_app_refresh_token_rotation.htm
      // https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
      if (refresh.rotated) {
        core.tokens.revoke(refresh.token);
        return sendOAuthError(res, 400, 'invalid_grant', 'expired access/refresh token');
      }
      if (clientId && clientId !== refresh.clientId) return invalidClientId(res);
      // Refresh token rotation (connected app setting "Enable Refresh Token Rotation"): a new
      // refresh token in every answer, the presented one spent. Access tokens already minted
      // from it keep working until they expire; revoking any token of the grant ends it all.
      // https://help.salesforce.com/s/articleView?id=xcloud.connected_app_refresh_token_rotation.htm
      const rotate =
        refresh.clientId === core.world.portalApp.clientId &&
        core.world.portalApp.rotateRefreshTokens;
      const next = rotate
        ? core.tokens.issue('core-refresh', {
            clientId: refresh.clientId,
            subject: refresh.subject,
            scope: refresh.scope,
            ttlSeconds: REFRESH_TTL_SECONDS,
            family: refresh.family ?? refresh.token,
          })
        : undefined;
      if (rotate) core.tokens.rotate(refresh.token);
      oauthTokens(core).used(refresh.family ?? refresh.token, next);
      const access = core.tokens.issue('core-access', {
        clientId: refresh.clientId,
        subject: refresh.subject,
        scope: refresh.scope,
        ttlSeconds: core.settings.coreTokenTtlSeconds,
        parent: next?.token ?? refresh.token,
      });
      return res.json(tokenResponse(core, access, next));
    }
    return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  });

  r.get('/services/oauth2/userinfo', (req: Request, res: Response) => {
    const record = core.tokens.lookup(bearerToken(req.headers.authorization), 'core-access');
    const userId = record ? String(record.subject.userId ?? '') : '';
    const user = userId ? findUser(core, userId) : undefined;
    if (!record || !user)
      return sendOAuthError(res, 401, 'invalid_token', 'access token is invalid or expired');
    // Only a token with an identity scope may read who it is (and the app's custom attributes).
    if (!hasIdentityScope(record.scope)) {
      res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope", scope="openid"');
      return sendOAuthError(
        res,
        403,
        'insufficient_scope',
        'the access token has no identity scope (openid, profile, email, address, phone, id)',
      );
    }
    const origin = core.settings.publicOrigin();
    const attrs: Record<string, string> = { isAgent: String(user.isAgent) };
    if (user.contactId) attrs.contactId = user.contactId;
    if (user.unifiedId) attrs.unifiedIndividualId = user.unifiedId;
    if (user.commerceCustomerId) attrs.commerceCustomerId = user.commerceCustomerId;
    if (user.commerceLogin) attrs.commerceLogin = user.commerceLogin;
    const rest = `${origin}/crm/services/data/v{version}/`;
    res.json({
      sub: identityUrl(core, user.userId),
      user_id: user.userId,
      organization_id: core.world.orgId,
      preferred_username: user.username,
      nickname: user.username.split('@')[0],
      name: [user.firstName, user.lastName].filter(Boolean).join(' '),
      email: user.email,
      email_verified: user.emailVerified,
      given_name: user.firstName,
      family_name: user.lastName,
      zoneinfo: 'America/Los_Angeles',
      photos: {
        picture: `${communityUrl(core)}/profilephoto/005/F`,
        thumbnail: `${communityUrl(core)}/profilephoto/005/T`,
      },
      profile: `${communityUrl(core)}/${user.userId}`,
      picture: `${communityUrl(core)}/profilephoto/005/F`,
      address: { country: 'US' },
      is_salesforce_integration_user: user.isIntegration,
      urls: {
        rest,
        sobjects: `${rest}sobjects/`,
        query: `${rest}query/`,
        profile: `${communityUrl(core)}/${user.userId}`,
      },
      active: user.active,
      user_type: user.userType === 'CspLitePortal' ? 'CSP_LITE_PORTAL' : 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: -28800000,
      updated_at: user.updatedAt.replace(/\.\d{3}\+0000$/, 'Z'),
      is_app_installed: true,
      custom_attributes: attrs,
    });
  });

  const revoke = (req: Request, res: Response) => {
    const token = (formOf(req).token ?? (req.query.token as string | undefined))?.trim();
    if (!token) return sendOAuthError(res, 400, 'invalid_request', 'missing token parameter');
    // An OauthToken's DeleteToken ends that grant (Object Reference, OauthToken "Usage").
    if (oauthTokens(core).revokeByDeleteToken(token)) return res.status(200).end();
    const record = core.tokens.lookup(token, 'core-access', 'core-refresh');
    if (!record)
      return sendOAuthError(res, 400, 'unsupported_token_type', 'this token type is not supported');
    // A refresh token's access tokens die with it (TokenStore checks the parent on lookup).
    core.tokens.revoke(token);
    res.status(200).end();
  };
  r.post('/services/oauth2/revoke', oauthForm, revoke);
  r.get('/services/oauth2/revoke', revoke);

  // Introspection authenticates the calling connected app with its client id AND secret, and
  // sees only that app's tokens unless the app may "introspect all tokens".
  // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm
  r.post('/services/oauth2/introspect', oauthForm, (req: Request, res: Response) => {
    const caller = clientCredentials(req);
    if (!caller.clientSecret || !isKnownClient(core, caller))
      return sendOAuthError(res, 401, 'invalid_client', 'invalid client credentials');
    const record = core.tokens.lookup(formOf(req).token, 'core-access', 'core-refresh');
    const seesAll =
      caller.clientId === core.world.integration.clientId &&
      core.world.integration.introspectAllTokens;
    if (!record || (record.clientId !== caller.clientId && !seesAll))
      return res.json({ active: false });
    const userId = String(record.subject.userId ?? '');
    res.json(
      salesforceIntrospection(record, {
        username: String(record.subject.username ?? findUser(core, userId)?.username ?? ''),
        sub: identityUrl(core, userId),
      }),
    );
  });
  return r;
}

/**
 * The core token body plus the site fields (docs/salesforce/headless-identity.md#code-for-token).
 */
function tokenResponse(core: EmulatorCore, access: TokenRecord, refresh?: TokenRecord) {
  // The portal app is a public client without a secret: the emulator keys the signature with its id.
  const signingKey =
    access.clientId === core.world.integration.clientId
      ? core.world.integration.clientSecret
      : access.clientId;
  return {
    ...salesforceTokenBody({
      access,
      refresh,
      id: identityUrl(core, String(access.subject.userId)),
      instanceUrl: `${core.settings.publicOrigin()}/crm`,
      signingKey,
    }),
    sfdc_community_url: communityUrl(core),
    sfdc_community_id: communityId(),
  };
}

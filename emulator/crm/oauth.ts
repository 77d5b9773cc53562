// The core org's OAuth endpoints on the org host
// (docs/salesforce/crm-rest.md#oauth-token-endpoint): client credentials for the integration
// client, refresh tokens minted by Headless Identity, revoke and introspect. Errors are {error,
// error_description}.
import { Router, type Response } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendOAuthError } from '../core/error-bodies.js';
import {
  clientCredentials,
  formOf,
  oauthForm,
  salesforceIntrospection,
  salesforceTokenBody,
  type ClientCredentials,
} from '../core/oauth-token-endpoint.js';
import type { TokenRecord } from '../core/tokens.js';
import { oauthTokens } from './oauth-tokens.js';

export function createOAuthRouter(core: EmulatorCore): Router {
  const r = Router();
  r.use('/services/oauth2', oauthForm);
  const world = () => core.world;
  const origin = () => `${core.settings.publicOrigin()}/crm`;
  const identityUrl = (userId: string) => `${origin()}/id/${world().orgId}/${userId}`;
  const isIntegration = (c: ClientCredentials) =>
    c.clientId === world().integration.clientId &&
    c.clientSecret === world().integration.clientSecret;
  const isPortal = (c: ClientCredentials) => c.clientId === world().portalApp.clientId;

  const tokenResponse = (access: TokenRecord, secret: string) =>
    salesforceTokenBody({
      access,
      id: identityUrl(String(access.subject.userId)),
      instanceUrl: origin(),
      signingKey: secret,
    });

  r.post('/services/oauth2/token', (req, res) => {
    const body = formOf(req);
    const grant = body.grant_type;
    const client = clientCredentials(req);
    if (grant === 'client_credentials') {
      if (!client.clientId || !client.clientSecret)
        return sendOAuthError(res, 400, 'invalid_client', 'invalid client credentials');
      if (!isIntegration(client))
        return sendOAuthError(res, 401, 'invalid_client', 'invalid client credentials');
      const integ = world().integration;
      const access = core.tokens.issue('core-access', {
        clientId: integ.clientId,
        subject: { userId: integ.userId, username: integ.username },
        // The scopes the integration connected app is configured with in the emulated org
        // (user_registration_api and forgot_password: the site's headless init calls, when it
        // requires authentication — NetworkAuthApiSettings.Does…RequireAuth).
        scope:
          'api cdp_query_api cdp_profile_api cdp_segment_api user_registration_api forgot_password',
        ttlSeconds: core.settings.coreTokenTtlSeconds,
      });
      return res.json(tokenResponse(access, integ.clientSecret));
    }
    if (grant === 'refresh_token') {
      if (!client.clientId)
        return sendOAuthError(res, 400, 'invalid_client', 'invalid client credentials');
      if (!isIntegration(client) && !isPortal(client))
        return sendOAuthError(res, 401, 'invalid_client', 'invalid client credentials');
      const refresh = core.tokens.lookup(body.refresh_token, 'core-refresh');
      if (!refresh || refresh.clientId !== client.clientId)
        return sendOAuthError(res, 400, 'invalid_grant', 'expired access/refresh token');
      const access = core.tokens.issue('core-access', {
        clientId: refresh.clientId,
        subject: refresh.subject,
        scope: refresh.scope,
        ttlSeconds: core.settings.coreTokenTtlSeconds,
        parent: refresh.token,
      });
      return res.json(tokenResponse(access, client.clientSecret ?? client.clientId));
    }
    if (!grant) return sendOAuthError(res, 400, 'invalid_request', 'grant type not specified');
    return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
  });

  const revoke = (token: string | undefined, res: Response) => {
    if (!token) return sendOAuthError(res, 400, 'invalid_request', 'token not specified');
    // An OauthToken's DeleteToken revokes that grant (Object Reference, OauthToken "Usage").
    if (oauthTokens(core).revokeByDeleteToken(token)) return res.status(200).end();
    if (!core.tokens.revoke(token))
      return sendOAuthError(res, 400, 'unsupported_token_type', 'this token type is not supported');
    res.status(200).end();
  };
  r.post('/services/oauth2/revoke', (req, res) => revoke(formOf(req).token, res));
  r.get('/services/oauth2/revoke', (req, res) =>
    revoke(req.query.token as string | undefined, res),
  );

  r.post('/services/oauth2/introspect', (req, res) => {
    const client = clientCredentials(req);
    if (!isIntegration(client) && !isPortal(client))
      return sendOAuthError(res, 401, 'invalid_client', 'invalid client credentials');
    const rec = core.tokens.lookup(formOf(req).token, 'core-access', 'core-refresh');
    if (!rec) return res.json({ active: false });
    const userId = String(rec.subject.userId ?? '');
    const user = userId ? core.sobjects.get('User', userId) : undefined;
    res.json(
      salesforceIntrospection(rec, {
        username:
          (user?.Username as string | undefined) ?? (rec.subject.username as string | undefined),
        sub: identityUrl(userId),
      }),
    );
  });
  return r;
}

// POST /services/a360/token on the core host: exchanges a live core access token for a Data
// Cloud token (docs/salesforce/data-cloud.md#token-exchange). instance_url is the tenant host
// WITHOUT a scheme. The request is a form (application/x-www-form-urlencoded) with grant_type
// urn:salesforce:grant-type:external:cdp, subject_token and subject_token_type
// urn:ietf:params:oauth:token-type:access_token; the answer carries access_token, instance_url,
// token_type Bearer and issued_token_type — Salesforce Help, "Sample Exchange Access Token for
// Data 360 Token Request and Response"
// (https://help.salesforce.com/apex/HTViewHelpDoc?id=service.conversation_transcript_api_sample2.htm)
// and "Acquire and Exchange Your Salesforce CDP Access Token"
// (https://developer.salesforce.com/docs/atlas.en-us.234.0.c360a_api.meta/c360a_api/c360a_acquire_an_access_token.htm).
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendOAuthError } from '../core/error-bodies.js';
import { formOf, oauthForm } from '../core/oauth-token-endpoint.js';

const GRANT = 'urn:salesforce:grant-type:external:cdp';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const REQUIRED_SCOPES = ['cdp_query_api', 'cdp_profile_api'];

/** `127.0.0.1:4010/datacloud`: the tenant endpoint the emulator serves, as a bare host+path. */
export function tenantHost(core: EmulatorCore): string {
  return `${core.settings.publicOrigin().replace(/^https?:\/\//, '')}/datacloud`;
}

export function createExchangeRouter(core: EmulatorCore): Router {
  const router = Router();
  router.post('/token', oauthForm, (req, res) => {
    const body = formOf(req);
    if (body.grant_type !== GRANT)
      return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
    if (!body.subject_token)
      return sendOAuthError(res, 400, 'invalid_request', 'subject_token is required');
    if (body.subject_token_type && body.subject_token_type !== ACCESS_TOKEN_TYPE)
      return sendOAuthError(res, 400, 'invalid_request', 'unsupported subject_token_type');
    const core_ = core.tokens.lookup(body.subject_token, 'core-access');
    if (!core_) return sendOAuthError(res, 400, 'invalid_grant', 'expired access/refresh token');
    const scopes = core_.scope.split(/\s+/);
    if (!scopes.includes('full') && !REQUIRED_SCOPES.every((s) => scopes.includes(s)))
      return sendOAuthError(
        res,
        400,
        'invalid_scope',
        'the subject token lacks the cdp_query_api and cdp_profile_api scopes',
      );
    const ttl = core.settings.dataCloudTokenTtlSeconds;
    const dc = core.tokens.issue('datacloud', {
      clientId: core_.clientId,
      subject: core_.subject,
      scope: core_.scope,
      ttlSeconds: ttl,
      claims: {
        sub: String(core_.subject.userId ?? ''),
        audienceTenantId: core.world.orgId,
        dataspace: body.dataspace ?? 'default',
      },
    });
    res.json({
      access_token: dc.token,
      instance_url: tenantHost(core),
      token_type: 'Bearer',
      issued_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      expires_in: ttl,
    });
  });
  return router;
}

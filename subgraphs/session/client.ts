// The only code in the Session subgraph that speaks HTTP to Salesforce: the Headless Identity
// endpoints of the Experience Cloud site, and CRM REST SOQL with the integration client (through
// lib/salesforce: one token cache, one re-authentication on 401, one SOQL quoting).
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import { UpstreamError } from '../../lib/errors.js';
import { CoreTokenCache } from '../../lib/salesforce/token-cache.js';
import { CrmClient } from '../../lib/salesforce/crm-client.js';
import { soqlString } from '../../lib/salesforce/soql.js';
import { withReauth } from '../../lib/salesforce/reauth.js';
import type { SessionConfig } from './config.js';

/** Core OAuth token response (docs/salesforce/headless-identity.md#code-for-token). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
  token_type: string;
  issued_at: string;
  scope?: string;
  sfdc_community_url?: string;
}

export interface IntrospectResponse {
  active: boolean;
  exp?: number;
  username?: string;
  sub?: string;
}

interface OAuthError {
  error?: string;
  error_description?: string;
}

/** Result of a headless init / forgot-password call: ok, or the site's `error` value. */
export type HeadlessResult<T = object> = ({ ok: true } & T) | { ok: false; error: string };

/** The integration client's core token: the shared cache of lib/salesforce (SessionConfig has its options). */
export { CoreTokenCache };

/**
 * reCAPTCHA proof from the browser, passed through to the site: a classic token (`recaptcha`), or
 * reCAPTCHA Enterprise's event (`recaptchaevent`: token, siteKey, expectedAction, projectId).
 */
export interface RecaptchaProof {
  token?: string | null;
  event?: { token: string; siteKey: string; expectedAction: string; projectId: string } | null;
}

export class IdentityClient {
  constructor(
    private readonly config: SessionConfig,
    private readonly transport: UpstreamTransport,
    /** The integration user's token (IDENTITY_HEADLESS_PROTECTION=integration-token). */
    private readonly tokens: CoreTokenCache,
  ) {}

  private url(path: string) {
    return joinUrl(this.config.identitySiteUrl, path);
  }

  /**
   * POST {site}/services/oauth2/authorize (Auth-Request-Type: Named-User, Basic username:password,
   * response_type=code_credentials + PKCE). Returns the code, or null for bad credentials.
   */
  authorizeNamedUser(
    username: string,
    password: string,
    codeChallenge: string,
  ): Promise<string | null> {
    return this.authorize({ 'auth-request-type': 'Named-User' }, username, password, codeChallenge);
  }

  /**
   * POST {site}/services/oauth2/authorize (Auth-Request-Type: user-registration,
   * Auth-Verification-Type: email, Basic identifier:otp). Returns the code, or null for a bad passcode.
   */
  authorizeRegistration(
    identifier: string,
    otp: string,
    codeChallenge: string,
  ): Promise<string | null> {
    return this.authorize(
      { 'auth-request-type': 'user-registration', 'auth-verification-type': 'email' },
      identifier,
      otp,
      codeChallenge,
    );
  }

  private async authorize(
    headers: Record<string, string>,
    user: string,
    secret: string,
    codeChallenge: string,
  ) {
    // The site answers a 302 to the callback URL with the code in the query string ("Salesforce
    // returns a 302 redirect to a preconfigured URL containing the authorization code"): read it
    // from Location, never follow it (the callback is the frontend's, not ours).
    // https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_login_overview.htm
    const res = await callUpstream<OAuthError>(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/oauth2/authorize'),
        manualRedirect: true,
        headers: {
          ...headers,
          authorization: `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`,
        },
        form: {
          response_type: 'code_credentials',
          client_id: this.config.identityClientId,
          redirect_uri: this.config.identityRedirectUri,
          code_challenge: codeChallenge,
        },
        timeoutMs: this.config.timeoutMs,
        accept: [400, 401, 403],
      },
      this.transport,
    );
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    const params = location ? queryOf(location) : undefined;
    const code = params?.get('code');
    if (code) return code;
    // A refusal may come as the OAuth error redirect (`{callback}?error=…`, RFC 6749 §4.1.2.1)
    // or as a 4xx body. Which words Salesforce uses for a wrong password, an unknown user or a
    // wrong passcode is undocumented, and its own Mobile SDK reads only the status
    // (NativeLoginManagerInternal), so any refusal is "not signed in" — the same null for
    // every username. Only the documented OAuth errors that say the app's configuration is
    // wrong are raised, so that a misconfiguration is not mistaken for a wrong password.
    const error = params?.get('error') ?? res.body?.error;
    if (error && CONFIGURATION_ERRORS.has(error))
      throw new UpstreamError(
        'identity',
        res.status,
        error,
        `identity authorize refused the app's configuration: ${error}`,
      );
    if ((location && error) || res.status === 400 || res.status === 401 || res.status === 403)
      return null;
    throw new UpstreamError(
      'identity',
      res.status,
      error,
      `identity authorize answered ${res.status} without a code`,
    );
  }

  /** POST {site}/services/oauth2/token (grant_type=authorization_code with the PKCE verifier). */
  async exchangeCode(code: string, codeVerifier: string): Promise<TokenResponse> {
    const res = await callUpstream<TokenResponse>(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/oauth2/token'),
        form: {
          grant_type: 'authorization_code',
          code,
          client_id: this.config.identityClientId,
          redirect_uri: this.config.identityRedirectUri,
          code_verifier: codeVerifier,
        },
        timeoutMs: this.config.timeoutMs,
      },
      this.transport,
    );
    return res.body;
  }

  /** POST {site}/services/oauth2/token (grant_type=refresh_token). Null when the refresh token is dead. */
  async refresh(refreshToken: string): Promise<TokenResponse | null> {
    const res = await callUpstream<TokenResponse & OAuthError>(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/oauth2/token'),
        form: {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: this.config.identityClientId,
        },
        timeoutMs: this.config.timeoutMs,
        accept: [400],
      },
      this.transport,
    );
    if (res.status === 200) return res.body;
    // 400 is a refresh token Salesforce no longer honours (expired, revoked, rotated away),
    // whatever its body says; a 401 (the client) was raised by callUpstream.
    if (res.body?.error && CONFIGURATION_ERRORS.has(res.body.error))
      throw new UpstreamError(
        'identity',
        res.status,
        res.body.error,
        `identity refresh refused the app's configuration: ${res.body.error}`,
      );
    return null;
  }

  /** POST {site}/services/oauth2/revoke (token=…). False when the token was already invalid. */
  async revoke(token: string): Promise<boolean> {
    const res = await callUpstream(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/oauth2/revoke'),
        form: { token },
        timeoutMs: this.config.timeoutMs,
        accept: [400],
      },
      this.transport,
    );
    return res.status === 200;
  }

  /** POST {site}/services/oauth2/introspect, authenticated as the integration client. */
  async introspect(token: string): Promise<IntrospectResponse> {
    const res = await callUpstream<IntrospectResponse>(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/oauth2/introspect'),
        form: {
          token,
          token_type_hint: 'access_token',
          client_id: this.config.crmClientId,
          client_secret: this.config.crmClientSecret,
        },
        timeoutMs: this.config.timeoutMs,
      },
      this.transport,
    );
    return res.body;
  }

  /** POST {site}/services/auth/headless/init/registration; the passcode goes to the email address. */
  async initRegistration(u: {
    firstName: string;
    lastName: string;
    email: string;
    password: string;
    /** The browser's reCAPTCHA proof, passed through as is. */
    recaptcha?: RecaptchaProof;
  }): Promise<HeadlessResult<{ identifier: string }>> {
    const res = await this.protectedInit<{ identifier?: string } & OAuthError>(
      '/services/auth/headless/init/registration',
      {
        userdata: {
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email,
          username: u.email,
        },
        password: u.password,
        ...recaptchaFields(u.recaptcha),
        verificationmethod: 'email',
      },
    );
    if (res.status === 200 && res.body?.identifier)
      return { ok: true, identifier: res.body.identifier };
    return { ok: false, error: res.body?.error ?? 'invalid_request' };
  }

  /**
   * POST {site}/services/auth/headless/forgot_password step 1 {username, recaptcha}. The site
   * answers otp_sent for every username once its protection passes; a refusal is the site's `error`.
   */
  async forgotPasswordStart(username: string, recaptcha?: RecaptchaProof): Promise<HeadlessResult> {
    const res = await this.protectedInit<OAuthError>('/services/auth/headless/forgot_password', {
      username,
      ...recaptchaFields(recaptcha),
    });
    return res.status === 200
      ? { ok: true }
      : { ok: false, error: res.body?.error ?? 'invalid_request' };
  }

  /**
   * An init call the site protects (NetworkAuthApiSettings). integration-token: with the
   * integration user's access token as Authorization: Bearer (it must carry the
   * user_registration_api / forgot_password scope), fetched again once when refused (401);
   * recaptcha: with the browser's token only. A site that refuses the request's credentials
   * (401/403) is misconfigured for this mode — an upstream failure, never the user's error
   * (npm run org:check names the setting).
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_networkauthapisettings.htm
   */
  private async protectedInit<T>(path: string, json: Record<string, unknown>) {
    const send = (accessToken?: string) =>
      callUpstream<T>(
        {
          family: 'identity',
          method: 'POST',
          url: this.url(path),
          ...(accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {}),
          json,
          timeoutMs: this.config.timeoutMs,
          accept: [400],
        },
        this.transport,
      );
    if (this.config.headlessProtection !== 'integration-token') return send();
    const tokens = this.tokens;
    return withReauth(
      {
        token: () => tokens.get(this.transport),
        invalidate: (s) => tokens.invalidate(s.accessToken),
      },
      (s) => send(s.accessToken),
    );
  }

  /** POST {site}/services/auth/headless/forgot_password step 2 {username, otp, newpassword}. */
  async forgotPasswordComplete(
    username: string,
    otp: string,
    newPassword: string,
  ): Promise<HeadlessResult> {
    const res = await callUpstream<OAuthError>(
      {
        family: 'identity',
        method: 'POST',
        url: this.url('/services/auth/headless/forgot_password'),
        json: { username, otp, newpassword: newPassword },
        timeoutMs: this.config.timeoutMs,
        accept: [400],
      },
      this.transport,
    );
    return res.status === 200
      ? { ok: true }
      : { ok: false, error: res.body?.error ?? 'invalid_request' };
  }
}

/**
 * The session subgraph's account reads and grant revocation, over lib/salesforce's CrmClient (the
 * one CRM connection): rows of a query as an array, a user's OAuth grants ended, the integration
 * user's "Customize Application" check, a user by username.
 */
export class SessionAccounts {
  private readonly crm: CrmClient;

  constructor(
    private readonly config: SessionConfig,
    private readonly tokens: CoreTokenCache,
    private readonly transport: UpstreamTransport,
    cacheReads = false,
  ) {
    this.crm = new CrmClient(config, tokens, transport, cacheReads);
  }

  /** The same client whose reads may come from the read cache (the account loaders'). */
  cached(): SessionAccounts {
    return new SessionAccounts(this.config, this.tokens, this.transport, true);
  }

  /** Every row of a SOQL query (queryMore followed; our IN lists stay far below one page). */
  async query<T>(soql: string): Promise<T[]> {
    return (await this.crm.query<T>(soql)).records;
  }

  /**
   * Ends every OAuth grant (refresh token, and with it each access token minted from it) of a
   * user: the OauthToken sObject lists them (query only — it supports no delete), and each row's
   * DeleteToken sent to the org's revoke endpoint deletes it. Returns how many were revoked.
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
   */
  async revokeAllTokensOf(userId: string): Promise<number> {
    // A query answers at most 500 OauthToken rows per page (Object Reference); a citizen has a
    // handful of sessions, so one page is the whole list.
    const rows = await this.query<OauthTokenRow>(
      `SELECT DeleteToken FROM OauthToken WHERE UserId = ${soqlString(userId)}`,
    );
    // Other users' rows are visible only with "Customize Application"; without it the query
    // answers 0 rows, no error. No rows is "nothing to end" only when the integration user could
    // have seen them.
    if (!rows.length && !(await this.seesEveryUsersTokens()))
      throw new SessionsNotEndedError(
        'the integration user cannot read other users’ OauthToken rows: give it "Customize Application"',
      );
    const tokens = rows.map((r) => r.DeleteToken).filter((t): t is string => !!t);
    let revoked = 0;
    for (let i = 0; i < tokens.length; i += REVOKE_CONCURRENCY) {
      const results = await Promise.all(
        tokens.slice(i, i + REVOKE_CONCURRENCY).map((t) => this.crm.revoke(t)),
      );
      revoked += results.filter(Boolean).length;
    }
    return revoked;
  }

  /**
   * True when the integration user holds "Customize Application" (through its profile or a
   * permission set), which OauthToken requires to show other users' rows.
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
   */
  async seesEveryUsersTokens(): Promise<boolean> {
    const me = await this.crm.runningUserId();
    const held = await this.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(me)} AND PermissionSet.PermissionsCustomizeApplication = true LIMIT 1`,
    );
    return held.length > 0;
  }

  /** The CRM User id for a username (the headless forgot-password answer carries none). */
  async userIdByUsername(username: string): Promise<string | null> {
    const rows = await this.query<{ Id: string }>(
      `SELECT Id FROM User WHERE Username = ${soqlString(username)} LIMIT 1`,
    );
    return rows[0]?.Id ?? null;
  }
}

/** The query parameters of an authorize redirect's Location (absolute or relative). */
function queryOf(location: string): URLSearchParams | undefined {
  try {
    return new URL(location, 'http://callback.invalid').searchParams;
  } catch {
    return undefined;
  }
}

/**
 * OAuth `error` values that say the connected app's request is wrong, not the user's
 * credentials (RFC 6749 §4.1.2.1 and §5.2; Salesforce's invalid_client_id and
 * redirect_uri_mismatch). Any other refusal is a failed sign-in.
 * https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm
 */
const CONFIGURATION_ERRORS = new Set([
  'invalid_client',
  'invalid_client_id',
  'unauthorized_client',
  'redirect_uri_mismatch',
  'unsupported_response_type',
  'unsupported_grant_type',
  'invalid_scope',
]);

/**
 * True when a headless refusal names reCAPTCHA. The site checks reCAPTCHA before it looks at
 * the username (forgot password answers otp_sent "if reCAPTCHA validation succeeds"), so saying
 * so tells nothing about an account; any other refusal gets the uniform answer. A site that
 * words it otherwise gets the uniform answer too (never a leak).
 * https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_recaptcha.htm
 */
export function refusedRecaptcha(r: HeadlessResult): boolean {
  return !r.ok && /recaptcha/i.test(r.error);
}

/**
 * The user's sessions could not be ended: the org hides their OauthToken rows from the
 * integration user (it lacks "Customize Application"). Never reported as success.
 */
export class SessionsNotEndedError extends UpstreamError {
  constructor(reason: string) {
    super('crm', 403, 'INSUFFICIENT_ACCESS', `sessions not ended: ${reason}`);
  }
}

export interface OauthTokenRow {
  DeleteToken: string | null;
}

/** One revoke call per grant, at most this many at once (no batch revoke exists). */
const REVOKE_CONCURRENCY = 4;

/** SOQL literals: lib/salesforce's quoting (loaders.ts imports it from here). */
export { soqlString };

/**
 * The request fields of the browser's reCAPTCHA proof: `recaptcha` (classic) and/or
 * `recaptchaevent` (reCAPTCHA Enterprise); nothing when there is none. Never a server value.
 * https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_recaptcha.htm
 */
function recaptchaFields(proof?: RecaptchaProof): Record<string, unknown> {
  const token = proof?.token?.trim();
  return {
    ...(token ? { recaptcha: token } : {}),
    ...(proof?.event ? { recaptchaevent: { ...proof.event } } : {}),
  };
}

// Identity family over plain HTTP: headless login with PKCE, token, refresh, revoke, userinfo, introspect.
import {
  authorize,
  basic,
  exchange,
  login,
  pkce,
  post,
  startIdentity,
  userinfo,
  type Harness,
} from './identity-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startIdentity();
});
afterAll(() => h.up.close());

const citizen = () => h.emu.core.world.citizens[3];
const pw = () => h.emu.core.world.citizenPassword;

describe('headless login (code_credentials + PKCE)', () => {
  test('happy path: authorize then exchange the code for tokens', async () => {
    const p = pkce();
    const a = await authorize(h, citizen().username, pw(), p.challenge);
    expect(a.status).toBe(302);
    expect(a.location!.startsWith(`${h.emu.core.world.portalApp.redirectUri}?code=`)).toBe(true);
    expect(a.body).toEqual({
      code: expect.any(String),
      sfdc_community_url: `${h.up.url}/identity`,
      sfdc_community_id: expect.stringMatching(/^0DB/),
      state: 'st1',
    });
    const t = await exchange(h, a.body.code, p.verifier);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({
      access_token: expect.stringMatching(/^00D\w+!/),
      refresh_token: expect.any(String),
      signature: expect.any(String),
      scope: 'api refresh_token openid',
      instance_url: `${h.up.url}/crm`,
      id: `${h.up.url}/identity/id/${h.emu.core.world.orgId}/${citizen().userId}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
      sfdc_community_url: `${h.up.url}/identity`,
    });
    const rec = h.emu.core.tokens.lookup(t.body.access_token, 'core-access');
    expect(rec?.subject).toEqual({ userId: citizen().userId, username: citizen().username });
  });

  test('usernames are case-insensitive; agents log in with their own password', async () => {
    await expect(login(h, citizen().username.toUpperCase(), pw())).resolves.toHaveProperty(
      'access_token',
    );
    const agent = h.emu.core.world.agents[0];
    const t = await login(h, agent.username, agent.password);
    expect(t.id.endsWith(agent.userId)).toBe(true);
  });

  test('with the echo endpoint as callback the redirect leads to the code as JSON', async () => {
    const app = h.emu.core.world.portalApp;
    const configured = app.redirectUri;
    const echo = `${h.site}/services/oauth2/echo`;
    app.redirectUri = echo; // the connected app's callback URL is the site's echo endpoint
    try {
      const p = pkce();
      const a = await authorize(h, citizen().username, pw(), p.challenge, {}, echo);
      expect(a.status).toBe(302);
      expect(new URL(a.location!).origin + new URL(a.location!).pathname).toBe(echo);
      const echoed = await fetch(a.location!);
      expect(echoed.status).toBe(200);
      expect(echoed.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await echoed.json()).toEqual({
        code: a.body.code,
        sfdc_community_url: `${h.up.url}/identity`,
        sfdc_community_id: expect.stringMatching(/^0DB/),
        state: 'st1',
      });
      // A client that follows the redirect (the Mobile SDK does) gets the JSON in one go.
      const followed = await fetch(`${h.site}/services/oauth2/authorize`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'Auth-Request-Type': 'Named-User',
          Authorization: basic(citizen().username, pw()),
        },
        body: new URLSearchParams({
          response_type: 'code_credentials',
          client_id: app.clientId,
          redirect_uri: echo,
          code_challenge: p.challenge,
        }).toString(),
      });
      expect(followed.status).toBe(200);
      const body = await followed.json();
      expect(Object.keys(body).sort()).toEqual(['code', 'sfdc_community_id', 'sfdc_community_url']);
      expect((await exchange(h, body.code, p.verifier)).status).toBe(200);
    } finally {
      app.redirectUri = configured;
    }
  });

  test('wrong password and unknown user get the same answer', async () => {
    const p = pkce();
    const wrong = await authorize(h, citizen().username, 'Nope12345', p.challenge);
    const unknown = await authorize(h, 'nobody@example.org', pw(), p.challenge);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({
      error: 'invalid_grant',
      error_description: 'authentication failure',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(wrong.body);
  });

  test('PKCE challenge is required and redirect_uri / client_id must match', async () => {
    const noChallenge = await authorize(h, citizen().username, pw(), '');
    expect(noChallenge.body.error).toBe('invalid_request');
    const app = h.emu.core.world.portalApp;
    const badRedirect = await post(
      `${h.site}/services/oauth2/authorize`,
      {
        response_type: 'code_credentials',
        client_id: app.clientId,
        redirect_uri: 'http://evil/cb',
        code_challenge: pkce().challenge,
      },
      { 'Auth-Request-Type': 'Named-User', Authorization: 'Basic eDp5' },
    );
    expect(badRedirect.body.error).toBe('redirect_uri_mismatch');
  });

  test('wrong verifier fails and burns the code; a used code cannot be reused', async () => {
    const p = pkce();
    const a = await authorize(h, citizen().username, pw(), p.challenge);
    const bad = await exchange(h, a.body.code, pkce().verifier);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid code verifier',
    });
    const again = await exchange(h, a.body.code, p.verifier);
    expect(again.body.error).toBe('invalid_grant');

    const p2 = pkce();
    const a2 = await authorize(h, citizen().username, pw(), p2.challenge);
    expect((await exchange(h, a2.body.code, p2.verifier)).status).toBe(200);
    const reuse = await exchange(h, a2.body.code, p2.verifier);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
  });

  test('codes are short-lived', async () => {
    const p = pkce();
    const a = await authorize(h, citizen().username, pw(), p.challenge);
    const { identityState } = await import('../identity/index.js');
    identityState(h.emu.core).clockOffsetMs += 16 * 60_000;
    try {
      expect((await exchange(h, a.body.code, p.verifier)).body.error).toBe('invalid_grant');
    } finally {
      identityState(h.emu.core).clockOffsetMs = 0;
    }
  });

  test('unsupported grant type', async () => {
    const r = await post(`${h.site}/services/oauth2/token`, { grant_type: 'password' });
    expect(r.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: expect.any(String),
    });
  });
});

describe('refresh, revoke, userinfo, introspect', () => {
  test('refresh with rotation: a new refresh token, the old one spent; revoking any ends the grant', async () => {
    const t = await login(h, citizen().username, pw());
    const r = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: h.emu.core.world.portalApp.clientId,
    });
    expect(r.status).toBe(200);
    expect(r.body.access_token).not.toBe(t.access_token);
    // The portal app rotates refresh tokens: a new one in the answer, the presented one spent.
    expect(r.body.refresh_token).toMatch(/^5Aep861/);
    expect(r.body.refresh_token).not.toBe(t.refresh_token);
    expect((await userinfo(h, r.body.access_token)).status).toBe(200);
    expect((await userinfo(h, t.access_token)).status).toBe(200);
    const reused = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
    });
    expect(reused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });
    // Reuse of a spent refresh token is taken as theft: the whole grant is revoked, the new
    // refresh token and every access token minted from either.
    expect((await userinfo(h, t.access_token)).status).toBe(401);
    expect((await userinfo(h, r.body.access_token)).status).toBe(401);
    const next = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: r.body.refresh_token,
    });
    expect(next.body.error).toBe('invalid_grant');
  });

  test('revoking the new refresh token of a rotated grant ends the whole grant', async () => {
    const t = await login(h, citizen().username, pw());
    const r = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      client_id: h.emu.core.world.portalApp.clientId,
    });
    expect(r.status).toBe(200);
    // Revoking the new refresh token ends the whole grant: both access tokens and the spent one.
    const rv = await post(`${h.site}/services/oauth2/revoke`, { token: r.body.refresh_token });
    expect(rv.status).toBe(200);
    expect(rv.text).toBe('');
    expect((await userinfo(h, t.access_token)).status).toBe(401);
    expect((await userinfo(h, r.body.access_token)).status).toBe(401);
    const again = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
    });
    expect(again.body).toEqual({
      error: 'invalid_grant',
      error_description: 'expired access/refresh token',
    });
  });

  test('revoking an access token kills only that token', async () => {
    const t = await login(h, citizen().username, pw());
    expect((await post(`${h.site}/services/oauth2/revoke`, { token: t.access_token })).status).toBe(
      200,
    );
    expect((await userinfo(h, t.access_token)).body).toEqual({
      error: 'invalid_token',
      error_description: expect.any(String),
    });
    const r = await post(`${h.site}/services/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
    });
    expect(r.status).toBe(200);
  });

  test('userinfo carries the custom attributes for a citizen', async () => {
    const c = citizen();
    const t = await login(h, c.username, pw());
    const u = await userinfo(h, t.access_token);
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({
      sub: t.id,
      user_id: c.userId,
      organization_id: h.emu.core.world.orgId,
      preferred_username: c.username,
      name: `${c.firstName} ${c.lastName}`,
      email: c.email,
      email_verified: true,
      given_name: c.firstName,
      family_name: c.lastName,
      active: true,
      user_type: 'CSP_LITE_PORTAL',
      is_salesforce_integration_user: false,
      updated_at: expect.stringMatching(/Z$/),
      custom_attributes: {
        contactId: c.contactId,
        unifiedIndividualId: c.unifiedId,
        commerceCustomerId: c.commerceCustomerId,
        commerceLogin: c.email,
        isAgent: 'false',
      },
    });
  });

  test('userinfo for an agent and for the integration user', async () => {
    const agent = h.emu.core.world.agents[1];
    const t = await login(h, agent.username, agent.password);
    const u = await userinfo(h, t.access_token);
    expect(u.body).toMatchObject({
      user_id: agent.userId,
      user_type: 'STANDARD',
      custom_attributes: { isAgent: 'true' },
    });
    expect(u.body.custom_attributes.contactId).toBeUndefined();

    // An integration user's token with an identity scope is one (the licence shows).
    const { integration } = h.emu.core.world;
    const it = h.emu.core.tokens.issue('core-access', {
      clientId: integration.clientId,
      subject: { userId: integration.userId, username: integration.username },
      scope: 'api openid',
      ttlSeconds: 60,
    });
    const ui = await userinfo(h, it.token);
    expect(ui.body).toMatchObject({
      user_id: integration.userId,
      is_salesforce_integration_user: true,
    });
  });

  test('userinfo needs an identity scope: a token without one is 403 insufficient_scope, no custom attributes', async () => {
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm
    const c = citizen();
    const p = pkce();
    const app = h.emu.core.world.portalApp;
    const a = await fetch(`${h.site}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'Auth-Request-Type': 'Named-User',
        Authorization: basic(c.username, pw()),
      },
      body: new URLSearchParams({
        response_type: 'code_credentials',
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        code_challenge: p.challenge,
        scope: 'api refresh_token',
      }),
    });
    const code = new URL(a.headers.get('location')!).searchParams.get('code')!;
    const t = await exchange(h, code, p.verifier);
    expect(t.body.scope).toBe('api refresh_token');
    const u = await userinfo(h, t.body.access_token);
    expect(u.status).toBe(403);
    expect(u.body).toEqual({ error: 'insufficient_scope', error_description: expect.any(String) });
    expect(JSON.stringify(u.body)).not.toContain('custom_attributes');
  });

  test('a scope the connected app lacks is not granted', async () => {
    const app = h.emu.core.world.portalApp;
    app.scopes = ['api', 'refresh_token'];
    try {
      const t = await login(h, citizen().username, pw());
      expect(t.scope).toBe('api refresh_token');
      expect((await userinfo(h, t.access_token)).status).toBe(403);
    } finally {
      app.scopes = ['api', 'refresh_token', 'openid'];
    }
  });

  test("the integration app's client-credentials token (api and Data Cloud scopes) is refused by userinfo", async () => {
    const { integration } = h.emu.core.world;
    const res = await fetch(`${h.up.url}/crm/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: integration.clientId,
        client_secret: integration.clientSecret,
      }),
    });
    const t = (await res.json()) as { access_token: string; scope: string };
    expect(t.scope).toBe(
      'api cdp_query_api cdp_profile_api cdp_segment_api user_registration_api forgot_password',
    );
    const u = await userinfo(h, t.access_token);
    expect(u.status).toBe(403);
    expect(u.body.error).toBe('insufficient_scope');
  });

  test('introspect: active and inactive tokens, client authentication', async () => {
    const c = citizen();
    const t = await login(h, c.username, pw());
    const { integration } = h.emu.core.world;
    const creds = { client_id: integration.clientId, client_secret: integration.clientSecret };
    const active = await post(`${h.site}/services/oauth2/introspect`, {
      token: t.access_token,
      token_type_hint: 'access_token',
      ...creds,
    });
    expect(active.body).toEqual({
      active: true,
      scope: 'api refresh_token openid',
      client_id: h.emu.core.world.portalApp.clientId,
      username: c.username,
      sub: t.id,
      token_type: 'access_token',
      exp: expect.any(Number),
      iat: expect.any(Number),
      nbf: expect.any(Number),
    });
    expect(active.body.exp - active.body.iat).toBe(h.emu.core.settings.coreTokenTtlSeconds);
    const refresh = await post(`${h.site}/services/oauth2/introspect`, {
      token: t.refresh_token,
      ...creds,
    });
    expect(refresh.body.token_type).toBe('refresh_token');
    const basicAuth = `Basic ${Buffer.from(`${integration.clientId}:${integration.clientSecret}`).toString('base64')}`;
    const viaBasic = await post(
      `${h.site}/services/oauth2/introspect`,
      { token: 'nonsense' },
      { authorization: basicAuth },
    );
    expect(viaBasic.body).toEqual({ active: false });
    const badClient = await post(`${h.site}/services/oauth2/introspect`, {
      token: t.access_token,
      client_id: integration.clientId,
      client_secret: 'x',
    });
    expect(badClient.status).toBe(401);
    expect(badClient.body.error).toBe('invalid_client');
    // A client id without its secret (the public portal app) may not introspect at all.
    const noSecret = await post(`${h.site}/services/oauth2/introspect`, {
      token: t.access_token,
      client_id: h.emu.core.world.portalApp.clientId,
    });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body.error).toBe('invalid_client');
  });

  test("introspect sees another app's tokens only with the 'introspect all tokens' setting", async () => {
    const t = await login(h, citizen().username, pw());
    const { integration } = h.emu.core.world;
    const ask = () =>
      post(`${h.site}/services/oauth2/introspect`, {
        token: t.access_token,
        client_id: integration.clientId,
        client_secret: integration.clientSecret,
      });
    integration.introspectAllTokens = false;
    try {
      expect((await ask()).body).toEqual({ active: false });
    } finally {
      integration.introspectAllTokens = true;
    }
    expect((await ask()).body.active).toBe(true);
  });
});

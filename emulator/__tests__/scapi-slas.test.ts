// SLAS over plain HTTP: every flow the gateway or a storefront uses, and their OAuth errors.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createEmulator } from '../server.js';

const emu = createEmulator({ citizens: 20 });
const org = emu.core.settings.scapiOrganizationId;
const site = emu.core.settings.scapiSiteId;
const base = `/scapi/shopper/auth/v1/organizations/${org}/oauth2`;
const { clientId, clientSecret } = emu.core.world.integration;
const basic = (id = clientId, secret = clientSecret) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

const tsob = (login: string, auth = basic()) =>
  request(emu.app)
    .post(`${base}/trusted-system/token`)
    .set('authorization', auth)
    .type('form')
    .send({
      grant_type: 'client_credentials',
      hint: 'ts_ext_on_behalf_of',
      login_id: login,
      idp_origin: 'ecom',
      channel_id: site,
    });

test('guest public client: authorize (303) then authorization_code_pkce with S256 verifier', async () => {
  const verifier = 'a'.repeat(43) + 'verifier';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const auth = await request(emu.app).get(`${base}/authorize`).query({
    client_id: clientId,
    channel_id: site,
    code_challenge: challenge,
    redirect_uri: 'http://localhost:3000/callback',
    response_type: 'code',
    hint: 'guest',
  });
  expect(auth.status).toBe(303);
  const location = new URL(auth.headers.location);
  expect(location.origin + location.pathname).toBe('http://localhost:3000/callback');
  const code = location.searchParams.get('code')!;
  const usid = location.searchParams.get('usid')!;
  expect(code).toBeTruthy();

  const wrong = await request(emu.app).post(`${base}/token`).type('form').send({
    grant_type: 'authorization_code_pkce',
    code,
    code_verifier: 'wrong-verifier',
    client_id: clientId,
    channel_id: site,
    redirect_uri: 'http://localhost:3000/callback',
    usid,
  });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error).toBe('invalid_grant');

  const ok = await request(emu.app).post(`${base}/token`).type('form').send({
    grant_type: 'authorization_code_pkce',
    code,
    code_verifier: verifier,
    client_id: clientId,
    channel_id: site,
    redirect_uri: 'http://localhost:3000/callback',
    usid,
  });
  expect(ok.status).toBe(200);
  expect(Object.keys(ok.body).sort()).toEqual(
    [
      'access_token',
      'customer_id',
      'enc_user_id',
      'expires_in',
      'id_token',
      'idp_access_token',
      'refresh_token',
      'refresh_token_expires_in',
      'token_type',
      'usid',
    ].sort(),
  );
  expect(ok.body.usid).toBe(usid);
  expect(ok.body.expires_in).toBe(1800);
  expect(decode(ok.body.access_token).isb).toContain('upn:Guest');

  // A code is single use.
  const again = await request(emu.app).post(`${base}/token`).type('form').send({
    grant_type: 'authorization_code_pkce',
    code,
    code_verifier: verifier,
    client_id: clientId,
  });
  expect(again.status).toBe(400);
});

test('authorize without client_id → 400 invalid_request', async () => {
  const res = await request(emu.app).get(`${base}/authorize`).query({
    redirect_uri: 'http://x/cb',
    response_type: 'code',
    hint: 'guest',
    code_challenge: 'x',
  });
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: 'invalid_request',
    error_description: 'Bad or missing client_id.',
  });
});

test('guest private client: client_credentials with Basic auth; bad secret → 401 invalid_client', async () => {
  const ok = await request(emu.app)
    .post(`${base}/token`)
    .set('authorization', basic())
    .type('form')
    .send({ grant_type: 'client_credentials', channel_id: site });
  expect(ok.status).toBe(200);
  expect(ok.body.customer_id).toMatch(/^ab/);
  const bad = await request(emu.app)
    .post(`${base}/token`)
    .set('authorization', basic(clientId, 'nope'))
    .type('form')
    .send({ grant_type: 'client_credentials', channel_id: site });
  expect(bad.status).toBe(401);
  expect(bad.body.error).toBe('invalid_client');
  const grant = await request(emu.app)
    .post(`${base}/token`)
    .type('form')
    .send({ grant_type: 'password' });
  expect(grant.body.error).toBe('unsupported_grant_type');
});

test('trusted system on behalf of a registered shopper', async () => {
  const c = emu.core.world.citizens[3];
  const ok = await tsob(c.email.toUpperCase());
  expect(ok.status).toBe(200);
  expect(ok.body.customer_id).toBe(c.commerceCustomerId);
  const claims = decode(ok.body.access_token);
  expect(claims.isb).toContain(`rcid:${c.commerceCustomerId}`);
  expect(claims.sub).toContain(`usid:${ok.body.usid}`);
  expect(ok.body.refresh_token_expires_in).toBeGreaterThan(7_000_000);

  // An unknown shopper (idp_origin=ecom) is a 400 (TSOB guide).
  const unknown = await tsob('nobody@example.org');
  expect(unknown.status).toBe(400);
  expect(unknown.body).toEqual({
    error: 'invalid_request',
    error_description: 'The shopper could not be found.',
  });
  const noLogin = await tsob('');
  expect(noLogin.status).toBe(400);
  expect(noLogin.body.error).toBe('invalid_request');
  const badClient = await tsob(c.email, basic(clientId, 'wrong'));
  expect(badClient.status).toBe(401);
});

test('TSOB: a second login for the same login_id within 3 s → 409 conflict; later ones pass; usid kept', async () => {
  const c = emu.core.world.citizens[5];
  // The window is measured on the emulator's clock, stopped before the first login: however
  // slow the machine, only `advance` moves it.
  emu.clock.freeze();
  try {
    const first = await tsob(c.email);
    expect(first.status).toBe(200);
    // Case does not make it another login.
    const again = await tsob(c.email.toUpperCase());
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: 'conflict',
      error_description: 'The same loginId and tenantId tried to login twice within 1 second.',
    });
    // Other shoppers are not affected.
    expect((await tsob(emu.core.world.citizens[6].email)).status).toBe(200);
    emu.clock.advance(2_999);
    expect((await tsob(c.email)).status).toBe(409);
    emu.clock.advance(1);
    // The shopper's session id goes in and comes back.
    const later = await request(emu.app)
      .post(`${base}/trusted-system/token`)
      .set('authorization', basic())
      .type('form')
      .send({
        grant_type: 'client_credentials',
        hint: 'ts_ext_on_behalf_of',
        login_id: c.email,
        idp_origin: 'ecom',
        channel_id: site,
        usid: first.body.usid,
      });
    expect(later.status).toBe(200);
    expect(later.body.usid).toBe(first.body.usid);
    expect(later.body.customer_id).toBe(c.commerceCustomerId);
    await renewTwice(first.body.refresh_token, first.body.usid, c.commerceCustomerId);
  } finally {
    emu.clock.reset();
  }
});

/** Renewal by refresh token is not a TSOB login: no window applies, the usid stays. */
async function renewTwice(refreshToken: string, usid: string, customerId: string) {
  for (let i = 0; i < 2; i++) {
    const refreshed = await request(emu.app)
      .post(`${base}/token`)
      .set('authorization', basic())
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: refreshToken, channel_id: site });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.usid).toBe(usid);
    expect(refreshed.body.customer_id).toBe(customerId);
  }
}

test('refresh, introspect and revoke', async () => {
  const c = emu.core.world.citizens[4];
  const first = (await tsob(c.email)).body;
  const refreshed = await request(emu.app)
    .post(`${base}/token`)
    .set('authorization', basic())
    .type('form')
    .send({ grant_type: 'refresh_token', refresh_token: first.refresh_token, channel_id: site });
  expect(refreshed.status).toBe(200);
  expect(refreshed.body.customer_id).toBe(c.commerceCustomerId);
  // Private clients keep their refresh token.
  expect(refreshed.body.refresh_token).toBe(first.refresh_token);

  const active = await request(emu.app)
    .post(`${base}/introspect`)
    .set('authorization', basic())
    .type('form')
    .send({ token: refreshed.body.access_token, token_type_hint: 'access_token' });
  expect(active.body).toMatchObject({
    active: true,
    client_id: clientId,
    token_type: 'access_token',
  });

  const revoked = await request(emu.app)
    .post(`${base}/revoke`)
    .set('authorization', basic())
    .type('form')
    .send({ token: first.refresh_token, token_type_hint: 'refresh_token' });
  expect(revoked.status).toBe(200);
  const inactive = await request(emu.app)
    .post(`${base}/introspect`)
    .set('authorization', basic())
    .type('form')
    .send({ token: refreshed.body.access_token });
  expect(inactive.body).toEqual({ active: false });
  const badRefresh = await request(emu.app)
    .post(`${base}/token`)
    .set('authorization', basic())
    .type('form')
    .send({ grant_type: 'refresh_token', refresh_token: first.refresh_token, channel_id: site });
  expect(badRefresh.status).toBe(400);
  expect(badRefresh.body).toEqual({
    error: 'invalid_request',
    error_description: 'Bad or missing refresh token.',
  });
});

test('unknown organization → 404 problem', async () => {
  const res = await request(emu.app)
    .post(`/scapi/shopper/auth/v1/organizations/f_ecom_nope_prd/oauth2/token`)
    .type('form')
    .send({ grant_type: 'client_credentials' });
  expect(res.status).toBe(404);
  expect(res.headers['content-type']).toContain('application/problem+json');
});

// The Session subgraph over HTTP with signed principals: login / refresh / logout, registration
// and password reset via the emulator outbox, the viewer, and userErrors codes.
import { siteAuthSettings } from '../../../emulator/identity/headless.js';
import { identityState } from '../../../emulator/identity/index.js';
import { startSubgraph } from '../../../test/harness.js';
import { deferred } from '../../../test/support/disposable.js';
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  ANONYMOUS,
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { permissionSetGranting } from '../../../emulator/crm/permissions.js';

let h: SubgraphHarness<'session'>;
beforeAll(async () => {
  h = await startSubgraphHarness('session', { citizens: 50 });
});
afterAll(() => h.close());
beforeEach(() => h.emu.log.reset());

const LOGIN = `mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  session { accessToken refreshToken expiresAt userId } userErrors { code field message } } }`;
const identityCalls = () => h.emu.log.list({ family: 'identity' });

describe('login, refresh, logout', () => {
  test('login returns tokens after authorize + token (2 identity calls)', async () => {
    const c = h.emu.core.world.citizens[1];
    const res = await h.gql(ANONYMOUS, LOGIN, {
      u: c.username,
      p: h.emu.core.world.citizenPassword,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.login.userErrors).toEqual([]);
    expect(res.data.login.session).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: expect.stringMatching(/Z$/),
      userId: c.userId,
    });
    expect(identityCalls().map((x) => x.path)).toEqual([
      '/services/oauth2/authorize',
      '/services/oauth2/token',
    ]);
  });

  test('wrong password and unknown user give the same INVALID_CREDENTIALS user error', async () => {
    const c = h.emu.core.world.citizens[1];
    const wrong = await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: 'Wrong12345' });
    const unknown = await h.gql(ANONYMOUS, LOGIN, { u: 'nobody@example.org', p: 'Wrong12345' });
    expect(wrong.data.login).toEqual({
      session: null,
      userErrors: [
        {
          code: 'INVALID_CREDENTIALS',
          field: null,
          message: 'The username or password is incorrect.',
        },
      ],
    });
    expect(unknown.data.login).toEqual(wrong.data.login);
    expect(identityCalls()).toHaveLength(2);
  });

  test('refreshSession rotates the refresh token; logout with it ends every token of the session', async () => {
    const c = h.emu.core.world.citizens[2];
    const { session } = (
      await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: h.emu.core.world.citizenPassword })
    ).data.login;
    const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { session { accessToken refreshToken userId } userErrors { code } } }`;
    const refreshed = await h.gql(ANONYMOUS, REFRESH, { t: session.refreshToken });
    expect(refreshed.data.refreshSession.userErrors).toEqual([]);
    const next = refreshed.data.refreshSession.session;
    expect(next).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^5Aep861/),
      userId: c.userId,
    });
    // Rotation: the new refresh token replaces the old, which is spent at Salesforce.
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect(h.emu.core.tokens.lookup(session.refreshToken)?.rotated).toBe(true);

    const principal = citizenPrincipal(c);
    const out = await h.gql(
      principal,
      `mutation($r: String) { logout(refreshToken: $r) { success userErrors { code } } }`,
      { r: next.refreshToken },
      { authorization: `Bearer ${next.accessToken}` },
    );
    expect(out.data.logout).toEqual({ success: true, userErrors: [] });
    expect(out.extensions).toEqual({ sessionEnded: true });
    // Every token of the session is dead: both access tokens, and the refresh token.
    expect(h.emu.core.tokens.lookup(next.accessToken)).toBeUndefined();
    expect(h.emu.core.tokens.lookup(session.accessToken)).toBeUndefined();
    expect(
      (await h.gql(ANONYMOUS, REFRESH, { t: next.refreshToken })).data.refreshSession.session,
    ).toBeNull();

    const bad = await h.gql(
      ANONYMOUS,
      `mutation { refreshSession(refreshToken: "nope") { session { accessToken } userErrors { code field } } }`,
    );
    expect(bad.data.refreshSession).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN', field: ['refreshToken'] }],
    });
    const anon = await h.gql(ANONYMOUS, `mutation { logout { success userErrors { code } } }`);
    expect(anon.data.logout).toEqual({ success: false, userErrors: [{ code: 'NOT_SIGNED_IN' }] });
  });
});

describe('a spent refresh token presented again', () => {
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { session { accessToken refreshToken } userErrors { code } } }`;

  test('after the first refresh completed, a replay goes to Salesforce, which ends the whole grant', async () => {
    const c = h.emu.core.world.citizens[6];
    const { session } = (
      await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: h.emu.core.world.citizenPassword })
    ).data.login;
    const victim = (await h.gql(ANONYMOUS, REFRESH, { t: session.refreshToken })).data
      .refreshSession.session;
    expect(victim.refreshToken).not.toBe(session.refreshToken);
    h.emu.log.reset();
    // The thief replays the spent token: no remembered answer, Salesforce is asked and refuses.
    const replay = await h.gql(ANONYMOUS, REFRESH, { t: session.refreshToken });
    expect(replay.data.refreshSession).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
    });
    expect(identityCalls().map((e) => [e.path, e.status])).toEqual([
      ['/services/oauth2/token', 400],
    ]);
    // Reuse detection revoked the family: the victim's new tokens are dead too.
    expect(h.emu.core.tokens.lookup(victim.accessToken)).toBeUndefined();
    expect(h.emu.core.tokens.lookup(victim.refreshToken)).toBeUndefined();
    expect(
      (await h.gql(ANONYMOUS, REFRESH, { t: victim.refreshToken })).data.refreshSession.session,
    ).toBeNull();
  });
});

describe('logout with only the access token', () => {
  const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { session { accessToken refreshToken } userErrors { code } } }`;

  test('revokes the refresh token the access token came from (remembered at login and refresh)', async () => {
    const c = h.emu.core.world.citizens[7];
    const { session } = (
      await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: h.emu.core.world.citizenPassword })
    ).data.login;
    const next = (await h.gql(ANONYMOUS, REFRESH, { t: session.refreshToken })).data.refreshSession
      .session;
    h.emu.log.reset();
    const out = await h.gql(
      citizenPrincipal(c),
      `mutation { logout { success userErrors { code } } }`,
      {},
      { authorization: `Bearer ${next.accessToken}` },
    );
    expect(out.data.logout).toEqual({ success: true, userErrors: [] });
    // The refresh token first (it ends the grant), then the access token.
    expect(identityCalls().map((e) => [e.path, e.status])).toEqual([
      ['/services/oauth2/revoke', 200],
      ['/services/oauth2/revoke', 400],
    ]);
    expect(h.emu.core.tokens.lookup(next.refreshToken)).toBeUndefined();
    expect(h.emu.core.tokens.lookup(session.accessToken)).toBeUndefined();
    expect((await h.gql(ANONYMOUS, REFRESH, { t: next.refreshToken })).data.refreshSession).toEqual(
      {
        session: null,
        userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
      },
    );
  });
});

describe('registration and password reset', () => {
  const START = `mutation($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code field } } }`;
  const COMPLETE = `mutation($i: CompleteRegistrationInput!) { completeRegistration(input: $i) { session { accessToken userId } userErrors { code field } } }`;

  test('startRegistration → OTP from the outbox → completeRegistration signs in → login works', async () => {
    const email = 'grace.new@example.net';
    const start = await h.gql(ANONYMOUS, START, {
      i: { firstName: 'Grace', lastName: 'New', email, password: 'Hopper1234' },
    });
    expect(start.data.startRegistration.userErrors).toEqual([]);
    const { identifier } = start.data.startRegistration;
    const otp = h.emu.outbox.latest(email)!.otp;

    const wrong = await h.gql(ANONYMOUS, COMPLETE, {
      i: { identifier, otp: otp === '123456' ? '654321' : '123456' },
    });
    expect(wrong.data.completeRegistration).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_PASSCODE', field: ['input', 'otp'] }],
    });
    const done = await h.gql(ANONYMOUS, COMPLETE, { i: { identifier, otp } });
    expect(done.data.completeRegistration.userErrors).toEqual([]);
    expect(done.data.completeRegistration.session.userId).toMatch(/^005/);
    const login = await h.gql(ANONYMOUS, LOGIN, { u: email, p: 'Hopper1234' });
    expect(login.data.login.session.userId).toBe(done.data.completeRegistration.session.userId);
  });

  test('weak password and bad email are user errors; a taken email answers like a new one', async () => {
    const weak = await h.gql(ANONYMOUS, START, {
      i: { firstName: 'A', lastName: 'B', email: 'not-an-email', password: 'short' },
    });
    expect(weak.data.startRegistration).toEqual({
      identifier: null,
      userErrors: [
        { code: 'INVALID_EMAIL', field: ['input', 'email'] },
        { code: 'WEAK_PASSWORD', field: ['input', 'password'] },
      ],
    });
    expect(identityCalls()).toHaveLength(0);
    const taken = await h.gql(ANONYMOUS, START, {
      i: {
        firstName: 'A',
        lastName: 'B',
        email: h.emu.core.world.citizens[0].email,
        password: 'Good12345',
      },
    });
    // Nobody learns that the address has an account: an identifier, no error, as for a new one.
    expect(taken.data.startRegistration).toEqual({
      identifier: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      userErrors: [],
    });
    expect(JSON.stringify(taken)).not.toMatch(/stack|at \//);
  });

  test('password reset end to end; unknown users get the same answer', async () => {
    const c = h.emu.core.world.citizens[4];
    const START_RESET = `mutation($u: String!) { startPasswordReset(username: $u) { success userErrors { code } } }`;
    const COMPLETE_RESET = `mutation($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code field } } }`;
    expect(
      (await h.gql(ANONYMOUS, START_RESET, { u: 'ghost@example.org' })).data.startPasswordReset,
    ).toEqual({
      success: true,
      userErrors: [],
    });
    expect(
      (await h.gql(ANONYMOUS, START_RESET, { u: c.username })).data.startPasswordReset,
    ).toEqual({
      success: true,
      userErrors: [],
    });
    const otp = h.emu.outbox.latest(c.email)!.otp;

    const weak = await h.gql(ANONYMOUS, COMPLETE_RESET, {
      i: { username: c.username, otp, newPassword: 'weak' },
    });
    expect(weak.data.completePasswordReset).toEqual({
      success: false,
      userErrors: [{ code: 'WEAK_PASSWORD', field: ['input', 'newPassword'] }],
    });
    const wrong = await h.gql(ANONYMOUS, COMPLETE_RESET, {
      i: {
        username: c.username,
        otp: otp === '111111' ? '222222' : '111111',
        newPassword: 'Better1234',
      },
    });
    expect(wrong.data.completePasswordReset.userErrors[0].code).toBe('INVALID_PASSCODE');
    const ok = await h.gql(ANONYMOUS, COMPLETE_RESET, {
      i: { username: c.username, otp, newPassword: 'Better1234' },
    });
    expect(ok.data.completePasswordReset).toEqual({ success: true, userErrors: [] });
    expect(
      (await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: 'Better1234' })).data.login.userErrors,
    ).toEqual([]);
    expect(
      (await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: h.emu.core.world.citizenPassword })).data
        .login.userErrors[0].code,
    ).toBe('INVALID_CREDENTIALS');
  });
});

describe('viewer', () => {
  test('null for anonymous and agent principals, no upstream calls', async () => {
    expect((await h.gql(ANONYMOUS, `{ viewer { session { userId } } }`)).data.viewer).toBeNull();
    expect(
      (await h.gql({ kind: 'agent', userId: 'x' }, `{ viewer { session { userId } } }`, {})).data
        .viewer,
    ).toBeNull();
    expect(h.emu.log.list()).toHaveLength(0);
  });

  test('citizen: citizen key and session from the principal; expiresAt via one introspect', async () => {
    const c = h.emu.core.world.citizens[3];
    const p = citizenPrincipal(c);
    const res = await h.gql(
      p,
      `{ viewer { citizen { contactId } session { userId username } } }`,
      {},
    );
    expect(res.data.viewer).toEqual({
      citizen: { contactId: c.contactId },
      session: { userId: c.userId, username: c.username },
    });
    expect(h.emu.log.list()).toHaveLength(0);

    const { session } = (
      await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: h.emu.core.world.citizenPassword })
    ).data.login;
    h.emu.log.reset();
    const withExp = await h.gql(
      p,
      `{ viewer { session { expiresAt } } }`,
      {},
      {
        authorization: `Bearer ${session.accessToken}`,
      },
    );
    expect(withExp.data.viewer.session.expiresAt).toMatch(/Z$/);
    expect(identityCalls().map((x) => x.path)).toEqual(['/services/oauth2/introspect']);
  });

  test('requests without a signed principal are refused', async () => {
    const res = await fetch(`${h.sub.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ viewer { session { userId } } }"}',
    });
    expect(res.status).toBe(401);
  });
});

describe('registration and forgot password meet the site protection (IDENTITY_HEADLESS_PROTECTION)', () => {
  const START_RESET = `mutation($u: String!, $r: String, $e: RecaptchaEventInput) { startPasswordReset(username: $u, recaptchaToken: $r, recaptchaEvent: $e) { success userErrors { code field } } }`;
  const START_REG = `mutation($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code field } } }`;
  const valid = () => identityState(h.emu.core).recaptcha.validTokens;
  /** Plays a site whose NetworkAuthApiSettings differ from the demo site's until restored. */
  const site = (change: Record<string, boolean>) => {
    const row = siteAuthSettings(h.emu.core);
    const before = { ...row };
    Object.assign(row, change);
    return deferred(() => void Object.assign(row, before));
  };
  const RECAPTCHA_SITE = {
    DoesRegistrationRequireAuth: false,
    DoesForgotPasswordRequireAuth: false,
    IsRecaptchaRequiredRgstr: true,
    IsRecaptchaRequiredForgotPwd: true,
  };
  const input = (email: string) => ({
    firstName: 'Cap',
    lastName: 'Tcha',
    email,
    password: 'Str0ngPass!',
  });
  afterEach(() => valid().delete('browser-token-1'));

  test('integration-token (the default): the integration user token is sent, no reCAPTCHA needed', async () => {
    const c = h.emu.core.world.citizens[14];
    h.emu.log.reset();
    expect(
      (await h.gql(ANONYMOUS, START_RESET, { u: c.username })).data.startPasswordReset,
    ).toEqual({
      success: true,
      userErrors: [],
    });
    expect(h.emu.outbox.latest(c.email)).toMatchObject({ purpose: 'forgot_password' });
    const reg = (await h.gql(ANONYMOUS, START_REG, { i: input('int.token@example.net') })).data
      .startRegistration;
    expect(reg).toEqual({ identifier: expect.any(String), userErrors: [] });
    expect(h.emu.outbox.latest('int.token@example.net')).toMatchObject({ purpose: 'registration' });
  });

  test('integration-token against a site that demands reCAPTCHA: the browser token still passes through', async () => {
    await using _site = site(RECAPTCHA_SITE);
    const c = h.emu.core.world.citizens[17];
    expect(
      (await h.gql(ANONYMOUS, START_RESET, { u: c.username })).data.startPasswordReset,
    ).toEqual({
      success: false,
      userErrors: [{ code: 'RECAPTCHA_FAILED', field: ['recaptchaToken'] }],
    });
    valid().add('browser-token-1');
    expect(
      (await h.gql(ANONYMOUS, START_RESET, { u: c.username, r: 'browser-token-1' })).data
        .startPasswordReset,
    ).toEqual({ success: true, userErrors: [] });
  });

  test('recaptcha: the browser token or Enterprise event is passed through; none is refused before any call', async () => {
    await using _site = site(RECAPTCHA_SITE);
    await using sub = await startSubgraph('session', {
      ...h.env,
      IDENTITY_HEADLESS_PROTECTION: 'recaptcha',
    });
    const gql = async (q: string, v: Record<string, unknown>) =>
      (await sub.gql({ kind: 'anonymous' }, q, v)).body;
    const c = h.emu.core.world.citizens[18];
    h.emu.log.reset();
    expect((await gql(START_RESET, { u: c.username })).data.startPasswordReset).toEqual({
      success: false,
      userErrors: [{ code: 'RECAPTCHA_FAILED', field: ['recaptchaToken'] }],
    });
    expect(
      (await gql(START_REG, { i: input('no.proof@example.net') })).data.startRegistration,
    ).toEqual({
      identifier: null,
      userErrors: [{ code: 'RECAPTCHA_FAILED', field: ['input', 'recaptchaToken'] }],
    });
    expect(h.emu.log.list({ family: 'identity' })).toEqual([]);
    // A forged token reaches the site, which refuses it.
    expect(
      (await gql(START_RESET, { u: c.username, r: 'forged' })).data.startPasswordReset,
    ).toEqual({
      success: false,
      userErrors: [{ code: 'RECAPTCHA_FAILED', field: ['recaptchaToken'] }],
    });
    expect(h.emu.outbox.latest(c.email)).toBeUndefined();
    valid().add('browser-token-1');
    expect(
      (await gql(START_RESET, { u: c.username, r: 'browser-token-1' })).data.startPasswordReset,
    ).toEqual({ success: true, userErrors: [] });
    expect(h.emu.outbox.latest(c.email)).toMatchObject({ purpose: 'forgot_password' });
    // reCAPTCHA Enterprise: the event goes to Salesforce as recaptchaevent.
    const event = {
      token: 'browser-token-1',
      siteKey: 'site-key',
      expectedAction: 'register',
      projectId: 'city-portal',
    };
    expect(
      (await gql(START_REG, { i: { ...input('ent.cap@example.net'), recaptchaEvent: event } })).data
        .startRegistration,
    ).toEqual({ identifier: expect.any(String), userErrors: [] });
    expect(h.emu.outbox.latest('ent.cap@example.net')).toMatchObject({ purpose: 'registration' });
  });

  test("recaptcha against a site that demands the integration token: an upstream failure, not the user's", async () => {
    await using sub = await startSubgraph('session', {
      ...h.env,
      IDENTITY_HEADLESS_PROTECTION: 'recaptcha',
    });
    valid().add('browser-token-1');
    const c = h.emu.core.world.citizens[19];
    const res = (
      await sub.gql({ kind: 'anonymous' }, START_RESET, { u: c.username, r: 'browser-token-1' })
    ).body;
    expect(res.data?.startPasswordReset ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    expect(h.emu.outbox.latest(c.email)).toBeUndefined();
  });
});

describe('completePasswordReset ends every session of the user', () => {
  test('both grants are revoked: OauthToken query + one revoke per grant', async () => {
    const c = h.emu.core.world.citizens[15];
    const pw = h.emu.core.world.citizenPassword;
    const one = (await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: pw })).data.login.session;
    const two = (await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: pw })).data.login.session;
    await h.gql(
      ANONYMOUS,
      `mutation($u: String!) { startPasswordReset(username: $u) { success } }`,
      {
        u: c.username,
      },
    );
    const otp = h.emu.outbox.latest(c.email)!.otp;
    h.emu.log.reset();
    const ok = await h.gql(
      ANONYMOUS,
      `mutation($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`,
      { i: { username: c.username, otp, newPassword: 'Reset12345' } },
    );
    expect(ok.data.completePasswordReset).toEqual({ success: true, userErrors: [] });
    for (const s of [one, two]) {
      expect(h.emu.core.tokens.lookup(s.accessToken)).toBeUndefined();
      expect(h.emu.core.tokens.lookup(s.refreshToken)).toBeUndefined();
    }
    const calls = h.emu.log
      .list()
      .map((x) => `${x.family} ${x.method} ${x.path.replace(/\/v\d+\.\d+\//, '/vXX/')}`);
    expect(calls.filter((x) => !x.endsWith('/services/oauth2/token'))).toEqual([
      'identity POST /services/auth/headless/forgot_password',
      'crm GET /services/data/vXX/query',
      'crm GET /services/data/vXX/query',
      'crm POST /services/oauth2/revoke',
      'crm POST /services/oauth2/revoke',
    ]);
  });
});

describe('completePasswordReset never reports ended sessions it could not see', () => {
  /** The integration user's profile permission set (the emulator's seed). */
  const integrationSet = () =>
    permissionSetGranting(
      h.emu.core,
      h.emu.core.world.integration.userId,
      'PermissionsCustomizeApplication',
    )!;

  test('without "Customize Application" the OauthToken query sees 0 rows: FORBIDDEN SESSIONS_NOT_ENDED, the grant lives', async () => {
    const c = h.emu.core.world.citizens[16];
    const pw = h.emu.core.world.citizenPassword;
    const live = (await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: pw })).data.login.session;
    await h.gql(
      ANONYMOUS,
      `mutation($u: String!) { startPasswordReset(username: $u) { success } }`,
      {
        u: c.username,
      },
    );
    const otp = h.emu.outbox.latest(c.email)!.otp;
    const set = integrationSet();
    h.emu.core.sobjects.update('PermissionSet', set, { PermissionsCustomizeApplication: false });
    const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await h.gql(
        ANONYMOUS,
        `mutation($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`,
        { i: { username: c.username, otp, newPassword: 'Reset12345' } },
      );
      expect(res.data?.completePasswordReset ?? null).toBeNull();
      expect(res.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^The password was changed, but the other sessions/),
          extensions: expect.objectContaining({ code: 'FORBIDDEN', reason: 'SESSIONS_NOT_ENDED' }),
        }),
      ]);
      expect(logged.mock.calls.flat().join(' ')).toContain('Customize Application');
    } finally {
      logged.mockRestore();
      h.emu.core.sobjects.update('PermissionSet', set, { PermissionsCustomizeApplication: true });
    }
    // Nothing was revoked: the old session still works (what the error warns about).
    expect(h.emu.core.tokens.lookup(live.refreshToken)).toBeDefined();
  });

  test('with the permission, a user without sessions is a success (0 rows, permission checked)', async () => {
    const c = h.emu.core.world.citizens[17];
    await h.gql(
      ANONYMOUS,
      `mutation($u: String!) { startPasswordReset(username: $u) { success } }`,
      {
        u: c.username,
      },
    );
    const otp = h.emu.outbox.latest(c.email)!.otp;
    h.emu.log.reset();
    const res = await h.gql(
      ANONYMOUS,
      `mutation($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`,
      { i: { username: c.username, otp, newPassword: 'Reset12345' } },
    );
    expect(res.data.completePasswordReset).toEqual({ success: true, userErrors: [] });
    const queries = h.emu.log
      .list({ family: 'crm', path: '/query' })
      .map((x) => new URLSearchParams(x.query).get('q')?.split(' FROM ')[1]?.split(' ')[0]);
    expect(queries).toEqual(['User', 'OauthToken', 'PermissionSetAssignment']);
  });
});

// Identity family over plain HTTP: headless registration, forgot password and passwordless login,
// with the passcodes read from the emulator's outbox.
import { identityState } from '../identity/index.js';
import { siteAuthSettings } from '../identity/headless.js';
import { DEMO_RECAPTCHA_TOKEN } from '../identity/state.js';
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
afterEach(() => {
  identityState(h.emu.core).clockOffsetMs = 0;
});

/**
 * The integration user's access token (client credentials at the org's token endpoint): the demo
 * site demands it for registration and forgot password (NetworkAuthApiSettings).
 */
let integrationToken: string | undefined;
async function integration(): Promise<string> {
  if (integrationToken) return integrationToken;
  const { clientId, clientSecret } = h.emu.core.world.integration;
  const crm = h.site.replace(/\/identity$/, '/crm');
  const res = await post(`${crm}/services/oauth2/token`, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  expect(res.status).toBe(200);
  return (integrationToken = res.body.access_token as string);
}
const json = async (path: string, body: object, bearer?: string | null) =>
  post(
    `${h.site}${path}`,
    body,
    bearer === null ? {} : { authorization: `Bearer ${bearer ?? (await integration())}` },
    true,
  );
const register = (email: string, password = 'Str0ngPass!') =>
  json('/services/auth/headless/init/registration', {
    userdata: { firstName: 'Rita', lastName: 'Levi', email, username: email },
    customdata: { privacyPolicy: true },
    password,
    recaptcha: DEMO_RECAPTCHA_TOKEN,
    verificationmethod: 'email',
  });
const authorizeRegistration = (identifier: string, otp: string, challenge: string) =>
  authorize(h, identifier, otp, challenge, {
    'Auth-Request-Type': 'user-registration',
    'Auth-Verification-Type': 'email',
    Authorization: basic(identifier, otp),
  });

describe('headless registration', () => {
  test('init → outbox OTP → authorize (user-registration) → tokens → login with the new password', async () => {
    const email = 'rita.levi@example.net';
    const init = await register(email);
    expect(init.status).toBe(200);
    expect(init.body).toEqual({ email, identifier: expect.any(String) });
    const msg = h.emu.outbox.latest(email)!;
    expect(msg).toMatchObject({
      channel: 'email',
      purpose: 'registration',
      identifier: init.body.identifier,
    });
    expect(msg.otp).toMatch(/^\d{6}$/);

    const p = pkce();
    const a = await authorizeRegistration(init.body.identifier, msg.otp, p.challenge);
    expect(a.status).toBe(302);
    const t = await exchange(h, a.body.code, p.verifier);
    expect(t.status).toBe(200);

    const u = await userinfo(h, t.body.access_token);
    expect(u.body).toMatchObject({
      preferred_username: email,
      email_verified: true,
      given_name: 'Rita',
      family_name: 'Levi',
    });
    const { sobjects } = h.emu.core;
    const user = sobjects.get('User', u.body.user_id)!;
    expect(user).toMatchObject({
      Username: email,
      IsActive: true,
      UserType: 'CspLitePortal',
      ContactId: u.body.custom_attributes.contactId,
    });
    expect(sobjects.get('Contact', user.ContactId as string)).toMatchObject({
      LastName: 'Levi',
      Email: email,
    });
    expect(sobjects.findBy('TwoFactorMethodsInfo', 'UserId', user.Id)[0]).toMatchObject({
      HasUserVerifiedEmailAddress: true,
    });
    expect(user.LastLoginDate).toEqual(expect.any(String));

    await expect(login(h, email, 'Str0ngPass!')).resolves.toHaveProperty('access_token');
    // The passcode is single-use.
    expect(
      (await authorizeRegistration(init.body.identifier, msg.otp, pkce().challenge)).status,
    ).toBe(400);
  });

  test('weak password and taken username are refused', async () => {
    const weak = await register('weak@example.net', 'short1');
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({ error: 'invalid_password', error_description: expect.any(String) });
    expect((await register('weak@example.net', 'lettersonly')).body.error).toBe('invalid_password');
    const taken = await register(h.emu.core.world.citizens[0].username);
    expect(taken.status).toBe(400);
    expect(taken.body.error).toBe('duplicate_username');
    expect(h.emu.outbox.latest('weak@example.net')).toBeUndefined();
  });

  test('wrong OTP fails, too many wrong guesses void the passcode, expired OTP fails', async () => {
    const init = await register('otp.tester@example.net');
    const { otp } = h.emu.outbox.latest('otp.tester@example.net')!;
    const wrong = otp === '000000' ? '111111' : '000000';
    const bad = await authorizeRegistration(init.body.identifier, wrong, pkce().challenge);
    expect(bad.body).toEqual({
      error: 'invalid_grant',
      error_description: 'authentication failure',
    });
    for (let i = 0; i < 4; i++)
      await authorizeRegistration(init.body.identifier, wrong, pkce().challenge);
    expect((await authorizeRegistration(init.body.identifier, otp, pkce().challenge)).status).toBe(
      400,
    );

    const init2 = await register('late.tester@example.net');
    const late = h.emu.outbox.latest('late.tester@example.net')!;
    identityState(h.emu.core).clockOffsetMs = 11 * 60_000;
    expect(
      (await authorizeRegistration(init2.body.identifier, late.otp, pkce().challenge)).status,
    ).toBe(400);
  });
});

describe('headless forgot password', () => {
  const citizen = () => h.emu.core.world.citizens[7];

  test('step 1 answers otp_sent for known and unknown users, but only sends to known ones', async () => {
    const known = await json('/services/auth/headless/forgot_password', {
      username: citizen().username,
      recaptcha: DEMO_RECAPTCHA_TOKEN,
    });
    const unknown = await json('/services/auth/headless/forgot_password', {
      username: 'ghost@example.org',
      recaptcha: DEMO_RECAPTCHA_TOKEN,
    });
    expect(known.body).toEqual({ status_code: 'otp_sent' });
    expect(unknown.body).toEqual({ status_code: 'otp_sent' });
    expect(h.emu.outbox.latest(citizen().email)).toMatchObject({ purpose: 'forgot_password' });
    expect(h.emu.outbox.latest('ghost@example.org')).toBeUndefined();
  });

  test('end to end: reset, old password stops working, new one works; OTP single-use', async () => {
    const c = citizen();
    await json('/services/auth/headless/forgot_password', {
      username: c.username,
      recaptcha: DEMO_RECAPTCHA_TOKEN,
    });
    const { otp } = h.emu.outbox.latest(c.email)!;
    const weak = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp,
      newpassword: 'weak',
    });
    expect(weak.body.error).toBe('invalid_password');
    const done = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp,
      newpassword: 'N3wPassword',
    });
    expect(done.body).toEqual({ status_code: 'success' });
    expect(
      (await authorize(h, c.username, h.emu.core.world.citizenPassword, pkce().challenge)).status,
    ).toBe(400);
    await expect(login(h, c.username, 'N3wPassword')).resolves.toHaveProperty('access_token');
    // Other seeded citizens keep the shared demo password.
    await expect(
      login(h, h.emu.core.world.citizens[8].username, h.emu.core.world.citizenPassword),
    ).resolves.toHaveProperty('access_token');
    const reuse = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp,
      newpassword: 'An0therPass',
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_otp');
  });

  test('wrong and expired OTPs are refused', async () => {
    const c = h.emu.core.world.citizens[9];
    await json('/services/auth/headless/forgot_password', {
      username: c.username,
      recaptcha: DEMO_RECAPTCHA_TOKEN,
    });
    const { otp } = h.emu.outbox.latest(c.email)!;
    const wrong = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp: otp === '123456' ? '654321' : '123456',
      newpassword: 'N3wPassword',
    });
    expect(wrong.body).toEqual({ error: 'invalid_otp', error_description: expect.any(String) });
    identityState(h.emu.core).clockOffsetMs = 11 * 60_000;
    const expired = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp,
      newpassword: 'N3wPassword',
    });
    expect(expired.body.error).toBe('invalid_otp');
  });
});

describe('headless passwordless login', () => {
  test('init → outbox OTP → authorize (passwordless-login) → tokens', async () => {
    const c = h.emu.core.world.citizens[11];
    const init = await json('/services/auth/headless/init/passwordless/login', {
      username: c.username,
      recaptcha: DEMO_RECAPTCHA_TOKEN,
      verificationmethod: 'email',
    });
    expect(init.body.identifier).toEqual(expect.any(String));
    const { otp } = h.emu.outbox.latest(c.email)!;
    const p = pkce();
    const a = await authorize(h, init.body.identifier, otp, p.challenge, {
      'Auth-Request-Type': 'passwordless-login',
      'Auth-Verification-Type': 'email',
    });
    expect(a.status).toBe(302);
    expect((await exchange(h, a.body.code, p.verifier)).body.id.endsWith(c.userId)).toBe(true);
  });
});

/** Sets fields of the demo site's NetworkAuthApiSettings row until `restore()`. */
function siteSettings(change: Record<string, boolean>) {
  const row = siteAuthSettings(h.emu.core);
  const before = { ...row };
  Object.assign(row, change);
  return () => Object.assign(row, before);
}

describe('integration user token (DoesRegistrationRequireAuth / DoesForgotPasswordRequireAuth, on for the demo site)', () => {
  const initRegistration = (email: string, bearer: string | null) =>
    json(
      '/services/auth/headless/init/registration',
      {
        userdata: { firstName: 'Ina', lastName: 'Auth', email, username: email },
        password: 'Str0ngPass!',
        verificationmethod: 'email',
      },
      bearer,
    );
  const forgot = (username: string, bearer: string | null) =>
    json('/services/auth/headless/forgot_password', { username }, bearer);
  const invalidSession = [
    { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
  ];

  test('without a token, or with an unknown one: 401, nothing sent', async () => {
    for (const bearer of [null, 'not-a-token']) {
      const r = await initRegistration('ina.auth@example.net', bearer);
      expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: invalidSession });
      const f = await forgot(h.emu.core.world.citizens[14].username, bearer);
      expect({ status: f.status, body: f.body }).toEqual({ status: 401, body: invalidSession });
    }
    expect(h.emu.outbox.latest('ina.auth@example.net')).toBeUndefined();
    expect(h.emu.outbox.latest(h.emu.core.world.citizens[14].email)).toBeUndefined();
  });

  test("a citizen's token, or the integration user's without the flow's scope: 403", async () => {
    const citizen = await login(
      h,
      h.emu.core.world.citizens[15].username,
      h.emu.core.world.citizenPassword,
    );
    const noScope = h.emu.core.tokens.issue('core-access', {
      clientId: h.emu.core.world.integration.clientId,
      subject: { userId: h.emu.core.world.integration.userId },
      scope: 'api',
      ttlSeconds: 600,
    }).token;
    for (const bearer of [citizen.access_token as string, noScope]) {
      const r = await initRegistration('ina.auth@example.net', bearer);
      expect([r.status, r.body[0].errorCode]).toEqual([403, 'INSUFFICIENT_ACCESS']);
      const f = await forgot(h.emu.core.world.citizens[14].username, bearer);
      expect(f.status).toBe(403);
    }
    // user_registration_api opens registration only; forgot password needs forgot_password.
    const registrationOnly = h.emu.core.tokens.issue('core-access', {
      clientId: h.emu.core.world.integration.clientId,
      subject: { userId: h.emu.core.world.integration.userId },
      scope: 'api user_registration_api',
      ttlSeconds: 600,
    }).token;
    expect((await forgot(h.emu.core.world.citizens[14].username, registrationOnly)).status).toBe(
      403,
    );
    expect((await initRegistration('ina.auth@example.net', registrationOnly)).status).toBe(200);
  });

  test('switched off (a site that demands reCAPTCHA instead): no token needed, reCAPTCHA is', async () => {
    const restore = siteSettings({
      DoesRegistrationRequireAuth: false,
      DoesForgotPasswordRequireAuth: false,
      IsRecaptchaRequiredRgstr: true,
      IsRecaptchaRequiredForgotPwd: true,
    });
    try {
      const username = h.emu.core.world.citizens[16].username;
      expect(
        (await json('/services/auth/headless/forgot_password', { username }, null)).body,
      ).toEqual({ error: 'invalid_recaptcha', error_description: 'reCAPTCHA validation failed' });
      expect(
        (
          await json(
            '/services/auth/headless/forgot_password',
            { username, recaptcha: DEMO_RECAPTCHA_TOKEN },
            null,
          )
        ).body,
      ).toEqual({ status_code: 'otp_sent' });
    } finally {
      restore();
    }
  });
});

describe('reCAPTCHA (IsRecaptchaRequiredRgstr / IsRecaptchaRequiredForgotPwd)', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = siteSettings({ IsRecaptchaRequiredRgstr: true, IsRecaptchaRequiredForgotPwd: true });
  });
  afterEach(() => restore());
  const initRegistration = (email: string, token?: unknown) =>
    json('/services/auth/headless/init/registration', {
      userdata: { firstName: 'Rae', lastName: 'Cap', email, username: email },
      password: 'Str0ngPass!',
      ...(token === undefined ? {} : { recaptcha: token }),
      verificationmethod: 'email',
    });
  const forgot = (username: string, token?: unknown) =>
    json('/services/auth/headless/forgot_password', {
      username,
      ...(token === undefined ? {} : { recaptcha: token }),
    });
  const refused = { error: 'invalid_recaptcha', error_description: 'reCAPTCHA validation failed' };

  test('registration: a missing or invalid token is refused and sends nothing; a valid one passes', async () => {
    for (const token of [undefined, '', 'forged-token', 42]) {
      const r = await initRegistration('rae.cap@example.net', token);
      expect({ status: r.status, body: r.body }).toEqual({ status: 400, body: refused });
    }
    expect(h.emu.outbox.latest('rae.cap@example.net')).toBeUndefined();
    const ok = await initRegistration('rae.cap@example.net', DEMO_RECAPTCHA_TOKEN);
    expect(ok.status).toBe(200);
    expect(h.emu.outbox.latest('rae.cap@example.net')).toMatchObject({ purpose: 'registration' });
    // reCAPTCHA Enterprise sends the token in recaptchaevent.
    const ent = await json('/services/auth/headless/init/registration', {
      userdata: { lastName: 'Ent', email: 'ent@example.net' },
      password: 'Str0ngPass!',
      recaptchaevent: {
        token: DEMO_RECAPTCHA_TOKEN,
        siteKey: 'k',
        expectedAction: 'login',
        projectId: 'p',
      },
    });
    expect(ent.status).toBe(200);
  });

  test('forgot password step 1: refused without a valid token, known user or not; step 2 needs none', async () => {
    const c = h.emu.core.world.citizens[12];
    for (const user of [c.username, 'ghost@example.org']) {
      const r = await forgot(user, 'forged-token');
      expect({ status: r.status, body: r.body }).toEqual({ status: 400, body: refused });
      expect((await forgot(user)).body).toEqual(refused);
    }
    expect(h.emu.outbox.latest(c.email)).toBeUndefined();
    expect((await forgot(c.username, DEMO_RECAPTCHA_TOKEN)).body).toEqual({
      status_code: 'otp_sent',
    });
    const { otp } = h.emu.outbox.latest(c.email)!;
    const done = await json('/services/auth/headless/forgot_password', {
      username: c.username,
      otp,
      newpassword: 'N3wPassword',
    });
    expect(done.body).toEqual({ status_code: 'success' });
  });

  test('switched off, no token is needed', async () => {
    restore();
    restore = siteSettings({
      IsRecaptchaRequiredRgstr: false,
      IsRecaptchaRequiredForgotPwd: false,
    });
    expect((await forgot(h.emu.core.world.citizens[13].username)).body).toEqual({
      status_code: 'otp_sent',
    });
    expect((await initRegistration('no.captcha@example.net')).status).toBe(200);
  });
});

// End to end through the gateway: a site whose Headless Registration and Forgot Password demand
// reCAPTCHA (NetworkAuthApiSettings.IsRecaptchaRequired…, the emulator's row changed to it) and a
// graph configured for it (IDENTITY_HEADLESS_PROTECTION=recaptcha): the browser's token or
// reCAPTCHA Enterprise event goes through to Salesforce; none is refused before any call. The
// default (integration-token against the demo site) is exercised by test/security's flows.
import { siteAuthSettings } from '../emulator/identity/headless.js';
import { identityState } from '../emulator/identity/index.js';
import { gql } from './client.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let restore: () => void;
beforeAll(async () => {
  stack = await startStack({ citizens: 20, env: { IDENTITY_HEADLESS_PROTECTION: 'recaptcha' } });
  const row = siteAuthSettings(stack.emulator.core);
  const before = { ...row };
  Object.assign(row, {
    DoesRegistrationRequireAuth: false,
    DoesForgotPasswordRequireAuth: false,
    IsRecaptchaRequiredRgstr: true,
    IsRecaptchaRequiredForgotPwd: true,
  });
  restore = () => Object.assign(row, before);
  identityState(stack.emulator.core).recaptcha.validTokens.add('browser-token-e2e');
});
afterAll(async () => {
  restore();
  await stack.stop();
});

const RESET = `mutation ($u: String!, $r: String, $e: RecaptchaEventInput) {
  startPasswordReset(username: $u, recaptchaToken: $r, recaptchaEvent: $e) { success userErrors { code field } } }`;
const REGISTER = `mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code field } } }`;

test('forgot password: no reCAPTCHA is refused without a call; the browser token reaches the site', async () => {
  const c = stack.emulator.core.world.citizens[3];
  stack.emulator.log.reset();
  const none = await gql(stack, RESET, { u: c.username });
  expect(none.body.data?.startPasswordReset).toEqual({
    success: false,
    userErrors: [{ code: 'RECAPTCHA_FAILED', field: ['recaptchaToken'] }],
  });
  expect(stack.emulator.log.list({ family: 'identity', path: '/services/auth/headless' })).toEqual(
    [],
  );
  const ok = await gql(stack, RESET, { u: c.username, r: 'browser-token-e2e' });
  expect(ok.body.data?.startPasswordReset).toEqual({ success: true, userErrors: [] });
  expect(stack.emulator.outbox.latest(c.email)).toMatchObject({ purpose: 'forgot_password' });
});

test('registration with a reCAPTCHA Enterprise event', async () => {
  const email = 'enterprise.e2e@example.net';
  const res = await gql(stack, REGISTER, {
    i: {
      firstName: 'Ent',
      lastName: 'Erprise',
      email,
      password: 'Str0ngPass!',
      recaptchaEvent: {
        token: 'browser-token-e2e',
        siteKey: 'site-key',
        expectedAction: 'register',
        projectId: 'city-portal',
      },
    },
  });
  expect(res.body.data?.startRegistration).toEqual({
    identifier: expect.any(String),
    userErrors: [],
  });
  expect(stack.emulator.outbox.latest(email)).toMatchObject({ purpose: 'registration' });
});

// Anti-enumeration that does not rest on the emulator's words. Salesforce documents no error
// strings for Headless Identity's refusals (a wrong password, an unknown user, a taken address),
// and its own Mobile SDK reads only the status; the emulator's `invalid_grant`,
// `duplicate_username`, `invalid_password` and `invalid_otp` are its own. Here every identity
// error answer is rewritten (the emulator's 'error-body' fault): stripped to `{}`, or one and the
// same string for every refusal. The answers a caller could compare stay the same.
import {
  ANONYMOUS,
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

let h: SubgraphHarness<'session'>;
beforeAll(async () => {
  h = await startSubgraphHarness('session', { citizens: 50 });
});
afterAll(() => h.close());
afterEach(() => h.emu.faults.reset());

const LOGIN = `mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  session { accessToken } userErrors { code field message } } }`;
const START_REG = `mutation($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code field } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { session { accessToken } userErrors { code } } }`;

describe.each([
  ['stripped to {}', {}],
  ['one string for every refusal', { error: 'invalid_request', error_description: 'Bad request' }],
])('identity error bodies %s', (_what, errorBody) => {
  beforeEach(() => h.emu.faults.add({ kind: 'error-body', family: 'identity', errorBody }));

  test('a wrong password and an unknown user: the same INVALID_CREDENTIALS', async () => {
    const c = h.emu.core.world.citizens[20];
    const wrong = await h.gql(ANONYMOUS, LOGIN, { u: c.username, p: 'Wrong12345' });
    const unknown = await h.gql(ANONYMOUS, LOGIN, {
      u: 'nobody-at-all@example.org',
      p: 'Wrong12345',
    });
    expect(wrong.errors).toBeUndefined();
    expect(wrong.data.login.userErrors.map((e: { code: string }) => e.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    expect(unknown).toEqual(wrong);
    // The right password still signs in (the rewrite touches error answers only).
    const ok = await h.gql(ANONYMOUS, LOGIN, {
      u: c.username,
      p: h.emu.core.world.citizenPassword,
    });
    expect(ok.data.login.session.accessToken).toEqual(expect.any(String));
  });

  test('a taken address answers like a new one: an identifier, no error', async () => {
    const taken = h.emu.core.world.citizens[21].email;
    const input = (email: string) => ({
      firstName: 'Same',
      lastName: 'Answer',
      email,
      password: 'Str0ngPass!',
    });
    const a = await h.gql(ANONYMOUS, START_REG, { i: input(taken) });
    const b = await h.gql(ANONYMOUS, START_REG, {
      i: input(`fresh.${Math.random().toString(36).slice(2)}@example.net`),
    });
    expect(a.errors).toBeUndefined();
    expect(a.data.startRegistration).toEqual({ identifier: expect.any(String), userErrors: [] });
    expect(b.data.startRegistration).toEqual({ identifier: expect.any(String), userErrors: [] });
  });

  test('a dead refresh token is INVALID_REFRESH_TOKEN, not an upstream failure', async () => {
    const res = await h.gql(ANONYMOUS, REFRESH, { t: 'not-a-refresh-token' });
    expect(res.errors).toBeUndefined();
    expect(res.data.refreshSession).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
    });
  });
});

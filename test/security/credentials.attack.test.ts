// Credentials an attacker replays: a spent refresh token, a logout that leaves the refresh token
// alive, random bearer tokens that make the gateway call Identity, and lockouts a stranger can
// set off. Each answer is asserted whole, with the Salesforce calls it cost.
import { startStack, type Stack } from '../harness.js';
import { gql } from '../client.js';

const LOGIN = `mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken refreshToken } userErrors { code } } }`;
const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { session { accessToken refreshToken } userErrors { code } } }`;
const VIEWER = `{ viewer { session { userId } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const world = () => stack.emulator.core.world;
const citizen = (i: number) => world().citizens[i];
const identityCalls = () =>
  stack.emulator.log.list({ family: 'identity' }).map((e) => `${e.method} ${e.path} ${e.status}`);

async function signIn(i: number) {
  const { body } = await gql(stack, LOGIN, { u: citizen(i).username, p: world().citizenPassword });
  const s = body.data.login.session;
  if (!s) throw new Error(JSON.stringify(body));
  return { ...s, headers: { authorization: `Bearer ${s.accessToken}` } };
}

describe('a spent refresh token replayed after its refresh completed', () => {
  test('reaches Salesforce, which revokes the whole grant: the victim is signed out too', async () => {
    const stolen = await signIn(1);
    const victim = (await gql(stack, REFRESH, { t: stolen.refreshToken })).body.data.refreshSession
      .session;
    expect(victim.refreshToken).not.toBe(stolen.refreshToken);
    stack.emulator.log.reset();
    const replay = await gql(stack, REFRESH, { t: stolen.refreshToken });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({
      data: { refreshSession: { session: null, userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }] } },
    });
    // Salesforce saw the reuse (one refused refresh), no answer came from memory.
    expect(identityCalls()).toEqual(['POST /services/oauth2/token 400']);
    // The family is revoked: the victim's new access token is refused, and its refresh token.
    const viewer = await gql(stack, VIEWER, {}, { authorization: `Bearer ${victim.accessToken}` });
    expect(viewer.status).toBe(401);
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(
      (await gql(stack, REFRESH, { t: victim.refreshToken })).body.data.refreshSession,
    ).toEqual({ session: null, userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }] });
  });
});

describe('logout sent with only the access token', () => {
  test('ends the whole session: the refresh token no longer refreshes', async () => {
    const s = await signIn(2);
    stack.emulator.log.reset();
    const out = await gql(
      stack,
      `mutation { logout { success userErrors { code } } }`,
      {},
      s.headers,
    );
    expect(out.body).toEqual({ data: { logout: { success: true, userErrors: [] } } });
    // The refresh token (remembered for this access token at login) first, then the access token.
    // (After the gateway's token check, userinfo and introspect in parallel.)
    expect(identityCalls().slice(2)).toEqual([
      'POST /services/oauth2/revoke 200',
      'POST /services/oauth2/revoke 400',
    ]);
    expect(identityCalls().slice(0, 2).sort()).toEqual([
      'GET /services/oauth2/userinfo 200',
      'POST /services/oauth2/introspect 200',
    ]);
    expect((await gql(stack, VIEWER, {}, s.headers)).status).toBe(401);
    const again = await gql(stack, REFRESH, { t: s.refreshToken });
    expect(again.body).toEqual({
      data: { refreshSession: { session: null, userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }] } },
    });
  });
});

describe('a stranger cannot lock a citizen out', () => {
  // Behind a trusted proxy, so the stranger and the citizen are different client addresses.
  let proxied: Stack;
  beforeAll(async () => {
    proxied = await startStack({
      env: { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_USERNAME_ALL_ADDRESSES: '8' },
    });
  });
  afterAll(() => proxied.stop());

  const RESET = `mutation ($u: String!) { startPasswordReset(username: $u) { success userErrors { code } } }`;
  const COMPLETE = `mutation ($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const login = (i: number, p: string, address: string) =>
    gql(
      proxied,
      LOGIN,
      { u: proxied.emulator.core.world.citizens[i].username, p },
      from(address),
    ).then((r) => r.body.data.login);
  const authorizeCalls = () =>
    proxied.emulator.log.list({ family: 'identity' }).filter((e) => e.path.endsWith('/authorize'))
      .length;

  test("five wrong passwords from a stranger's address leave the citizen's login and reset working", async () => {
    const c = proxied.emulator.core.world.citizens[3];
    proxied.emulator.log.reset();
    const stranger = [];
    for (let i = 0; i < 6; i++)
      stranger.push((await login(3, `wrong-${i}`, '203.0.113.66')).userErrors[0].code);
    expect(stranger).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED']);
    expect(authorizeCalls()).toBe(5);
    // The citizen, from their own address: login works.
    const own = await login(3, proxied.emulator.core.world.citizenPassword, '198.51.100.3');
    expect(own.userErrors).toEqual([]);
    expect(own.session.accessToken).toEqual(expect.any(String));
    // And password reset was never blocked by the failed logins.
    const start = await gql(proxied, RESET, { u: c.username }, from('198.51.100.3'));
    expect(start.body).toEqual({ data: { startPasswordReset: { success: true, userErrors: [] } } });
  });

  test('many addresses meet the per-username ceiling; a completed password reset lifts it', async () => {
    const c = proxied.emulator.core.world.citizens[4];
    proxied.emulator.log.reset();
    const codes = [];
    for (let i = 0; i < 10; i++)
      codes.push((await login(4, 'wrong', `203.0.113.${i}`)).userErrors[0].code);
    expect(codes).toEqual([
      ...Array(8).fill('INVALID_CREDENTIALS'),
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect(authorizeCalls()).toBe(8);
    const locked = await login(4, proxied.emulator.core.world.citizenPassword, '198.51.100.4');
    expect(locked.userErrors[0].code).toBe('RATE_LIMITED');
    // The citizen resets the password (reset is not blocked), then signs in with the new one.
    expect(
      (await gql(proxied, RESET, { u: c.username }, from('198.51.100.4'))).body.data
        .startPasswordReset,
    ).toEqual({ success: true, userErrors: [] });
    const otp = proxied.emulator.outbox.latest(c.email)!.otp;
    const done = await gql(
      proxied,
      COMPLETE,
      { i: { username: c.username, otp, newPassword: 'Reset2Secure' } },
      from('198.51.100.4'),
    );
    expect(done.body).toEqual({
      data: { completePasswordReset: { success: true, userErrors: [] } },
    });
    const back = await login(4, 'Reset2Secure', '198.51.100.4');
    expect(back.userErrors).toEqual([]);
  });
});

describe('registration does not reveal an account', () => {
  const START = `mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code } } }`;
  const attempt = async (email: string) => {
    stack.emulator.log.reset();
    const r = await gql(stack, START, {
      i: { firstName: 'X', lastName: 'Y', email, password: 'Good12345' },
    });
    const s = r.body.data.startRegistration;
    return {
      status: r.status,
      identifier: typeof s.identifier,
      length: s.identifier?.length,
      userErrors: s.userErrors,
      calls: stack.emulator.log.list().map((e) => `${e.family} ${e.method} ${e.path}`),
    };
  };

  test('a taken address and a new one make the same upstream call and get the same answer', async () => {
    // The integration user's token the site demands is fetched once and cached before comparing.
    await attempt('warm.up@example.org');
    const taken = await attempt(citizen(5).email);
    const fresh = await attempt('nobody.yet@example.org');
    expect(taken).toEqual(fresh);
    expect(fresh.calls).toEqual(['identity POST /services/auth/headless/init/registration']);
  });
});

describe('random bearer tokens do not buy Identity calls', () => {
  const random = (i: number) => ({ authorization: `Bearer 00Drandom!AQ4AQ${i}x${'y'.repeat(40)}` });
  const identity = (s: Stack) => s.emulator.log.list({ family: 'identity' }).length;

  test('100 requests with the same random token: 2 Identity calls, 100 refusals', async () => {
    stack.emulator.log.reset();
    const first = await gql(stack, VIEWER, {}, random(-1));
    expect(first.status).toBe(401);
    const rest = await Promise.all(
      Array.from({ length: 99 }, () => gql(stack, VIEWER, {}, random(-1))),
    );
    for (const r of [first, ...rest]) {
      expect(r.status).toBe(401);
      expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(r.body.data).toBeUndefined();
    }
    // userinfo + introspect once; the other 99 refused from the negative cache.
    expect(identityCalls().sort()).toEqual([
      'GET /services/oauth2/userinfo 401',
      'POST /services/oauth2/introspect 200',
    ]);
  });

  test('100 concurrent requests with one new random token: 2 Identity calls', async () => {
    stack.emulator.log.reset();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => gql(stack, VIEWER, {}, random(-2))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(401));
    expect(identity(stack)).toBe(2);
  });

  test('100 distinct random tokens from one address: validations stop at the per-address limit (429)', async () => {
    await using limited = await startStack({
      env: { TOKEN_VALIDATIONS_PER_MINUTE_PER_ADDRESS: '10' },
    });
    limited.emulator.log.reset();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await gql(limited, VIEWER, {}, random(i));
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
        expect(r.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(90).fill(429)]);
    // Ten validations, two Identity calls each: nothing more reached Salesforce.
    expect(identity(limited)).toBe(20);
  });

  test("validation calls are charged to the address's anonymous budget", async () => {
    await using budgeted = await startStack({
      env: { UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: '6' },
    });
    budgeted.emulator.log.reset();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await gql(budgeted, VIEWER, {}, random(i))).status);
    // Three validations (2 calls each) spend the 6 calls; the fourth is refused before Identity.
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(identity(budgeted)).toBe(6);
    // And the budget is spent for this address's anonymous operations too.
    const products = await gql(budgeted, `{ products(ids: ["permit-electrical"]) { id } }`);
    expect(products.status).toBe(429);
    expect(products.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

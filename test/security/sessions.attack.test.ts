// Sessions as an attacker tries them: ended sessions that keep working, parallel guessing,
// integration tokens posing as agents, logouts the gateway does not notice, account
// enumeration, passcode mail floods, and a proxy that makes everyone one address.
import request from 'supertest';
import { sendAsGateway } from '../support/principals.js';
import { startStack, TEST_PRINCIPAL_SECRET, type Stack } from '../harness.js';
import { agentHeaders, gql, type GraphQLBody } from '../client.js';
import { operation } from '../operations.js';

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
const authorizeCalls = () =>
  stack.emulator.log.list({ family: 'identity' }).filter((e) => e.path.endsWith('/authorize'));

async function signIn(i: number, headers: Record<string, string> = {}) {
  const { body } = await gql(
    stack,
    LOGIN,
    { u: citizen(i).username, p: world().citizenPassword },
    headers,
  );
  const s = body.data.login.session;
  if (!s) throw new Error(JSON.stringify(body));
  return { ...s, headers: { authorization: `Bearer ${s.accessToken}` } };
}

describe('2. sessions really end', () => {
  test('after logout(refreshToken) neither the access token nor the refresh token works', async () => {
    const s = await signIn(20);
    const out = await gql(
      stack,
      `mutation ($r: String) { logout(refreshToken: $r) { success } }`,
      { r: s.refreshToken },
      s.headers,
    );
    expect(out.body.data.logout.success).toBe(true);
    expect((await gql(stack, VIEWER, {}, s.headers)).status).toBe(401);
    const again = await gql(stack, REFRESH, { t: s.refreshToken });
    expect(again.body.data.refreshSession).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
    });
  });

  test('a refreshed session ends with its logout too (rotation keeps one grant)', async () => {
    const s = await signIn(21);
    const r = (await gql(stack, REFRESH, { t: s.refreshToken })).body.data.refreshSession.session;
    expect(r.refreshToken).not.toBe(s.refreshToken);
    const headers = { authorization: `Bearer ${r.accessToken}` };
    await gql(
      stack,
      `mutation ($r: String) { logout(refreshToken: $r) { success } }`,
      { r: r.refreshToken },
      headers,
    );
    expect((await gql(stack, VIEWER, {}, s.headers)).status).toBe(401);
    expect((await gql(stack, VIEWER, {}, headers)).status).toBe(401);
    expect(
      (await gql(stack, REFRESH, { t: r.refreshToken })).body.data.refreshSession.session,
    ).toBeNull();
  });
});

describe('3. the login limit is atomic', () => {
  test('20 parallel wrong passwords for one username: exactly 5 reach Salesforce', async () => {
    const victim = citizen(30);
    stack.emulator.log.reset();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gql(
          stack,
          LOGIN,
          { u: victim.username, p: `wrong-${i}` },
          { 'x-forwarded-for': `198.51.100.${i}` },
        ),
      ),
    );
    const codes = answers.map((a) => a.body.data.login.userErrors[0].code).sort();
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(15);
    expect(authorizeCalls()).toHaveLength(5);
  });

  test('straight at the session subgraph, an x-client-address header does not move the address', async () => {
    // The address the gateway signed is the only one counted: lock 10.9.9.9 (limit 50), then
    // claim another address in the header.
    const post = (address: string, signed = '10.9.9.9', user = 90) =>
      sendAsGateway(
        request(stack.subgraphUrls.session).post('').set('x-client-address', address),
        { kind: 'anonymous' },
        'session',
        { query: LOGIN, variables: { u: citizen(user).username, p: 'wrong' } },
        { secret: TEST_PRINCIPAL_SECRET, clientAddress: signed },
      );
    for (let i = 0; i < 50; i++) await post('10.9.9.9', '10.9.9.9', 200 + i);
    const res = await post('203.0.113.77', '10.9.9.9', 260);
    expect(res.body.data.login.userErrors[0].code).toBe('RATE_LIMITED');
    // A different signed address is not locked: the limit really is per signed address.
    const other = await post('10.9.9.9', '10.8.8.8', 261);
    expect(other.body.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
  });
});

describe('4. AGENT_CLIENT_IDS is enforced', () => {
  let other: Stack;
  beforeAll(async () => {
    other = await startStack({ env: { AGENT_CLIENT_IDS: '3MVG9SomeOtherConsoleApp' } });
  });
  afterAll(() => other.stop());

  test('an integration token whose client id is not listed sees no citizen and no segment', async () => {
    const token = await agentHeaders(other);
    const B = other.emulator.core.world.citizens[3];
    const seg = await gql(
      other,
      operation('segment-members'),
      { apiName: 'High_Engagement', first: 3 },
      token,
    );
    expect(seg.body.data.segment).toBeNull();
    const c = await gql(
      other,
      `query ($id: ID!) { citizen(id: $id) { id email } }`,
      { id: B.unifiedId },
      token,
    );
    expect(c.body.data.citizen).toBeNull();
  });

  test('the same token is an agent where its client id is listed', async () => {
    const token = await agentHeaders(stack);
    const B = citizen(3);
    const c = await gql(
      stack,
      `query ($id: ID!) { citizen(id: $id) { id } }`,
      { id: B.unifiedId },
      token,
    );
    expect(c.body.data.citizen).toEqual({ id: B.unifiedId });
  });
});

describe('6. revocation without lag', () => {
  test.each([
    ['inside an inline fragment', `mutation { ... on Mutation { logout { success } } }`],
    [
      'inside a named fragment',
      `mutation { ...Bye } fragment Bye on Mutation { logout { success } }`,
    ],
    ['under an alias', `mutation { bye: logout { success } }`],
  ])('a logout %s ends the token at this gateway at once', async (_how, doc) => {
    const s = await signIn(22);
    expect((await gql(stack, VIEWER, {}, s.headers)).body.data.viewer).not.toBeNull();
    const out = await gql(stack, doc, {}, s.headers);
    expect(out.body.errors).toBeUndefined();
    expect(JSON.stringify(out.body.data)).toContain('"success":true');
    expect(out.body.extensions?.sessionEnded).toBeUndefined(); // internal, not for clients
    expect((await gql(stack, VIEWER, {}, s.headers)).status).toBe(401);
  });

  test('the gateway introspects with the client id and secret, and Salesforce accepts it', async () => {
    stack.emulator.log.reset();
    await signIn(23).then((s) => gql(stack, VIEWER, {}, s.headers));
    const introspections = stack.emulator.log
      .list({ family: 'identity' })
      .filter((e) => e.path.endsWith('/introspect'));
    expect(introspections.map((e) => e.status)).toEqual([200]);
  });
});

describe('7. enumeration and abuse', () => {
  const START = `mutation ($i: StartRegistrationInput!) { startRegistration(input: $i) { identifier userErrors { code } } }`;
  const RESET = `mutation ($u: String!) { startPasswordReset(username: $u) { success userErrors { code } } }`;
  const COMPLETE = `mutation ($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`;

  test('registering a taken email answers exactly as a new one', async () => {
    const shape = (b: GraphQLBody) => ({
      identifier: typeof b.data?.startRegistration.identifier,
      length: b.data?.startRegistration.identifier?.length,
      userErrors: b.data?.startRegistration.userErrors,
    });
    const taken = await gql(stack, START, {
      i: { firstName: 'X', lastName: 'Y', email: citizen(24).email, password: 'Good12345' },
    });
    const fresh = await gql(stack, START, {
      i: {
        firstName: 'X',
        lastName: 'Y',
        email: 'brand.new.person@example.org',
        password: 'Good12345',
      },
    });
    expect(shape(taken.body)).toEqual(shape(fresh.body));
    expect(shape(taken.body)).toEqual({ identifier: 'string', length: 24, userErrors: [] });
  });

  test('password reset mails are limited per username (3 per window)', async () => {
    const u = citizen(25).username;
    const codes = [];
    for (let i = 0; i < 5; i++) {
      const r = await gql(stack, RESET, { u }, { 'x-forwarded-for': `192.0.2.${i}` });
      codes.push(r.body.data.startPasswordReset.userErrors[0]?.code ?? 'OK');
    }
    expect(codes).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(stack.emulator.outbox.list(citizen(25).email)).toHaveLength(3);
  });

  test('a new reset mail does not buy new passcode guesses', async () => {
    const c = citizen(26);
    await gql(stack, RESET, { u: c.username });
    for (let i = 0; i < 5; i++) {
      const r = await gql(stack, COMPLETE, {
        i: { username: c.username, otp: '000000', newPassword: 'Newpass123' },
      });
      expect(r.body.data.completePasswordReset.userErrors[0].code).toBe('INVALID_PASSCODE');
    }
    await gql(stack, RESET, { u: c.username });
    const otp = stack.emulator.outbox.latest(c.email)!.otp;
    const r = await gql(stack, COMPLETE, {
      i: { username: c.username, otp, newPassword: 'Newpass123' },
    });
    expect(r.body.data.completePasswordReset).toEqual({
      success: false,
      userErrors: [{ code: 'RATE_LIMITED' }],
    });
  });

  test('a colon in a username (it would split HTTP Basic) is BAD_USER_INPUT and reaches nobody', async () => {
    stack.emulator.log.reset();
    const r = await gql(stack, LOGIN, { u: `${citizen(27).username}:x`, p: 'whatever1' });
    expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.emulator.log.list({ family: 'identity' })).toEqual([]);
  });
});

describe('7. TRUST_PROXY', () => {
  let behindProxy: Stack;
  beforeAll(async () => {
    behindProxy = await startStack({
      env: { TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_ADDRESS: '3' },
    });
  });
  afterAll(() => behindProxy.stop());

  const wrong = (s: Stack, i: number, address: string) =>
    gql(
      s,
      LOGIN,
      { u: s.emulator.core.world.citizens[100 + i].username, p: 'wrong-1' },
      { 'x-forwarded-for': address },
    );

  test('behind a trusted proxy one address locking itself out leaves the others signing in', async () => {
    for (let i = 0; i < 3; i++) await wrong(behindProxy, i, '198.51.100.1');
    expect((await wrong(behindProxy, 3, '198.51.100.1')).body.data.login.userErrors[0].code).toBe(
      'RATE_LIMITED',
    );
    const w = behindProxy.emulator.core.world;
    const ok = await gql(
      behindProxy,
      LOGIN,
      { u: w.citizens[110].username, p: w.citizenPassword },
      { 'x-forwarded-for': '198.51.100.2' },
    );
    expect(ok.body.data.login.session?.accessToken).toEqual(expect.any(String));
  });

  test('10 parallel wrong passwords for different usernames from one address: exactly 3 reach Salesforce', async () => {
    behindProxy.emulator.log.reset();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => wrong(behindProxy, 20 + i, '198.51.100.9')),
    );
    const codes = answers.map((a) => a.body.data.login.userErrors[0].code);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(7);
    expect(
      behindProxy.emulator.log
        .list({ family: 'identity' })
        .filter((e) => e.path.endsWith('/authorize')),
    ).toHaveLength(3);
  });

  test('without TRUST_PROXY a forged X-Forwarded-For does not escape the address limit', async () => {
    await using plain = await startStack({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '2' } });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await wrong(plain, i, `203.0.113.${i}`)).body.data.login.userErrors[0].code);
    expect(codes).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
  });
});

describe('2b. a password reset ends every session of the user', () => {
  // Its own stack: the tests above lock the shared one's client address out of signing in.
  let own: Stack;
  beforeAll(async () => {
    own = await startStack();
  });
  afterAll(() => own.stop());

  test('two sessions, reset from one: both access tokens get 401, neither refresh token works', async () => {
    const c = own.emulator.core.world.citizens[30];
    const signInOwn = async () => {
      const { body } = await gql(own, LOGIN, {
        u: c.username,
        p: own.emulator.core.world.citizenPassword,
      });
      const s = body.data.login.session;
      if (!s) throw new Error(JSON.stringify(body));
      return { ...s, headers: { authorization: `Bearer ${s.accessToken}` } };
    };
    const a = await signInOwn();
    const b = await signInOwn();
    // Session A is validated (and cached) by the gateway before the reset.
    expect((await gql(own, VIEWER, {}, a.headers)).status).toBe(200);
    const start = await gql(
      own,
      `mutation ($u: String!) { startPasswordReset(username: $u) { success } }`,
      { u: c.username },
    );
    expect(start.body.data.startPasswordReset.success).toBe(true);
    const otp = own.emulator.outbox.latest(c.email)!.otp;
    const reset = await gql(
      own,
      `mutation ($i: CompletePasswordResetInput!) { completePasswordReset(input: $i) { success userErrors { code } } }`,
      { i: { username: c.username, otp, newPassword: 'Reset2Secure' } },
      a.headers,
    );
    expect(reset.body.data.completePasswordReset).toEqual({ success: true, userErrors: [] });
    // At Salesforce every token of both grants is dead.
    for (const s of [a, b]) {
      expect(own.emulator.core.tokens.lookup(s.accessToken)).toBeUndefined();
      expect(own.emulator.core.tokens.lookup(s.refreshToken)).toBeUndefined();
    }
    // The gateway drops the token of the resetting request at once; B was never cached.
    expect((await gql(own, VIEWER, {}, a.headers)).status).toBe(401);
    expect((await gql(own, VIEWER, {}, b.headers)).status).toBe(401);
    for (const s of [a, b])
      expect((await gql(own, REFRESH, { t: s.refreshToken })).body.data.refreshSession).toEqual({
        session: null,
        userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
      });
  });
});

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

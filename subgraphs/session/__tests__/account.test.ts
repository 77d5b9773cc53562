// Citizen.account and _entities over CRM SOQL (User + TwoFactorMethodsInfo).
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  ANONYMOUS,
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { contactId account { userId username active lastLoginAt } } } }`;
const ENTITIES_VERIFIED = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { account { userId emailVerified } } } }`;

describe('Citizen.account (CRM)', () => {
  let h: SubgraphHarness<'session'>;
  beforeAll(async () => {
    h = await startSubgraphHarness('session', { citizens: 300 });
  });
  afterAll(() => h.close());
  beforeEach(() => h.emu.log.reset());

  const reps = (n: number, from = 0) =>
    h.emu.core.world.citizens
      .slice(from, from + n)
      .map((c) => ({ __typename: 'Citizen', contactId: c.contactId }));
  const queries = () => h.emu.log.list({ family: 'crm', path: '/query' });

  test('agent: _entities for 250 citizens → 2 User queries (batches of 200), 1 token call', async () => {
    const res = await h.gql({ kind: 'agent', userId: 'agent' }, ENTITIES, { r: reps(250) });
    expect(res.errors).toBeUndefined();
    const c0 = h.emu.core.world.citizens[0];
    expect(res.data._entities[0]).toMatchObject({
      contactId: c0.contactId,
      account: { userId: c0.userId, username: c0.username, active: true },
    });
    const last = res.data._entities[0].account.lastLoginAt;
    expect(last === null || /Z$/.test(last)).toBe(true);
    expect(res.data._entities.every((e: { account: unknown }) => e.account)).toBe(true);
    expect(queries()).toHaveLength(2);
    expect(
      h.emu.log.list({ family: 'crm', path: '/services/oauth2/token' }).length,
    ).toBeLessThanOrEqual(1);

    // The token is cached across requests.
    h.emu.log.reset();
    await h.gql({ kind: 'agent' }, ENTITIES, { r: reps(3) });
    expect(h.emu.log.list({ family: 'crm', path: '/services/oauth2/token' })).toHaveLength(0);
    expect(queries()).toHaveLength(1);
  });

  test('emailVerified costs one TwoFactorMethodsInfo query, only when asked', async () => {
    const res = await h.gql({ kind: 'agent' }, ENTITIES_VERIFIED, { r: reps(5) });
    expect(res.errors).toBeUndefined();
    expect(
      res.data._entities.map(
        (e: { account: { emailVerified: boolean } }) => typeof e.account.emailVerified,
      ),
    ).toEqual(Array(5).fill('boolean'));
    const qs = queries().map((q) => decodeURIComponent(q.query));
    expect(qs).toHaveLength(2);
    expect(qs.some((q) => q.includes('FROM TwoFactorMethodsInfo'))).toBe(true);
  });

  test('citizen sees only their own account; another key is null with no upstream call', async () => {
    const me = h.emu.core.world.citizens[10];
    const other = h.emu.core.world.citizens[11];
    const own = await h.gql(citizenPrincipal(me), ENTITIES, {
      r: [{ __typename: 'Citizen', contactId: me.contactId }],
    });
    expect(own.data._entities[0].account.userId).toBe(me.userId);
    h.emu.log.reset();
    const theirs = await h.gql(citizenPrincipal(me), ENTITIES, {
      r: [{ __typename: 'Citizen', contactId: other.contactId }],
    });
    expect(theirs.data._entities[0]).toEqual({ contactId: other.contactId, account: null });
    expect(h.emu.log.list()).toHaveLength(0);
  });

  test('anonymous sees nothing; unknown contact is null; quotes are escaped', async () => {
    const anon = await h.gql(ANONYMOUS, ENTITIES, { r: reps(1) });
    expect(anon.data._entities[0].account).toBeNull();
    expect(h.emu.log.list()).toHaveLength(0);
    const odd = await h.gql({ kind: 'agent' }, ENTITIES, {
      r: [{ __typename: 'Citizen', contactId: "003x' OR Id != '" }],
    });
    expect(odd.errors).toBeUndefined();
    expect(odd.data._entities[0].account).toBeNull();
  });

  test('viewer { citizen { account } } for the signed-in citizen', async () => {
    const me = h.emu.core.world.citizens[20];
    const res = await h.gql(
      citizenPrincipal(me),
      `{ viewer { citizen { account { username active } } } }`,
      {},
    );
    expect(res.data.viewer.citizen.account).toEqual({ username: me.username, active: true });
  });

  test('expired integration session: re-authenticates once and retries', async () => {
    await h.gql({ kind: 'agent' }, ENTITIES, { r: reps(1) });
    h.emu.core.tokens.expireAll('core-access');
    h.emu.log.reset();
    const res = await h.gql({ kind: 'agent' }, ENTITIES, { r: reps(1, 5) });
    expect(res.data._entities[0].account).not.toBeNull();
    expect(
      h.emu.log
        .list({ family: 'crm' })
        .map((c) => [c.path.includes('token') ? 'token' : 'query', c.status]),
    ).toEqual([
      ['query', 401],
      ['token', 200],
      ['query', 200],
    ]);
  });
});

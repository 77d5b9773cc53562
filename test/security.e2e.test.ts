// Who may see what (PRODUCT.md): citizen A tries every way to reach citizen B's data, through
// the gateway and directly against each subgraph. Every attempt is asserted.
import request from 'supertest';
import { signPrincipal, type Principal } from '../lib/principal.js';
import { agentHeaders, gql, loginAs } from './client.js';
import { startStack, TEST_PRINCIPAL_SECRET, type Stack } from './harness.js';
import { operation } from './operations.js';

let stack: Stack;
let asA: Record<string, string>;
let A: Stack['emulator']['core']['world']['citizens'][number];
let B: Stack['emulator']['core']['world']['citizens'][number];
let bCaseId: string;

beforeAll(async () => {
  stack = await startStack();
  const { world, sobjects } = stack.emulator.core;
  // B must have at least one case so there is something to leak.
  const withCases = world.citizens.filter(
    (c) => sobjects.findBy('Case', 'ContactId', c.contactId).length > 0,
  );
  [A, B] = [world.citizens.find((c) => c !== withCases[0])!, withCases[0]];
  bCaseId = sobjects.findBy('Case', 'ContactId', B.contactId)[0].Id;
  asA = await loginAs(stack, A.username, world.citizenPassword);
});
afterAll(() => stack.stop());

describe('through the gateway, as citizen A', () => {
  test('A sees A', async () => {
    const { body } = await gql(
      stack,
      `query ($id: ID!) { citizen(id: $id) { id email cases { totalCount } } }`,
      { id: A.unifiedId },
      asA,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.citizen).toMatchObject({ id: A.unifiedId, email: A.email });
  });

  test('citizen(id: B) is null and costs no upstream call', async () => {
    stack.emulator.log.reset();
    const { body } = await gql(stack, operation('citizen-profile'), { id: B.unifiedId }, asA);
    expect(body.data.citizen).toBeNull();
    expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
  });

  test("case(id) of B's case is null, and so are its comments", async () => {
    const { body } = await gql(stack, operation('case-with-citizen'), { id: bCaseId }, asA);
    expect(body.data.case).toBeNull();
  });

  test('segments are for agents only', async () => {
    const { body } = await gql(
      stack,
      operation('segment-members'),
      { apiName: 'High_Engagement', first: 5 },
      asA,
    );
    expect(body.data?.segment ?? null).toBeNull();
  });

  test("comments on B's case are refused", async () => {
    const before = stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', bCaseId).length;
    const { body } = await gql(
      stack,
      operation('add-case-comment'),
      { input: { caseId: bCaseId, body: 'mine now', idempotencyKey: 'leak-comment-01' } },
      asA,
    );
    const payload = body.data?.addCaseComment;
    expect(payload?.comment ?? null).toBeNull();
    expect(payload?.userErrors?.[0]?.code ?? body.errors?.[0]?.extensions?.code).toMatch(
      /FORBIDDEN|NOT_FOUND/,
    );
    expect(stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', bCaseId).length).toBe(
      before,
    );
  });

  test("createCase for B's contact is refused", async () => {
    const { body } = await gql(
      stack,
      operation('create-case'),
      { input: { subject: 'x', idempotencyKey: 'leak-case-0001', contactId: B.contactId } },
      asA,
    );
    expect(body.data.createCase.case).toBeNull();
    expect(body.data.createCase.userErrors[0].code).toBe('FORBIDDEN');
  });
});

describe('tokens', () => {
  const q = `{ viewer { session { userId } } }`;
  test('missing token → anonymous (viewer null)', async () => {
    const { status, body } = await gql(stack, q);
    expect(status).toBe(200);
    expect(body.data.viewer).toBeNull();
  });
  test('forged token → 401 UNAUTHENTICATED', async () => {
    const { status, body } = await gql(
      stack,
      q,
      {},
      { authorization: 'Bearer 00Dforged!AQ4AQnotarealtoken' },
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
  test('expired token → 401', async () => {
    const headers = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    stack.emulator.core.tokens.expireAll('core-access');
    const { status } = await gql(stack, q, {}, headers);
    expect(status).toBe(401);
    asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
  });
  test('logout revokes at once for this gateway', async () => {
    const headers = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    expect((await gql(stack, q, {}, headers)).body.data.viewer).not.toBeNull();
    const out = await gql(stack, `mutation { logout { success } }`, {}, headers);
    expect(out.body.data.logout.success).toBe(true);
    expect((await gql(stack, q, {}, headers)).status).toBe(401);
  });
  test('a principal header sent by a client is ignored', async () => {
    const forged = signPrincipal({ kind: 'agent' }, 'guessed-secret');
    const { body } = await gql(
      stack,
      operation('segment-members'),
      { apiName: 'High_Engagement', first: 5 },
      { 'x-c360-principal': forged },
    );
    expect(body.data?.segment ?? null).toBeNull();
  });
});

describe('directly against the subgraphs', () => {
  const principalOfA = (): Principal => ({
    kind: 'citizen',
    userId: A.userId,
    username: A.username,
    contactId: A.contactId,
    unifiedId: A.unifiedId,
    commerceCustomerId: A.commerceCustomerId,
    commerceLogin: A.email,
  });
  const post = (
    name: string,
    query: string,
    variables: Record<string, unknown>,
    principal?: string,
  ) => {
    const r = request(stack.subgraphUrls[name]).post('');
    if (principal) r.set('x-c360-principal', principal);
    return r.send({ query, variables });
  };

  test.each(['customer', 'case', 'commerce', 'session'])(
    '%s refuses a request without a principal (401)',
    async (name) => {
      const res = await post(name, '{ __typename }', {});
      expect(res.status).toBe(401);
    },
  );

  test.each(['customer', 'case', 'commerce', 'session'])(
    '%s refuses a forged principal (401)',
    async (name) => {
      const res = await post(
        name,
        '{ __typename }',
        {},
        signPrincipal({ kind: 'agent' }, 'not-the-secret'),
      );
      expect(res.status).toBe(401);
    },
  );

  const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Citizen { id } } }`;
  test.each([
    ['customer', { __typename: 'Citizen', id: () => B.unifiedId }],
    ['customer', { __typename: 'Citizen', contactId: () => B.contactId }],
    ['customer', { __typename: 'Citizen', commerceCustomerId: () => B.commerceCustomerId }],
  ])("%s _entities with B's key %j leaks nothing", async (name, rep) => {
    const representation = Object.fromEntries(
      Object.entries(rep).map(([k, v]) => [k, typeof v === 'function' ? v() : v]),
    );
    const res = await post(
      name,
      entities,
      { r: [representation] },
      signPrincipal(principalOfA(), TEST_PRINCIPAL_SECRET),
    );
    expect(res.body.data._entities).toEqual([null]);
  });

  test("case subgraph: B's cases by contactId are empty", async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { cases { totalCount edges { node { id } } } } } }`;
    const res = await post(
      'case',
      q,
      { r: [{ __typename: 'Citizen', contactId: B.contactId }] },
      signPrincipal(principalOfA(), TEST_PRINCIPAL_SECRET),
    );
    const cases = res.body.data?._entities?.[0]?.cases;
    expect(cases === null || cases === undefined || cases.totalCount === 0).toBe(true);
  });

  test("commerce subgraph: B's cart and orders are not visible", async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { cart { id } orders { totalCount } } } }`;
    const res = await post(
      'commerce',
      q,
      {
        r: [
          {
            __typename: 'Citizen',
            commerceCustomerId: B.commerceCustomerId,
            commerceLogin: B.email,
          },
        ],
      },
      signPrincipal(principalOfA(), TEST_PRINCIPAL_SECRET),
    );
    const e = res.body.data?._entities?.[0];
    expect(e?.cart ?? null).toBeNull();
    expect(e?.orders?.totalCount ?? 0).toBe(0);
  });

  test("session subgraph: B's identity account is not visible", async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { account { username } } } }`;
    const res = await post(
      'session',
      q,
      { r: [{ __typename: 'Citizen', contactId: B.contactId }] },
      signPrincipal(principalOfA(), TEST_PRINCIPAL_SECRET),
    );
    expect(res.body.data?._entities?.[0]?.account ?? null).toBeNull();
  });
});

test('an agent sees any citizen', async () => {
  const agent = await agentHeaders(stack);
  const { body } = await gql(
    stack,
    `query ($id: ID!) { citizen(id: $id) { id email } }`,
    { id: B.unifiedId },
    agent,
  );
  expect(body.data.citizen).toMatchObject({ id: B.unifiedId, email: B.email });
});

test('brute force: repeated failed logins for one username are refused with RATE_LIMITED, others unaffected', async () => {
  const { world } = stack.emulator.core;
  const victim = world.citizens[7];
  const LOGIN = `mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken } userErrors { code } } }`;
  for (let i = 0; i < 5; i++) {
    const r = await gql(stack, LOGIN, { u: victim.username, p: `wrong-${i}` });
    expect(r.body.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
  }
  stack.emulator.log.reset();
  const locked = await gql(stack, LOGIN, { u: victim.username, p: world.citizenPassword });
  expect(locked.body.data.login.session).toBeNull();
  expect(locked.body.data.login.userErrors[0].code).toBe('RATE_LIMITED');
  expect(stack.emulator.log.list({ family: 'identity' })).toEqual([]); // refused before Salesforce
  const other = await gql(stack, LOGIN, {
    u: world.citizens[8].username,
    p: world.citizenPassword,
  });
  expect(other.body.data.login.session.accessToken).toBeTruthy();
});

// Who may see what (docs/salesforce/access-model.md#who-may-see-what): citizen A tries every way to
// reach citizen B's data, through the gateway and directly against each subgraph. Every attempt is
// asserted.
import request from 'supertest';
import type { Principal } from '../lib/principal.js';
import { gatewayRequest } from './support/principals.js';
import { agentHeaders, gql as postRaw, loginAs } from './client.js';
import { gql, startStack, TEST_PRINCIPAL_SECRET, type Stack } from './harness.js';
import {
  AddCaseCommentDocument,
  CaseWithCitizenDocument,
  CitizenProfileDocument,
  CreateCaseDocument,
  LoginDocument,
  SegmentMembersDocument,
  ViewerDocument,
} from '../gql/graphql.js';

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

/** An answer as a whole: its HTTP status and its body (errors, extensions and all). */
const whole = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });

describe('through the gateway, as citizen A', () => {
  test('A sees A', async () => {
    const { body } = await gql(stack, asA, CitizenProfileDocument, { id: A.unifiedId });
    expect(body.errors).toBeUndefined();
    expect(body.data?.citizen).toMatchObject({ id: A.unifiedId, email: A.email });
  });

  test('citizen(id: B) is null and costs no upstream call', async () => {
    stack.emulator.log.reset();
    const res = await gql(stack, asA, CitizenProfileDocument, { id: B.unifiedId });
    expect(whole(res)).toEqual({ status: 200, body: { data: { citizen: null } } });
    expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
  });

  test("case(id) of B's case is null, and so are its comments", async () => {
    const res = await gql(stack, asA, CaseWithCitizenDocument, { id: bCaseId });
    expect(whole(res)).toEqual({ status: 200, body: { data: { case: null } } });
  });

  test('segments are for agents only', async () => {
    const res = await gql(stack, asA, SegmentMembersDocument, {
      apiName: 'High_Engagement',
      first: 5,
    });
    expect(whole(res)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": {
           "segment": null,
         },
       },
       "status": 200,
     }
    `);
  });

  test("comments on B's case are refused", async () => {
    const before = stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', bCaseId).length;
    const res = await gql(stack, asA, AddCaseCommentDocument, {
      input: { caseId: bCaseId, body: 'mine now', idempotencyKey: 'leak-comment-01' },
    });
    // Someone else's case is refused as if it did not exist (no oracle for case ids).
    expect(whole(res)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": {
           "addCaseComment": {
             "comment": null,
             "userErrors": [
               {
                 "code": "NOT_FOUND",
                 "field": [
                   "input",
                   "caseId",
                 ],
                 "message": "There is no such case.",
               },
             ],
           },
         },
       },
       "status": 200,
     }
    `);
    expect(stack.emulator.core.sobjects.findBy('CaseComment', 'ParentId', bCaseId).length).toBe(
      before,
    );
  });

  test("createCase for B's contact is refused", async () => {
    const res = await gql(stack, asA, CreateCaseDocument, {
      input: { subject: 'x', idempotencyKey: 'leak-case-0001', contactId: B.contactId },
    });
    expect(whole(res)).toMatchInlineSnapshot(`
     {
       "body": {
         "data": {
           "createCase": {
             "case": null,
             "userErrors": [
               {
                 "code": "FORBIDDEN",
                 "field": [
                   "input",
                   "contactId",
                 ],
                 "message": "You can only open cases for yourself.",
               },
             ],
           },
         },
       },
       "status": 200,
     }
    `);
  });
});

describe('tokens', () => {
  test('missing token → anonymous (viewer null)', async () => {
    const res = await gql(stack, 'anonymous', ViewerDocument, {});
    expect(whole(res)).toEqual({ status: 200, body: { data: { viewer: null } } });
  });
  test('forged token → 401 UNAUTHENTICATED', async () => {
    const res = await gql(stack, '00Dforged!AQ4AQnotarealtoken', ViewerDocument, {});
    expect(whole(res)).toMatchInlineSnapshot(`
     {
       "body": {
         "errors": [
           {
             "extensions": {
               "code": "UNAUTHENTICATED",
             },
             "message": "The access token is invalid, expired or revoked.",
           },
         ],
       },
       "status": 401,
     }
    `);
  });
  test('expired token → 401, the same answer as a forged one', async () => {
    const forged = await gql(stack, '00Dforged!AQ4AQnotarealtoken', ViewerDocument, {});
    const headers = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    stack.emulator.core.tokens.expireAll('core-access');
    const expired = await gql(stack, headers, ViewerDocument, {});
    expect(whole(expired)).toEqual(whole(forged));
    asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
  });
  test('logout revokes at once for this gateway', async () => {
    const headers = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    expect((await gql(stack, headers, ViewerDocument, {})).body.data?.viewer).not.toBeNull();
    // No canonical operation logs out: the mutation as text.
    const out = await postRaw(stack, `mutation { logout { success } }`, {}, headers);
    expect(out.body).toEqual({ data: { logout: { success: true } } });
    const after = await gql(stack, headers, ViewerDocument, {});
    expect(after.status).toBe(401);
    expect(after.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
  test('a principal header sent by a client is ignored', async () => {
    const forged = gatewayRequest({ kind: 'agent' }, 'customer', '{}', { secret: 'guessed-secret' })
      .headers['x-c360-principal'];
    const res = await gql(
      stack,
      'anonymous',
      SegmentMembersDocument,
      { apiName: 'High_Engagement', first: 5 },
      { 'x-c360-principal': forged },
    );
    expect(whole(res)).toEqual({ status: 200, body: { data: { segment: null } } });
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
    principal?: Principal,
    secret = TEST_PRINCIPAL_SECRET,
  ) => {
    const r = request(stack.subgraphUrls[name]).post('');
    if (!principal) return r.send({ query, variables });
    const signed = gatewayRequest(principal, name, { query, variables }, { secret });
    return r.set(signed.headers).send(signed.body);
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
      const res = await post(name, '{ __typename }', {}, { kind: 'agent' }, 'not-the-secret');
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
    const res = await post(name, entities, { r: [representation] }, principalOfA());
    expect(res.body.data._entities).toEqual([null]);
  });

  test("case subgraph: B's cases by contactId are empty", async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { cases { totalCount edges { node { id } } } } } }`;
    const res = await post(
      'case',
      q,
      { r: [{ __typename: 'Citizen', contactId: B.contactId }] },
      principalOfA(),
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
      principalOfA(),
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
      principalOfA(),
    );
    expect(res.body.data?._entities?.[0]?.account ?? null).toBeNull();
  });
});

test('an agent sees any citizen', async () => {
  const agent = await agentHeaders(stack);
  const { body } = await gql(stack, agent, CitizenProfileDocument, { id: B.unifiedId });
  expect(body.errors).toBeUndefined();
  expect(body.data?.citizen).toMatchObject({ id: B.unifiedId, email: B.email });
});

test('brute force: repeated failed logins for one username are refused with RATE_LIMITED, others unaffected', async () => {
  const { world } = stack.emulator.core;
  const victim = world.citizens[7];
  const login = (username: string, password: string) =>
    gql(stack, 'anonymous', LoginDocument, { username, password });
  for (let i = 0; i < 5; i++) {
    const r = await login(victim.username, `wrong-${i}`);
    expect(r.body.data?.login.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);
  }
  stack.emulator.log.reset();
  const locked = await login(victim.username, world.citizenPassword);
  // The wait counts down from the first failure (a loaded machine may be a second later).
  const message = locked.body.data?.login.userErrors[0]?.message ?? '';
  const seconds = Number(/in (\d+) seconds/.exec(message)?.[1]);
  expect(seconds).toBeGreaterThan(800);
  expect(seconds).toBeLessThanOrEqual(900);
  expect(
    JSON.parse(
      JSON.stringify(whole(locked)).replace(`in ${seconds} seconds`, 'in <seconds> seconds'),
    ),
  ).toMatchInlineSnapshot(`
   {
     "body": {
       "data": {
         "login": {
           "session": null,
           "userErrors": [
             {
               "code": "RATE_LIMITED",
               "field": null,
               "message": "Too many sign-in attempts; try again in <seconds> seconds.",
             },
           ],
         },
       },
     },
     "status": 200,
   }
  `);
  expect(stack.emulator.log.list({ family: 'identity' })).toEqual([]); // refused before Salesforce
  const other = await login(world.citizens[8].username, world.citizenPassword);
  expect(other.body.data?.login.session?.accessToken).toBeTruthy();
});

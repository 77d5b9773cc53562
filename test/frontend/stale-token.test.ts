// A browser that still sends an invalid or expired bearer token: the operations an anonymous caller
// may run (sign in, refresh, registration, password reset, the catalogue, introspection) run as
// anonymous and say the token was ignored; everything else keeps 401 UNAUTHENTICATED. Decided on
// the parsed operation — fragments included — never on the text.
import { print } from 'graphql';
import request from 'supertest';
import { startStack, type Stack } from '../harness.js';
import { gql } from '../client.js';
import { LoginDocument, ProductsDocument } from '../../gql/graphql.js';

const STALE = { authorization: 'Bearer 00Dstale!AQ4AQexpiredtokenvalue' };
const IGNORED = { authentication: 'ignored-invalid-token' };
const PRODUCTS = ['permit-building-residential', 'permit-electrical'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
});
afterAll(() => stack.stop());

const citizen = () => stack.emulator.core.world.citizens[0];
const password = () => stack.emulator.core.world.citizenPassword;

test('login with a stale token signs in as anonymous and says the token was ignored', async () => {
  const res = await gql(
    stack,
    LoginDocument,
    { username: citizen().username, password: password() },
    STALE,
  );
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.login.userErrors).toEqual([]);
  expect(typeof res.body.data!.login.session!.accessToken).toBe('string');
  expect(res.body.extensions).toEqual(IGNORED);
});

test('refreshSession with a stale token answers the rotated tokens', async () => {
  const login = await gql(stack, LoginDocument, {
    username: citizen().username,
    password: password(),
  });
  const refreshToken = login.body.data!.login.session!.refreshToken!;
  const res = await gql(
    stack,
    `mutation Refresh($t: String!) { refreshSession(refreshToken: $t) { session { accessToken refreshToken } userErrors { code } } }`,
    { t: refreshToken },
    STALE,
  );
  expect(res.status).toBe(200);
  expect(res.body.data.refreshSession.userErrors).toEqual([]);
  expect(res.body.data.refreshSession.session.refreshToken).not.toBe(refreshToken);
  expect(res.body.extensions).toEqual(IGNORED);
});

test('the catalogue through a fragment spread and an inline fragment, and __typename', async () => {
  await gql(stack, ProductsDocument, { ids: PRODUCTS }); // warms the SLAS guest token
  stack.emulator.log.reset();
  const res = await gql(
    stack,
    `query Catalogue($ids: [ID!]!) { __typename ...Cat }
     fragment Cat on Query { ... on Query { products(ids: $ids) { id } } }`,
    { ids: PRODUCTS },
    STALE,
  );
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual({
    __typename: 'Query',
    products: PRODUCTS.map((id) => ({ id })),
  });
  expect(res.body.extensions).toEqual(IGNORED);
  // The catalogue's one SCAPI call, as anonymous; the stale token, refused by Identity in an
  // earlier test, is refused again from the gateway's negative cache without a call.
  expect(stack.emulator.log.countByFamily()).toEqual({ scapi: 1 });
});

test('introspection with a stale token runs (GraphiQL loads its docs before sign-in)', async () => {
  const res = await gql(stack, `{ __schema { queryType { name description } } }`, {}, STALE);
  expect(res.status).toBe(200);
  expect(res.body.data.__schema.queryType.name).toBe('Query');
  expect(res.body.data.__schema.queryType.description).toMatch(/^The Customer 360 graph/);
  expect(res.body.extensions).toEqual(IGNORED);
});

test('a valid token is never reported as ignored', async () => {
  const res = await gql(stack, ProductsDocument, { ids: PRODUCTS });
  expect(res.status).toBe(200);
  expect(res.body.extensions).toBeUndefined();
});

describe('everything else keeps 401 UNAUTHENTICATED', () => {
  const cases: Array<[string, string]> = [
    ['viewer', `{ viewer { session { userId } } }`],
    ['logout', `mutation { logout { success } }`],
    [
      'products next to viewer',
      `{ products(ids: ["permit-electrical"]) { id } viewer { __typename } }`,
    ],
    [
      'viewer hidden in a fragment',
      `query Q { products(ids: []) { id } ...V } fragment V on Query { viewer { __typename } }`,
    ],
    [
      'viewer hidden in an inline fragment',
      `{ ... on Query { product(id: "permit-electrical") { id } ... on Query { viewer { __typename } } } }`,
    ],
    ['a field named like login but aliased', `{ login: viewer { __typename } }`],
    ['a syntax error', `{ products(ids: [) }`],
  ];
  test.each(cases)('%s', async (_name, query) => {
    const res = await gql(stack, query, {}, STALE);
    expect(res.status).toBe(401);
    expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data).toBeUndefined();
  });

  test('the operation decided on is the one operationName picks', async () => {
    const doc = `${print(LoginDocument)}\nquery Mine { viewer { __typename } }`;
    const variables = { username: citizen().username, password: password() };
    const send = (operationName?: string) =>
      request(stack.gatewayUrl)
        .post('/graphql')
        .set(STALE)
        .send({ query: doc, variables, operationName });
    const login = await send('Login');
    expect(login.status).toBe(200);
    expect(login.body.extensions).toEqual(IGNORED);
    expect((await send('Mine')).status).toBe(401);
    // Two operations and no name: nothing to decide on, so 401 (not Apollo's 400).
    expect((await send()).status).toBe(401);
  });
});

// Cache-Control through the gateway (gateway/cache-control.ts): an anonymous GET query of the
// public catalogue only is `public, max-age=CATALOGUE_CACHE_MAX_AGE_SECONDS` (a CDN may keep it);
// a signed-in caller, a principal's field, a POST, a mutation or a refused token: private, no-store.
import { startStack, type Stack } from './harness.js';
import { loginAs } from './client.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 20, env: { CATALOGUE_CACHE_MAX_AGE_SECONDS: '120' } });
}, 60_000);
afterAll(() => stack.stop());

const CATALOGUE = '{ productSearch(first: 2) { totalCount products { id name } } }';

const get = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.gatewayUrl}/graphql?query=${encodeURIComponent(query)}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
const post = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

test('an anonymous GET of the catalogue is public for the configured max-age', async () => {
  const res = await get(CATALOGUE);
  const body = await res.json();
  expect(res.status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.productSearch.products.length).toBeGreaterThan(0);
  expect(res.headers.get('cache-control')).toBe('public, max-age=120');
  // product by id too (the catalogue's other root fields).
  const id = body.data.productSearch.products[0].id as string;
  const one = await get(`{ product(id: "${id}") { id name } products(ids: ["${id}"]) { id } }`);
  expect(one.headers.get('cache-control')).toBe('public, max-age=120');
});

test('a signed-in caller, a principal’s field, a POST, a mutation or an ignored token: private, no-store', async () => {
  const c = stack.emulator.core.world.citizens[0];
  const { authorization } = await loginAs(
    stack,
    c.username,
    stack.emulator.core.world.citizenPassword,
  );
  const anonymous = await (await get(CATALOGUE)).json();
  const productId = anonymous.data.productSearch.products[0].id as string;
  const PRODUCT = `{ product(id: "${productId}") { id name } }`;
  const answers = {
    signedIn: await get(CATALOGUE, { authorization }),
    principalField: await get(
      `{ productSearch(first: 1) { totalCount } citizen(id: "${c.unifiedId}") { id } }`,
    ),
    post: await post(CATALOGUE),
    mutation: await post(
      'mutation { login(username: "nobody@example.org", password: "wrong") { __typename } }',
    ),
    // product is an anonymous-allowed field: a stale token is ignored, the answer says so.
    ignoredToken: await get(PRODUCT, { authorization: 'Bearer not-a-token' }),
    // productSearch is not: a refused token answers 401 before Apollo — private all the same.
    refusedToken: await get(CATALOGUE, { authorization: 'Bearer not-a-token' }),
  };
  const headers = Object.fromEntries(
    Object.entries(answers).map(([k, r]) => [k, r.headers.get('cache-control')]),
  );
  expect(headers).toEqual({
    signedIn: 'private, no-store',
    principalField: 'private, no-store',
    post: 'private, no-store',
    mutation: 'private, no-store',
    ignoredToken: 'private, no-store',
    refusedToken: 'private, no-store',
  });
  expect(answers.refusedToken.status).toBe(401);
  // The signed-in and ignored-token answers still carry the catalogue.
  expect((await answers.signedIn.json()).data.productSearch.totalCount).toBeGreaterThan(0);
  const ignored = await answers.ignoredToken.json();
  expect(ignored.data.product.id).toBe(productId);
  expect(ignored.extensions.authentication).toBe('ignored-invalid-token');
});

// CORS: an allow-list of origins from config (none by default), credentials allowed, preflight
// answered, and Apollo's CSRF prevention kept for everyone.
import request from 'supertest';
import { startStack, type Stack } from '../harness.js';

const PORTAL = 'http://localhost:5173';
let stack: Stack;
let closed: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { CORS_ORIGINS: `${PORTAL}, https://portal.example.gov/` } });
  closed = await startStack();
});
afterAll(async () => {
  await stack.stop();
  await closed.stop();
});

test('a listed origin gets its preflight answered, with credentials', async () => {
  const res = await request(stack.gatewayUrl)
    .options('/graphql')
    .set('origin', PORTAL)
    .set('access-control-request-method', 'POST')
    .set('access-control-request-headers', 'authorization, content-type');
  expect(res.status).toBe(204);
  expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
  expect(res.headers['access-control-allow-credentials']).toBe('true');
  expect(res.headers['access-control-allow-headers']).toMatch(/authorization/);
  const post = await request(stack.gatewayUrl)
    .post('/graphql')
    .set('origin', 'https://portal.example.gov')
    .send({ query: '{ __typename }' });
  expect(post.headers['access-control-allow-origin']).toBe('https://portal.example.gov');
  expect(post.headers['access-control-expose-headers']).toBe('x-request-id');
});

test.each([
  ['an unlisted origin', () => stack, 'https://evil.example.com'],
  ['any origin when none is configured', () => closed, PORTAL],
])('%s gets no CORS headers', async (_what, which, origin) => {
  const res = await request(which().gatewayUrl)
    .options('/graphql')
    .set('origin', origin)
    .set('access-control-request-method', 'POST');
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
});

test('a simple cross-site GET runs as anonymous and its answer stays unreadable to the page (no CORS headers); a mutation over GET is refused (400)', async () => {
  const res = await request(stack.gatewayUrl)
    .get('/graphql')
    .query({ query: '{ __typename }' })
    .set('origin', 'https://evil.example.com');
  expect(res.status).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
  const mutation = await request(stack.gatewayUrl)
    .get('/graphql')
    .query({ query: 'mutation { logout { success } }' })
    .set('origin', PORTAL);
  expect(mutation.status).toBe(400);
  expect(mutation.body.errors[0].message).toMatch(/GET requests only support query operations/);
});

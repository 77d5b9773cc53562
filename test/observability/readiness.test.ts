// Readiness that means ability to serve: a subgraph is ready when its Salesforce API answers and
// accepts its credentials (with the reason when not); the gateway stays ready while it can
// answer, reporting the subgraphs in its body, so one bad subgraph never empties the pool.
import request from 'supertest';
import { startGateway, startStack, startSubgraph, type Stack } from '../harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const base = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');

test.each(['customer', 'case', 'commerce', 'session'])(
  '%s is ready with good credentials',
  async (name) => {
    const res = await request(base(stack.subgraphUrls[name])).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', subgraph: name, openCircuits: {} });
  },
);

async function readyzOf(name: string, env: NodeJS.ProcessEnv) {
  await using sub = await startSubgraph(name, { ...stack.env, ...env });
  const res = await request(sub.http.url).get('/readyz');
  return { status: res.status, body: res.body as { status: string; reason?: string } };
}

test.each([
  ['case', { CRM_CLIENT_SECRET: 'not-the-secret' }, /^crm answered 401 invalid_client/],
  ['session', { CRM_CLIENT_SECRET: 'not-the-secret' }, /^crm answered 401 invalid_client/],
  ['customer', { CRM_CLIENT_SECRET: 'not-the-secret' }, /^crm answered 401 invalid_client/],
  ['commerce', { SCAPI_CLIENT_SECRET: 'not-the-secret' }, /^scapi answered 401/],
])(
  '%s is not ready when Salesforce rejects its credentials, and says why',
  async (name, env, reason) => {
    const { status, body } = await readyzOf(name, env);
    expect(status).toBe(503);
    expect(body.status).toBe('not ready');
    expect(body.reason).toMatch(reason);
    expect(body.reason).not.toContain('not-the-secret');
  },
);

test('a subgraph whose upstream is unreachable is not ready', async () => {
  const { status, body } = await readyzOf('case', { CRM_LOGIN_URL: 'http://127.0.0.1:9/crm' });
  expect(status).toBe(503);
  expect(body.reason).toMatch(/^crm unreachable/);
});

test('the gateway stays ready with a subgraph down, and reports it', async () => {
  await using gateway = await startGateway(stack.env, {
    ...stack.subgraphUrls,
    case: 'http://127.0.0.1:9/graphql',
  });
  const res = await request(gateway.url).get('/readyz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    status: 'degraded',
    subgraphs: { customer: 'ready', case: 'unreachable', commerce: 'ready', session: 'ready' },
    openCircuits: {},
  });
  expect((await request(stack.gatewayUrl).get('/readyz')).body.status).toBe('ready');
});

// What an operator sees: Prometheus metrics on every service, one access line per request with
// a request id that crosses the gateway, every upstream failure logged once — and nothing in
// the logs that identifies a person or grants access.
import { Writable } from 'node:stream';
import request from 'supertest';
import { useLogDestination } from '../../lib/observability/log.js';
import { startStack, type Stack } from '../harness.js';
import { gql, loginAs } from '../client.js';
import { operation } from '../operations.js';

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l));
    done();
  },
});

let stack: Stack;
beforeAll(async () => {
  useLogDestination(sink, 'info');
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
  useLogDestination(new Writable({ write: (_c, _e, d) => d() }), 'silent');
});

const metricsOf = async (url: string) => (await request(url).get('/metrics')).text;

test('operation labels come from the trusted documents: a client cannot mint label values', async () => {
  for (let i = 0; i < 5; i++) await gql(stack, `query Poison${i}x { __typename }`, {}, undefined);
  const gateway = await metricsOf(stack.gatewayUrl);
  expect(gateway).not.toMatch(/Poison\dx/);
  expect(gateway).toMatch(
    /graphql_requests_total\{operation="other",outcome="ok",service="gateway"\} 5/,
  );
});

test('the gateway and each subgraph serve Prometheus metrics of requests and Salesforce calls', async () => {
  const A = stack.emulator.core.world.citizens[3];
  const asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
  const { body } = await gql(stack, operation('citizen-profile'), { id: A.unifiedId }, asA);
  expect(body.errors).toBeUndefined();
  await gql(stack, '{ __typename }', {}, asA); // the token again: from the cache
  const gateway = await metricsOf(stack.gatewayUrl);
  expect(gateway).toMatch(
    /graphql_requests_total\{operation="CitizenProfile",outcome="ok",service="gateway"\} 1/,
  );
  expect(gateway).toMatch(
    /graphql_request_duration_seconds_count\{[^}]*operation="CitizenProfile"[^}]*\} 1/,
  );
  // The gateway's own Salesforce calls: userinfo and introspection of the token.
  expect(gateway).toMatch(
    /salesforce_calls_total\{family="identity",endpoint="\/identity\/services\/oauth2\/userinfo",status="200",service="gateway"\} 1/,
  );
  expect(gateway).toMatch(
    /cache_lookups_total\{cache="principal",result="hit",service="gateway"\} 1/,
  );
  const customer = await metricsOf(stack.subgraphUrls.customer.replace(/\/graphql$/, ''));
  expect(customer).toMatch(
    /graphql_requests_total\{operation="CitizenProfile",outcome="ok",service="customer"\} \d+/,
  );
  expect(customer).toMatch(
    /salesforce_calls_total\{family="datacloud",endpoint="[^"]+",status="200",service="customer"\} \d+/,
  );
  const kase = await metricsOf(stack.subgraphUrls.case.replace(/\/graphql$/, ''));
  expect(kase).toMatch(
    /salesforce_daily_api_requests_remaining\{family="crm",service="case"\} \d+/,
  );
});

test('one access line per request, with the request id given by the client, returned and seen by the subgraphs', async () => {
  lines.length = 0;
  const res = await request(stack.gatewayUrl)
    .post('/graphql')
    .set('x-request-id', 'req-observability-0001')
    .send({ query: operation('products'), variables: { ids: ['PERMIT-PARKING'] } });
  expect(res.headers['x-request-id']).toBe('req-observability-0001');
  const access = lines.filter(
    (l) => l.msg === 'request' && l.requestId === 'req-observability-0001',
  );
  expect(access.map((l) => l.service).sort()).toEqual(['commerce', 'gateway']);
  const gw = access.find((l) => l.service === 'gateway')!;
  expect(gw).toMatchObject({
    method: 'POST',
    path: '/graphql',
    status: 200,
    operation: 'Products',
    upstreamCalls: { scapi: expect.any(Number) },
  });
  const generated = await request(stack.gatewayUrl)
    .post('/graphql')
    .send({ query: '{ __typename }' });
  expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
});

test('an upstream failure is logged once, with family, endpoint, status and the Salesforce code', async () => {
  const agent = await (await import('../client.js')).agentHeaders(stack);
  lines.length = 0;
  await request(stack.emulator.app)
    .post('/__emulator/faults')
    .send({
      kind: 'status',
      family: 'crm',
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      count: 1,
    })
    .expect(201);
  const B = stack.emulator.core.world.citizens[8];
  await gql(
    stack,
    `query ($id: ID!) { citizen(id: $id) { cases { totalCount } } }`,
    { id: B.unifiedId },
    agent,
  );
  stack.emulator.faults.reset();
  const failures = lines.filter((l) => l.msg === 'salesforce call failed');
  expect(failures).toEqual([
    expect.objectContaining({
      service: 'case',
      family: 'crm',
      status: 403,
      endpoint: expect.stringMatching(/^\/crm\/services\/data\/\{v\}\//),
    }),
  ]);
});

test('no token, password, username or email appears in the logs of a login and a profile', async () => {
  lines.length = 0;
  const { world } = stack.emulator.core;
  const A = world.citizens[14];
  const asA = await loginAs(stack, A.username, world.citizenPassword);
  await gql(stack, operation('citizen-profile'), { id: A.unifiedId }, asA);
  const text = JSON.stringify(lines);
  expect(lines.length).toBeGreaterThan(3);
  const token = asA.authorization.replace('Bearer ', '');
  for (const secret of [
    token,
    world.citizenPassword,
    A.username,
    A.email,
    A.contactId,
    world.integration.clientSecret,
  ])
    expect(text).not.toContain(secret);
});

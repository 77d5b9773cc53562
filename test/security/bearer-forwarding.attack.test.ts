// The client's bearer token reaches only the session subgraph (it revokes and introspects it);
// every other subgraph sees the signed principal alone, so a token never reaches a service that
// could leak it. Checked through the real gateway, with a recording stand-in for one subgraph.
import type { IncomingHttpHeaders } from 'node:http';
import request from 'supertest';
import { startGateway, startStack, type Stack } from '../harness.js';
import { listenDisposable } from '../support/disposable.js';
import { agentHeaders } from '../client.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
});
afterAll(() => stack.stop());

test('a case fetch carries the principal but not the bearer token; the session fetch carries both', async () => {
  const seen: IncomingHttpHeaders[] = [];
  // Stands in for the case subgraph: records the headers, answers an entity with no cases.
  await using fakeCase = await listenDisposable((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { _entities: [{ cases: { totalCount: 0 } }] } }));
    });
  });
  await using gateway = await startGateway(stack.env, {
    ...stack.subgraphUrls,
    case: `${fakeCase.url}/graphql`,
  });
  const agent = await agentHeaders(stack);
  const B = stack.emulator.core.world.citizens[3];
  const res = await request(gateway.url)
    .post('/graphql')
    .set(agent)
    .send({
      query: `query ($id: ID!) { citizen(id: $id) { id cases { totalCount } } }`,
      variables: { id: B.unifiedId },
    });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.citizen).toEqual({ id: B.unifiedId, cases: { totalCount: 0 } });
  expect(seen).toHaveLength(1);
  expect(seen[0].authorization).toBeUndefined();
  expect(seen[0]['x-c360-principal']).toEqual(expect.any(String));
});

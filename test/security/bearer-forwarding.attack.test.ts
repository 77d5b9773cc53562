// The client's bearer token reaches only the session subgraph (it revokes and introspects it);
// every other subgraph sees the signed principal alone, so a token never reaches a service that
// could leak it. Checked through the real gateway, with a recording stand-in for one subgraph.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { createGateway } from '../../gateway/server.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { listen } from '../../lib/http.js';
import { startStack, type Stack } from '../harness.js';
import { agentHeaders } from '../client.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
});
afterAll(() => stack.stop());

test('a case fetch carries the principal but not the bearer token; the session fetch carries both', async () => {
  const seen: IncomingHttpHeaders[] = [];
  // Stands in for the case subgraph: records the headers, answers an entity with no cases.
  const fakeCase = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { _entities: [{ cases: { totalCount: 0 } }] } }));
    });
  });
  await new Promise<void>((r) => fakeCase.listen(0, '127.0.0.1', r));
  const { port } = fakeCase.address() as AddressInfo;
  const gateway = await createGateway({
    ...loadGatewayConfig(stack.env),
    subgraphUrls: { ...stack.subgraphUrls, case: `http://127.0.0.1:${port}/graphql` },
    supergraphSdl: readFileSync(
      new URL('../../schema/supergraph.graphql', import.meta.url),
      'utf8',
    ),
  });
  const up = await listen(gateway.app);
  try {
    const agent = await agentHeaders(stack);
    const B = stack.emulator.core.world.citizens[3];
    const res = await request(up.url)
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
  } finally {
    await gateway.stop();
    await up.close();
    fakeCase.close();
  }
});

// The graphql-http server audit against the gateway: every MUST passes.
import { auditServer } from 'graphql-http';
import { startStack, TEST_PRINCIPAL_SECRET, type Stack } from './harness.js';
import { gatewayRequest } from './support/principals.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ citizens: 50 });
});
afterAll(() => stack.stop());

test('graphql-http audit: zero MUST failures', async () => {
  const results = await auditServer({ url: `${stack.gatewayUrl}/graphql` });
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const summary = {
    ok: count('ok'),
    warn: count('warn'),
    notice: count('notice'),
    error: count('error'),
  };
  console.log(`graphql-http audit: ${JSON.stringify(summary)}`);
  const failures = results
    .filter((r) => r.status === 'error')
    .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
  expect(failures).toEqual([]);
  expect(summary.ok).toBeGreaterThan(50);
});

test('malformed JSON, wrong content type and invalid variables get clear 4xx JSON errors', async () => {
  const post = (body: string, type = 'application/json') =>
    fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
  const malformed = await post('{"query": ');
  expect(malformed.status).toBe(400);
  expect((await malformed.json()).errors[0].message).toMatch(/JSON/);
  const wrongType = await post('query { __typename }', 'text/plain');
  expect(wrongType.status).toBeGreaterThanOrEqual(400);
  expect(wrongType.status).toBeLessThan(500);
  const badVariables = await post(
    JSON.stringify({
      query: 'query ($id: ID!) { citizen(id: $id) { id } }',
      variables: { id: { not: 'an id' } },
    }),
  );
  expect(badVariables.status).toBe(400);
  expect((await badVariables.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

test('hostile queries are refused before any upstream call', async () => {
  stack.emulator.log.reset();
  const post = (query: string) =>
    fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
  const deep = await post(
    `{ citizen(id: "x") { segments { members { edges { node { segments { members { edges { node { segments { members { edges { node { id } } } } } } } } } } } } } }`,
  );
  expect(deep.status).toBe(400);
  const aliases = await post(
    `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: product(id: "p") { id }`).join(' ')} }`,
  );
  expect(aliases.status).toBe(400);
  const costly = await post(
    `{ segment(apiName: "High_Engagement") { members(first: 100) { edges { node { cart { id } orders(first: 100) { totalCount } cases(first: 100) { edges { node { comments { id } citizen { cart { id } orders { totalCount } } } } } } } } } }`,
  );
  expect(costly.status).toBe(400);
  expect((await costly.json()).errors[0].extensions.code).toBe('COST_LIMIT_EXCEEDED');
  expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
});

describe('injection: hostile strings through every string argument stay literals', () => {
  const HOSTILE = [
    "x' OR '1'='1",
    "x\\' OR Id != '",
    "%' OR Name LIKE '%",
    '_',
    'a\nOR 1=1 --',
    "') OR (1=1",
    "x'; DELETE FROM Case; --",
    '" OR ""="',
  ];
  const agent = async () => {
    const { agentHeaders } = await import('./client.js');
    return agentHeaders(stack);
  };

  test.each(HOSTILE)('%j finds nothing and breaks nothing', async (s) => {
    const headers = { 'content-type': 'application/json', ...(await agent()) };
    const casesBefore = [...stack.emulator.core.sobjects.all('Case')].length;
    const res = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: `query ($s: String!, $id: ID!) {
          citizen(id: $id) { id }
          case(id: $id) { id }
          segment(apiName: $s) { apiName }
        }`,
        variables: { s, id: s },
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data).toEqual({ citizen: null, case: null, segment: null });
    // A segment API name has Salesforce's API-name shape: anything else is refused, never sent.
    expect(body.errors).toEqual([
      {
        message:
          'apiName must be a segment API name (a letter, then letters, digits and single underscores).',
        path: ['segment'],
        extensions: { code: 'BAD_USER_INPUT', field: 'apiName' },
      },
    ]);
    // Product ids go into SCAPI paths: a string that cannot be one is refused, never sent.
    const catalogue = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: `query ($id: ID!) { product(id: $id) { id } products(ids: [$id]) { id } }`,
        variables: { id: s },
      }),
    });
    const products = await catalogue.json();
    // eslint-disable-next-line no-control-regex -- the control characters are the point
    if (/[\\%\u0000-\u001f]/.test(s)) {
      expect(products.data).toBeNull();
      expect(
        products.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    } else {
      expect(products).toEqual({ data: { product: null, products: [null] } });
    }
    const created = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: `mutation ($s: String!, $c: ID!) { createCase(input: { subject: $s, description: $s, idempotencyKey: "inj-${HOSTILE.indexOf(s)}-key", contactId: $c }) { case { subject description } userErrors { code } } }`,
        variables: { s, c: stack.emulator.core.world.citizens[0].contactId },
      }),
    });
    const payload = (await created.json()).data.createCase;
    // Stored verbatim, as a literal.
    expect(payload.case).toMatchObject({ subject: s, description: s });
    expect([...stack.emulator.core.sobjects.all('Case')].length).toBe(casesBefore + 1);
  });
});

test('an operationName that is not in the document is a client error, not a masked 500', async () => {
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }', operationName: 'Login' }),
  });
  const body = await res.json();
  expect(body.errors[0]).toMatchObject({
    message: 'Unknown operation named "Login".',
    extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
  });
});

test('a subgraph answers without an ETag (only the gateway reads it, never conditionally)', async () => {
  for (const [name, url] of Object.entries(stack.subgraphUrls)) {
    const signed = gatewayRequest(
      { kind: 'anonymous' },
      name,
      { query: '{ __typename }' },
      { secret: TEST_PRINCIPAL_SECRET },
    );
    const res = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers.get('etag')).toBeNull();
  }
});

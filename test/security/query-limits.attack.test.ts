// Bounded before spent (issue 21, findings 1, 2 and 7): hostile documents are refused with a
// whole 400 answer before Apollo validates, plans or runs them, over POST, GET and with @defer;
// and a request that spends more Salesforce calls than MAX_UPSTREAM_CALLS is stopped at run time
// whatever its estimate said. Bounded work is asserted by counting (the analysis' walk steps in
// gateway/__tests__/operation-limits.test.ts; here the emulator's calls), never by timing.
import request from 'supertest';
import { getIntrospectionQuery, parse } from 'graphql';
import {
  startGateway,
  startStack,
  startSubgraph,
  type RunningGateway,
  type Stack,
} from '../harness.js';
import { agentHeaders, gql, loginAs } from '../client.js';
import { analyzeOperation } from '../../gateway/operation-limits.js';
import { loadGatewayConfig } from '../../gateway/config.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** Finding 1's document: k sibling spreads of the next fragment, n fragments deep. */
function fanOut(k: number, n: number, spread = '') {
  let q = 'query{...F0}';
  for (let i = 0; i < n; i++)
    q += ` fragment F${i} on Query{${Array(k)
      .fill(`...F${i + 1}${spread}`)
      .join(' ')}}`;
  return q + ` fragment F${n} on Query{__typename}`;
}

/** The 400 the selection limit answers, whole, for `query` (its expanded count from the analysis). */
function selectionRefusal(query: string) {
  const found = analyzeOperation(parse(query), { limits: loadGatewayConfig({}).limits }).selections;
  return {
    errors: [
      {
        message: `The operation selects ${found} fields and fragments once its fragments are expanded; the limit is 2000 (MAX_QUERY_SELECTIONS).`,
        extensions: {
          code: 'GRAPHQL_VALIDATION_FAILED',
          limit: 'MAX_QUERY_SELECTIONS',
          max: 2000,
          found,
        },
      },
    ],
  };
}

/** Another gateway over the same subgraphs, for test/client.ts's gql. */
const at = (gatewayUrl: string) => ({ gatewayUrl }) as Stack;

/** No Salesforce call at all: not even a token validation (the callers are anonymous). */
const expectNoUpstreamCall = () => expect(stack.emulator.log.list()).toEqual([]);

describe('finding 1: fragment fan-out', () => {
  test.each([
    [70, 4],
    [200, 4],
  ])('k=%i n=%i over POST is a 400 before any plan', async (k, n) => {
    const query = fanOut(k, n);
    stack.emulator.log.reset();
    const res = await request(stack.gatewayUrl).post('/graphql').send({ query });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(selectionRefusal(query));
    expectNoUpstreamCall();
  });

  test('k=70 n=4 beside a small operation named to run is the same 400', async () => {
    const query = `query Small { __typename } query Big { ...F0 } ${fanOut(70, 4).replace('query{...F0}', '')}`;
    stack.emulator.log.reset();
    const res = await request(stack.gatewayUrl)
      .post('/graphql')
      .send({ query, operationName: 'Small' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(selectionRefusal(query));
    expectNoUpstreamCall();
  });

  test('k=70 n=4 over GET is the same 400', async () => {
    const query = fanOut(70, 4);
    stack.emulator.log.reset();
    const res = await request(stack.gatewayUrl)
      .get('/graphql')
      .query({ query })
      .set('apollo-require-preflight', '1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(selectionRefusal(query));
    expectNoUpstreamCall();
  });
});

describe('finding 2: @defer fan-out with multipart/mixed', () => {
  test.each([35, 70])(
    'k=%i with ...F @defer on every spread is a 400 JSON answer, not a stream',
    async (k) => {
      const query = fanOut(k, 4, ' @defer');
      stack.emulator.log.reset();
      const res = await request(stack.gatewayUrl)
        .post('/graphql')
        .set('accept', 'multipart/mixed;deferSpec=20220824, application/json')
        .send({ query });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(selectionRefusal(query));
      expectNoUpstreamCall();
    },
  );
});

describe('repeated-field floods are refused before validation (issue 24)', () => {
  // 1,500 identical fields: under the token limits (gateway 2000, subgraph 4000), one set that
  // graphql-js's OverlappingFieldsCanBeMerged would compare pairwise (~1.1 million pairs).
  const flood = `{ ${Array(1500).fill('__typename').join(' ')} }`;
  const refusal = (max: number, variable: string) => ({
    errors: [
      {
        message: `One selection set of the operation holds 1500 fields once its fragments are merged into it; the limit is ${max} (${variable}).`,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: variable, max, found: 1500 },
      },
    ],
  });

  test('over POST to the gateway: a 400 naming MAX_QUERY_FIELDS_PER_SET, no Salesforce call', async () => {
    stack.emulator.log.reset();
    const res = await request(stack.gatewayUrl).post('/graphql').send({ query: flood });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refusal(200, 'MAX_QUERY_FIELDS_PER_SET'));
    expectNoUpstreamCall();
  });

  test('through a fragment spread 30 times (50 fields each) over GET: the same count, the same 400', async () => {
    const fifty = Array(50).fill('__typename').join(' ');
    const query = `{ ${Array(30).fill('...F').join(' ')} } fragment F on Query { ${fifty} }`;
    const res = await request(stack.gatewayUrl).get('/graphql').query({ query });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refusal(200, 'MAX_QUERY_FIELDS_PER_SET'));
  });

  test('straight at a subgraph, with a valid principal: a 400 naming SUBGRAPH_MAX_FIELDS_PER_SET; 400 fields pass', async () => {
    await using customer = await startSubgraph('customer', stack.env);
    const agent = { kind: 'agent', clientId: 'agent-console' } as const;
    const res = await customer.gql(agent, flood);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refusal(400, 'SUBGRAPH_MAX_FIELDS_PER_SET'));
    const at = await customer.gql(agent, `{ ${Array(400).fill('__typename').join(' ')} }`);
    expect(at.status).toBe(200);
    expect(at.body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('depth and aliases name their limit', () => {
  test('depth', async () => {
    const res = await request(stack.gatewayUrl).post('/graphql').send({
      query: `{ citizen(id: "x") { segments { members { edges { node { segments { members { edges { node { segments { members { edges { node { id } } } } } } } } } } } } } }`,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The operation nests fields 14 deep; the limit is 12 (MAX_QUERY_DEPTH).',
          extensions: {
            code: 'GRAPHQL_VALIDATION_FAILED',
            limit: 'MAX_QUERY_DEPTH',
            max: 12,
            found: 14,
          },
        },
      ],
    });
  });

  test("introspection is exempt from the depth limit: the tools' own query (ofType 15 deep) answers", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    expect(analyzeOperation(parse(query), { limits: loadGatewayConfig({}).limits }).depth).toBe(1);
    const res = await request(stack.gatewayUrl).post('/graphql').send({ query });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.__schema.queryType.name).toBe('Query');
    expectNoUpstreamCall();
  });

  test('__Type.isOneOf (graphql-js knows it, the query planner does not) is a 400 that says so, not a 500', async () => {
    const res = await request(stack.gatewayUrl)
      .post('/graphql')
      .send({ query: `{ __type(name: "Citizen") { name isOneOf } }` });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('"__Type.isOneOf"'),
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
  });

  test("introspection's own recursion is refused by graphql-js's MaxIntrospectionDepthRule", async () => {
    const res = await request(stack.gatewayUrl).post('/graphql').send({
      query: `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'Maximum introspection depth exceeded',
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
    expectNoUpstreamCall();
  });

  test('a fragment on an introspection type does not hide depth elsewhere', async () => {
    const res = await request(stack.gatewayUrl).post('/graphql').send({
      query: `{ ...T citizen(id: "x") { segments { members { edges { node { segments { members { edges { node { segments { members { edges { node { id } } } } } } } } } } } } } } fragment T on Query { __type(name: "Citizen") { name } }`,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.limit).toBe('MAX_QUERY_DEPTH');
  });

  test('aliases, through a fragment spread twice', async () => {
    const res = await request(stack.gatewayUrl)
      .post('/graphql')
      .send({
        query: `{ ...A ...A } fragment A on Query { ${Array.from({ length: 8 }, (_, i) => `a${i}: product(id: "p") { id }`).join(' ')} }`,
      });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The operation uses 16 aliases; the limit is 15 (MAX_QUERY_ALIASES).',
          extensions: {
            code: 'GRAPHQL_VALIDATION_FAILED',
            limit: 'MAX_QUERY_ALIASES',
            max: 15,
            found: 16,
          },
        },
      ],
    });
  });
});

describe('finding 7: the estimate covers what is spent', () => {
  test('citizen{segments{members(first:100){…cart orders(first:100)}}} as an agent is refused before any Salesforce call', async () => {
    const agent = await agentHeaders(stack);
    const citizen = stack.emulator.core.world.citizens[0];
    stack.emulator.log.reset();
    const res = await gql(
      stack,
      `query ($id: ID!) { citizen(id: $id) { segments { members(first: 100) { edges { node { cart { id } orders(first: 100) { totalCount } } } } } } }`,
      { id: citizen.unifiedId },
      agent,
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message:
            'This query could cost about 3012 Salesforce API calls; the limit is 600. Ask for fewer items.',
          extensions: { code: 'COST_LIMIT_EXCEEDED', estimatedUpstreamCalls: 3012, limit: 600 },
        },
      ],
    });
    expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
  });

  test('14 aliased expiresAt as a citizen are estimated at least the 14 introspections they make', async () => {
    const who = stack.emulator.core.world.citizens[1];
    const asCitizen = await loginAs(stack, who.username, stack.emulator.core.world.citizenPassword);
    const query = `{ viewer { session { ${Array.from({ length: 14 }, (_, i) => `e${i}: expiresAt`).join(' ')} } } }`;
    await using strict = await startGateway(
      { ...stack.env, MAX_UPSTREAM_CALLS: '0' },
      stack.subgraphUrls,
    );
    const refused = await gql(at(strict.url), query, {}, asCitizen);
    const estimate = refused.body.errors?.[0].extensions?.estimatedUpstreamCalls;
    const ran = await gql(stack, query, {}, { ...asCitizen, 'x-upstream-cost': '1' });
    expect(ran.status).toBe(200);
    expect(ran.body.errors).toBeUndefined();
    // What the subgraphs report having called: the introspection per alias (Identity).
    const report = ran.body.extensions?.upstreamCost as Record<string, { calls: number }>;
    const made = Object.values(report).reduce((n, f) => n + f.calls, 0);
    expect(made).toBe(14);
    expect(estimate).toBe(16);
  });
});

describe('the runtime budget: MAX_UPSTREAM_CALLS whatever the estimate said', () => {
  let budgeted: RunningGateway;
  beforeAll(async () => {
    budgeted = await startGateway({ ...stack.env, MAX_UPSTREAM_CALLS: '2' }, stack.subgraphUrls);
  });
  afterAll(() => budgeted?.stop());
  afterEach(() => stack.emulator.faults.reset());

  // Estimated 2 (the citizen, then their cases): within the limit of 2.
  const doc = `query ($id: ID!) { citizen(id: $id) { id cases { totalCount } } }`;
  /** Salesforce calls of the subgraphs (not the gateways' token validations). */
  const subgraphCalls = () =>
    stack.emulator.log
      .list()
      .filter((c) => c.family !== 'identity')
      .map((c) => c.family)
      .sort();

  beforeEach(async () => {
    // Warm both gateways' token caches and the subgraphs' Salesforce tokens (token requests
    // count as calls too).
    const agent = await agentHeaders(stack);
    const id = stack.emulator.core.world.citizens[3].unifiedId;
    expect((await gql(stack, doc, { id }, agent)).body.errors).toBeUndefined();
    await gql(at(budgeted.url), doc, { id }, agent);
  });

  test('within the limit, the whole answer', async () => {
    const agent = await agentHeaders(stack);
    const citizen = stack.emulator.core.world.citizens[3];
    stack.emulator.log.reset();
    const res = await gql(at(budgeted.url), doc, { id: citizen.unifiedId }, agent);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.citizen.cases).toEqual({ totalCount: expect.any(Number) });
    expect(subgraphCalls()).toEqual(['crm', 'datacloud']);
  });

  test('a Data Cloud retry spends the allowance: the cases fetch is not sent, COST_LIMIT_EXCEEDED at its path', async () => {
    const agent = await agentHeaders(stack);
    const citizen = stack.emulator.core.world.citizens[3];
    await request(stack.emulator.app)
      .post('/__emulator/faults')
      .send({ kind: 'status', family: 'datacloud', status: 503, count: 1 })
      .expect(201);
    stack.emulator.log.reset();
    const res = await gql(at(budgeted.url), doc, { id: citizen.unifiedId }, agent);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { citizen: { id: citizen.unifiedId, cases: null } },
      errors: [
        {
          message:
            'This request has made 2 Salesforce API calls; the limit is 2. The rest of it was not fetched.',
          path: ['citizen'],
          extensions: { code: 'COST_LIMIT_EXCEEDED', upstreamCalls: 2, limit: 2 },
        },
      ],
    });
    // The failed attempt and its retry; CRM was never asked.
    expect(subgraphCalls()).toEqual(['datacloud', 'datacloud']);
  });
});

describe('Gateway.analyze: the same limits for the other ways in (WebSocket, SSE, MCP)', () => {
  test('the fan-out and the finding 7 document are refused as over POST', () => {
    const fan = stack.gateway.analyze(parse(fanOut(70, 4)));
    expect(fan.refusal?.extensions?.limit).toBe('MAX_QUERY_SELECTIONS');
    expect(fan.steps).toBe(70 * 4 + 2);
    const costly = stack.gateway.analyze(
      parse(
        `query ($id: ID!) { citizen(id: $id) { segments { members(first: 100) { edges { node { cart { id } orders(first: 100) { totalCount } } } } } } }`,
      ),
      { variables: { id: 'x' } },
    );
    expect(costly.estimate).toBe(3012);
    expect(costly.refusal?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
    const fine = stack.gateway.analyze(parse('{ viewer { session { expiresAt } } }'));
    expect(fine.refusal).toBeUndefined();
    expect(fine).toMatchObject({ estimate: 3, selections: 3, depth: 3 });
  });
});

// Cost per principal (item 8) and what errors tell a client (item 11).
import request from 'supertest';
import { costModelFromSupergraph, estimateUpstreamCalls } from '../../gateway/query-cost.js';
import { buildASTSchema, parse, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { gql as send, startStack, type Stack } from '../harness.js';
import { agentHeaders, gql, loginAs } from '../client.js';
import { SegmentMembersDocument } from '../../gql/graphql.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      UPSTREAM_CALLS_PER_MINUTE_CITIZEN: '40',
      UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: '25',
    },
  });
});
afterAll(() => stack.stop());

const apiSchema = buildASTSchema(
  parse(readFileSync(new URL('../../schema/api-schema.graphql', import.meta.url), 'utf8')),
);
const costs = costModelFromSupergraph(
  readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
);
const estimate = (doc: string, variables: Record<string, unknown> = {}) => {
  const ast = parse(doc);
  return estimateUpstreamCalls(
    apiSchema,
    ast.definitions[0] as OperationDefinitionNode,
    new Map(),
    variables,
    costs,
  );
};

/** A RATE_LIMITED body with its seconds to wait (which vary per run) replaced by `<seconds>`. */
const withoutWait = (body: unknown, seconds: number): unknown =>
  JSON.parse(
    JSON.stringify(body)
      .replace(`in ${seconds} seconds`, 'in <seconds> seconds')
      .replace(`"retryAfterSeconds":${seconds}`, '"retryAfterSeconds":"<seconds>"'),
  );

/**
 * A 429 RATE_LIMITED answer, whole: the seconds to wait depend on when the window started, so
 * they must be the same in the message, the extension and the Retry-After header (1–60), and
 * are normalised before the body is compared.
 */
function expectRateLimited(res: { status: number; headers: Record<string, string>; body: any }) {
  expect(res.status).toBe(429);
  const wait = res.body.errors?.[0]?.extensions?.retryAfterSeconds;
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  expect(res.headers['retry-after']).toBe(String(wait));
  expect(withoutWait(res.body, wait)).toEqual({
    errors: [
      {
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: '<seconds>' },
        message: 'Too many Salesforce calls for this caller; try again in <seconds> seconds.',
      },
    ],
  });
}

describe('8. cost per principal', () => {
  test('the estimate counts products(ids) per 24 ids, and per alias', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `P${i}`);
    expect(estimate(`query ($ids: [ID!]!) { products(ids: $ids) { id name } }`, { ids })).toBe(5);
    expect(
      estimate(
        `query ($ids: [ID!]!) { a: products(ids: $ids) { id } b: products(ids: $ids) { id } }`,
        { ids },
      ),
    ).toBe(10);
    const aliasedCases = `query ($id: ID!) { citizen(id: $id) { ${Array.from({ length: 14 }, (_, i) => `c${i}: cases(first: ${i + 1}) { totalCount }`).join(' ')} } }`;
    expect(estimate(aliasedCases, { id: 'x' })).toBe(15);
  });

  test('a citizen who spends the per-minute allowance gets RATE_LIMITED (429) and Salesforce is not asked', async () => {
    const A = stack.emulator.core.world.citizens[5];
    const asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    const doc = `query ($id: ID!) { citizen(id: $id) { ${Array.from({ length: 14 }, (_, i) => `c${i}: cases(first: ${i + 1}) { totalCount }`).join(' ')} } }`;
    const first = await gql(stack, doc, { id: A.unifiedId }, asA);
    const second = await gql(stack, doc, { id: A.unifiedId }, asA);
    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    stack.emulator.log.reset();
    const third = await request(stack.gatewayUrl)
      .post('/graphql')
      .set(asA)
      .send({ query: doc, variables: { id: A.unifiedId } });
    expectRateLimited(third);
    expect(stack.emulator.log.list().filter((e) => e.family !== 'identity')).toEqual([]);
    // Another citizen has an allowance of their own.
    const B = stack.emulator.core.world.citizens[6];
    const asB = await loginAs(stack, B.username, stack.emulator.core.world.citizenPassword);
    expect((await gql(stack, doc, { id: B.unifiedId }, asB)).status).toBe(200);
  });

  test('an anonymous caller cannot page the catalogue into SCAPI without bound', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `P${i}`);
    const doc = `query ($ids: [ID!]!) { a: products(ids: $ids) { id } b: products(ids: $ids) { id } c: products(ids: $ids) { id } }`;
    const r = await request(stack.gatewayUrl)
      .post('/graphql')
      .set('x-forwarded-for', '1.1.1.1')
      .send({ query: doc, variables: { ids } });
    // After the two sign-ins above (3 estimated calls each, same address), 15 estimated calls fit
    // an allowance of 25 (21); the second 15 (36) are refused.
    expect(r.status).toBe(200);
    const again = await request(stack.gatewayUrl)
      .post('/graphql')
      .send({ query: doc, variables: { ids } });
    expectRateLimited(again);
  });

  test('an operation estimated above MAX_UPSTREAM_CALLS is a 400 COST_LIMIT_EXCEEDED with its estimate, before any Salesforce call', async () => {
    const agent = await agentHeaders(stack);
    stack.emulator.log.reset();
    // The canonical segment page at 1000 members: a cart and an orders call (SCAPI) per member.
    const { status, body } = await send(stack, agent, SegmentMembersDocument, {
      apiName: 'High_Engagement',
      first: 1000,
    });
    expect(status).toBe(400);
    expect(body).toMatchInlineSnapshot(`
     {
       "errors": [
         {
           "extensions": {
             "code": "COST_LIMIT_EXCEEDED",
             "estimatedUpstreamCalls": 2045,
             "limit": 600,
           },
           "message": "This query could cost about 2045 Salesforce API calls; the limit is 600. Ask for fewer items.",
         },
       ],
     }
    `);
    expect(stack.emulator.log.list().filter((c) => c.family !== 'identity')).toEqual([]);
  });
});

describe('11. errors', () => {
  test('the token limit is a 400 like the other limits, not a 500', async () => {
    const big = `{ ${Array.from({ length: 1200 }, (_, i) => `a${i % 10}: __typename`).join(' ')} }`;
    const { status, body } = await gql(stack, big);
    expect(status).toBe(400);
    expect(body).toEqual({
      errors: [
        {
          message: 'The document has more than 2000 tokens; the limit is 2000 (MAX_QUERY_TOKENS).',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_QUERY_TOKENS', max: 2000 },
        },
      ],
    });
  });

  test('which subgraph and which Salesforce family failed is told only to a client asking for cost', async () => {
    const agent = await agentHeaders(stack);
    const B = stack.emulator.core.world.citizens[9];
    const doc = `query ($id: ID!) { citizen(id: $id) { id cart { id } } }`;
    await request(stack.emulator.app)
      .post('/__emulator/faults')
      .send({ kind: 'status', family: 'scapi', status: 503, count: 1000 })
      .expect(201);
    try {
      const plain = await gql(stack, doc, { id: B.unifiedId }, agent);
      expect(plain.status).toBe(200);
      // The citizen's id varies per world: normalised.
      expect(plain.body.data?.citizen?.id).toBe(B.unifiedId);
      plain.body.data.citizen.id = '<unifiedId>';
      expect(plain.body).toMatchInlineSnapshot(`
       {
         "data": {
           "citizen": {
             "cart": null,
             "id": "<unifiedId>",
           },
         },
         "errors": [
           {
             "extensions": {
               "code": "UPSTREAM_UNAVAILABLE",
             },
             "message": "A Salesforce service is unavailable.",
             "path": [
               "citizen",
               "cart",
             ],
           },
         ],
       }
      `);
      const asked = await gql(
        stack,
        doc,
        { id: B.unifiedId },
        { ...agent, 'x-upstream-cost': '1' },
      );
      expect(asked.status).toBe(200);
      asked.body.data.citizen.id = '<unifiedId>';
      // The cost report's timings vary per run: the calls are kept, the milliseconds masked.
      for (const family of Object.values(asked.body.extensions?.upstreamCost ?? {}) as Array<{
        ms: unknown;
      }>)
        family.ms = '<ms>';
      expect(asked.body).toMatchInlineSnapshot(`
       {
         "data": {
           "citizen": {
             "cart": null,
             "id": "<unifiedId>",
           },
         },
         "errors": [
           {
             "extensions": {
               "code": "UPSTREAM_UNAVAILABLE",
               "serviceName": "commerce",
               "upstream": "scapi",
             },
             "message": "A Salesforce service is unavailable.",
             "path": [
               "citizen",
               "cart",
             ],
           },
         ],
         "extensions": {
           "upstreamCost": {
             "datacloud": {
               "calls": 1,
               "ms": "<ms>",
             },
             "scapi": {
               "calls": 3,
               "ms": "<ms>",
             },
           },
         },
       }
      `);
    } finally {
      stack.emulator.faults.reset();
    }
  });
});

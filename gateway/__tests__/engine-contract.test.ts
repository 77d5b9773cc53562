// The contract of the federation engine (gateway/engine.ts, the one seam around @apollo/gateway):
// what the gateway — @defer above all (gateway/defer/) — relies on of the pinned 2.14.4, checked
// on a two-subgraph supergraph without any network. An engine upgrade that changes any of it
// fails here first.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { operationFromDocument } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import {
  ApolloGateway,
  ENGINE_VERSION,
  buildOperationContext,
  executeQueryPlan,
  gatewayInternals,
  hydratedPaths,
  installedEngineVersion,
  missingInternals,
  shapeResponse,
  type ServiceMap,
} from '../engine.js';
import { REPOSITORY_ROOT } from '../../lib/graphql/subgraph-sdl.js';

const PEOPLE = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { people: [Person!]! }
  type Person @key(fields: "id") { id: ID! name: String! }
`);
const AGES = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Person @key(fields: "id") { id: ID! age: Int! }
`);

function supergraphSdl(): string {
  const composed = composeServices([
    { name: 'people', url: 'http://127.0.0.1:9/people', typeDefs: PEOPLE },
    { name: 'ages', url: 'http://127.0.0.1:9/ages', typeDefs: AGES },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
}

/** Fake subgraphs answering in process; `calls` records each fetch's service and variables. */
function services(calls: Array<{ service: string; variables: Record<string, unknown> }>) {
  const map: ServiceMap = {
    people: {
      process: async ({ request }) => {
        calls.push({ service: 'people', variables: request.variables ?? {} });
        return {
          data: {
            people: [
              // The subgraph operation keeps the client's alias (`n: name`).
              { __typename: 'Person', id: '1', n: 'Ada' },
              { __typename: 'Person', id: '2', n: 'Alan' },
            ],
          },
        };
      },
    },
    ages: {
      process: async ({ request }) => {
        calls.push({ service: 'ages', variables: request.variables ?? {} });
        const reps = (request.variables?.representations ?? []) as Array<{ id: string }>;
        return { data: { _entities: reps.map((r) => ({ age: Number(r.id) * 10 })) } };
      },
    },
  };
  return map;
}

// The engine's usage exporter would open connections (gateway/server.ts turns it off the same way).
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

let gateway: ApolloGateway;
beforeAll(async () => {
  gateway = new ApolloGateway({ supergraphSdl: supergraphSdl() });
  await gateway.load();
});
afterAll(() => gateway.stop());

const QUERY = parse('query Q { people { n: name age } }');

test('the engine is the pinned version, and package.json pins it exactly', () => {
  expect(installedEngineVersion()).toBe(ENGINE_VERSION);
  const pkg = JSON.parse(readFileSync(`${REPOSITORY_ROOT}package.json`, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(pkg.dependencies['@apollo/gateway']).toBe(ENGINE_VERSION);
});

test('a loaded gateway has the private state @defer reads, and a missing member is named', () => {
  expect(missingInternals(gateway as unknown as Record<string, unknown>)).toEqual([]);
  const gw = gatewayInternals(gateway);
  expect(Object.keys(gw.serviceMap).sort()).toEqual(['ages', 'people']);
  expect(typeof gw.serviceMap.people.dataSource.process).toBe('function');
  expect(gw.schema?.getQueryType()?.getFields().people).toBeDefined();
  expect(gw.supergraphSchema.getType('join__Graph')).toBeDefined();
  const rest = Object.assign(Object.create(Object.getPrototypeOf(gateway)), gateway, {
    queryPlanner: undefined,
  }) as Record<string, unknown>;
  expect(missingInternals(rest)).toEqual(['queryPlanner.buildQueryPlan']);
  expect(() => gatewayInternals(rest as never)).toThrow(/queryPlanner\.buildQueryPlan/);
});

test('the planner plans an entity join as Sequence [Fetch, Flatten(@) Fetch with requires]', () => {
  const gw = gatewayInternals(gateway);
  const plan = gw.queryPlanner.buildQueryPlan(
    operationFromDocument(gw.apiSchema, QUERY, { operationName: 'Q' }),
  );
  const node = plan.node as PlanNode & { nodes: PlanNode[] };
  expect(node.kind).toBe('Sequence');
  const [first, second] = node.nodes as [FetchNode, PlanNode & { path: string[]; node: FetchNode }];
  expect(first).toMatchObject({ kind: 'Fetch', serviceName: 'people' });
  expect(first.requires).toBeUndefined();
  expect(second).toMatchObject({ kind: 'Flatten', path: ['people', '@'] });
  expect(second.node).toMatchObject({ kind: 'Fetch', serviceName: 'ages' });
  expect(second.node.requires).toBeDefined();
  expect(second.node.operation).toContain('_entities');
});

describe('executeQueryPlan', () => {
  async function run(plan: QueryPlan, map: ServiceMap) {
    const gw = gatewayInternals(gateway);
    const requestContext = {
      request: { query: 'query Q { people { n: name age } }', operationName: 'Q', variables: {} },
      document: QUERY,
      queryHash: 'h',
      context: {},
      metrics: {},
      overallCachePolicy: {},
      cache: undefined,
      logger: console,
      schema: gw.schema,
    };
    const operationContext = buildOperationContext({
      schema: gw.schema!,
      operationDocument: QUERY,
      operationName: 'Q',
    });
    return executeQueryPlan(
      plan,
      map,
      requestContext as never,
      operationContext,
      gw.supergraphSchema,
      gw.apiSchema,
    );
  }

  const planOf = () => {
    const gw = gatewayInternals(gateway);
    return gw.queryPlanner.buildQueryPlan(
      operationFromDocument(gw.apiSchema, QUERY, { operationName: 'Q' }),
    );
  };

  test('joins the entities and shapes the response (alias, order, no __typename)', async () => {
    const calls: Array<{ service: string; variables: Record<string, unknown> }> = [];
    const result = await run(planOf(), services(calls));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      people: [
        { n: 'Ada', age: 10 },
        { n: 'Alan', age: 20 },
      ],
    });
    expect(calls.map((c) => c.service)).toEqual(['people', 'ages']);
    expect(calls[1].variables.representations).toEqual([
      { __typename: 'Person', id: '1' },
      { __typename: 'Person', id: '2' },
    ]);
  });

  test('fetches go to any service name of the map, and requires hand the live result objects', async () => {
    // What deferred-execution.ts builds: a seed fetch, each fetch renamed to a watcher, and probes
    // whose `requires` pick a root field of the result by reference.
    const plan = planOf();
    const [first, second] = (plan.node as PlanNode & { nodes: PlanNode[] }).nodes as [
      FetchNode,
      PlanNode & { node: FetchNode },
    ];
    const probe = (operationName: string, requires?: FetchNode['requires']) =>
      ({
        kind: 'Fetch',
        serviceName: '\u0000probe',
        operation: '{__typename}',
        operationName,
        operationKind: 'query',
        variableUsages: [],
        requires,
      }) as unknown as FetchNode;
    const field = (name: string) => ({ kind: 'Field', name }) as const;
    const calls: Array<{ service: string; variables: Record<string, unknown> }> = [];
    const real = services(calls);
    let captured: unknown;
    const order: string[] = [];
    const map: ServiceMap = {
      '\u0000probe': {
        process: async ({ request }) => {
          order.push(request.operationName!);
          if (request.operationName === 'seed') return { data: { __typename: 'Query' } };
          const rep = (request.variables?.representations as Array<Record<string, unknown>>)[0];
          captured = rep.people;
          return { data: { _entities: [{}] } };
        },
      },
      'people\u00000': {
        process: async (o) => {
          order.push('people');
          return real.people.process(o);
        },
      },
      'ages\u00001': {
        process: async (o) => {
          order.push('ages');
          return real.ages.process(o);
        },
      },
    };
    const instrumented: QueryPlan = {
      ...plan,
      node: {
        kind: 'Sequence',
        nodes: [
          probe('seed'),
          { ...first, serviceName: 'people\u00000' },
          probe('capture', [field('__typename'), field('people')] as never),
          { ...second, node: { ...second.node, serviceName: 'ages\u00001' } } as PlanNode,
        ],
      },
    };
    const result = await run(instrumented, map);
    expect(order).toEqual(['seed', 'people', 'capture', 'ages']);
    expect(result.data).toEqual({
      people: [
        { n: 'Ada', age: 10 },
        { n: 'Alan', age: 20 },
      ],
    });
    // Captured before the ages fetch ran, yet holding its ages: the live tree, by reference.
    expect(captured).toEqual([
      { __typename: 'Person', id: '1', n: 'Ada', age: 10 },
      { __typename: 'Person', id: '2', n: 'Alan', age: 20 },
    ]);
  });
});

test('hydratedPaths: the concrete paths of a Flatten, lists fanned out in order, nulls skipped', () => {
  const data = {
    people: [{ orders: [{ id: 'a' }, { id: 'b' }] }, { orders: null }, { orders: [{ id: 'c' }] }],
  };
  expect(hydratedPaths(['people', '@'], data)).toEqual([
    ['people', 0],
    ['people', 1],
    ['people', 2],
  ]);
  expect(hydratedPaths(['people', '@', 'orders', '@'], data)).toEqual([
    ['people', 0, 'orders', 0],
    ['people', 0, 'orders', 1],
    ['people', 2, 'orders', 0],
  ]);
});

test('shapeResponse: selections only, in the operation order, aliases applied, fragments merged', () => {
  const gw = gatewayInternals(gateway);
  const op = operationFromDocument(
    gw.apiSchema,
    parse('{ people { age ... on Person { n: name } } }'),
    { validate: false },
  );
  const input = {
    __typename: 'Query',
    people: [{ __typename: 'Person', id: '1', n: 'Ada', age: 10, extra: true }],
  };
  const data = shapeResponse(op, {}, input);
  expect(data).toEqual({ people: [{ age: 10, n: 'Ada' }] });
  expect(Object.keys((data!.people as object[])[0])).toEqual(['age', 'n']);
});

test("the gateway's executor caches a named operation's plan under sha256(queryHash + name)", async () => {
  // deferring-gateway.ts looks the plan up under the same key, so both paths share one plan.
  const fresh = new ApolloGateway({
    supergraphSdl: supergraphSdl(),
    buildService: ({ name }) => services([])[name!],
  });
  const { executor } = await fresh.load();
  const freshInternals = gatewayInternals(fresh);
  const queryHash = createHash('sha256').update('q').digest('hex');
  const result = await executor!({
    request: { query: 'query Q { people { n: name age } }', operationName: 'Q', variables: {} },
    document: QUERY,
    queryHash,
    operationName: 'Q',
    operation: QUERY.definitions[0],
    context: {},
    metrics: {},
    overallCachePolicy: { restrict() {}, replace() {}, policyIfCacheable: () => null },
    cache: undefined,
    logger: console,
    schema: freshInternals.schema,
    source: 'query Q { people { n: name age } }',
  } as never);
  expect(result.data).toEqual({
    people: [
      { n: 'Ada', age: 10 },
      { n: 'Alan', age: 20 },
    ],
  });
  const key = createHash('sha256').update(queryHash).update('Q').digest('hex');
  expect(await freshInternals.queryPlanStore.get(key)).toBeDefined();
  expect(await freshInternals.queryPlanStore.get(queryHash)).toBeUndefined();
  await fresh.stop();
});

test("validateIncomingRequest checks the request's variables against the operation", () => {
  const gw = gatewayInternals(gateway);
  const document = parse('query V($n: Int!) { people { n: name } }');
  const operationContext = buildOperationContext({
    schema: gw.schema!,
    operationDocument: document,
    operationName: 'V',
  });
  const check = (variables: Record<string, unknown>) =>
    gw
      .validateIncomingRequest(
        { request: { query: '', operationName: 'V', variables } } as never,
        operationContext,
      )
      .map((e) => e.message);
  expect(check({ n: 1 })).toEqual([]);
  expect(check({})).toEqual(['Variable "$n" of required type "Int!" was not provided.']);
  expect(check({ n: 'x' })).toHaveLength(1);
});

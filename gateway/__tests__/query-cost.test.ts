// The upstream-call estimate, against the real API schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { estimateUpstreamCalls, fieldCostsFromSupergraph } from '../query-cost.js';

const schema = buildSchema(
  readFileSync(join(__dirname, '../../schema/api-schema.graphql'), 'utf8'),
);
const costs = fieldCostsFromSupergraph(
  readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
);
const estimate = (query: string, variables: Record<string, unknown> = {}) => {
  const doc = parse(query);
  const op = doc.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d) => d.kind === 'FragmentDefinition')
      .map((d: any) => [d.name.value, d]),
  );
  return estimateUpstreamCalls(schema, op, fragments, variables, costs);
};

test('a single citizen costs a handful of calls', () => {
  expect(
    estimate('{ citizen(id: "x") { id cases { totalCount } cart { id } orders { totalCount } } }'),
  ).toBeLessThan(10);
});

test('per-customer fields grow with the page size; batched ones do not', () => {
  const q = (first: number) =>
    `{ segment(apiName: "s") { members(first: ${first}) { edges { node { cart { id } cases { totalCount } } } } } }`;
  const small = estimate(q(10));
  const large = estimate(q(100));
  // One cart call per extra member, plus a few more batches for the cases.
  expect(large - small).toBeGreaterThanOrEqual(90);
  expect(large - small).toBeLessThan(100);
  const onlyCases = (first: number) =>
    `{ segment(apiName: "s") { members(first: ${first}) { edges { node { cases { totalCount } } } } } }`;
  expect(estimate(onlyCases(100))).toBeLessThan(15);
});

test('variables and fragments are followed', () => {
  const q = `query ($n: Int!) { segment(apiName: "s") { members(first: $n) { edges { node { ...F } } } } } fragment F on Citizen { orders { totalCount } }`;
  expect(estimate(q, { n: 50 })).toBeGreaterThanOrEqual(50);
});

test('nested lists multiply', () => {
  const q = `{ segment(apiName: "s") { members(first: 100) { edges { node { cases(first: 100) { edges { node { comments { id } } } } } } } } }`;
  expect(estimate(q)).toBeGreaterThan(400);
});

test('per-entity costs come from the subgraphs’ @cost directives in the supergraph', () => {
  expect(Object.fromEntries(costs)).toEqual({ 'Citizen.cart': 1, 'Citizen.orders': 1 });
  // A field a subgraph declares costly is charged per parent without any gateway change.
  const declared = fieldCostsFromSupergraph(`
    type Query { citizen(id: ID!): Citizen }
    type Citizen { id: ID! cases: CaseConnection @cost(weight: 3) }
    type CaseConnection { totalCount: Int }`);
  expect(Object.fromEntries(declared)).toEqual({ 'Citizen.cases': 3 });
  const op = parse(
    '{ segment(apiName: "s") { members(first: 10) { edges { node { cases { totalCount } } } } } }',
  ).definitions[0] as OperationDefinitionNode;
  const withDeclared = estimateUpstreamCalls(schema, op, {}, {}, declared);
  const withSupergraph = estimateUpstreamCalls(schema, op, {}, {}, costs);
  expect(withDeclared - withSupergraph).toBe(3 * 10 - 1);
});

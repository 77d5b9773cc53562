// The upstream-call estimate, against the real API schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, type OperationDefinitionNode } from 'graphql';
import { estimateUpstreamCalls, fieldCostsFromSupergraph } from '../query-cost.js';
import * as canonical from '../../gql/graphql.js';

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

test('a single citizen: one batched call per subgraph field, one per per-entity field', () => {
  // citizen 1 + cases 1 (batched) + cart 1 and orders 1 (@cost(weight: 1) each).
  expect(
    estimate('{ citizen(id: "x") { id cases { totalCount } cart { id } orders { totalCount } } }'),
  ).toBe(4);
});

test('per-customer fields grow with the page size; batched ones do not', () => {
  const q = (first: number) =>
    `{ segment(apiName: "s") { members(first: ${first}) { edges { node { cart { id } cases { totalCount } } } } } }`;
  // segment 1 + members 1 + a cart call per member + one cases batch per 24 members.
  expect(estimate(q(10))).toBe(13);
  expect(estimate(q(100))).toBe(107);
  const onlyCases = (first: number) =>
    `{ segment(apiName: "s") { members(first: ${first}) { edges { node { cases { totalCount } } } } } }`;
  expect(estimate(onlyCases(100))).toBe(7);
});

test('variables and fragments are followed', () => {
  const q = `query ($n: Int!) { segment(apiName: "s") { members(first: $n) { edges { node { ...F } } } } } fragment F on Citizen { orders { totalCount } }`;
  expect(estimate(q, { n: 50 })).toBe(52);
});

test('nested lists multiply', () => {
  const q = `{ segment(apiName: "s") { members(first: 100) { edges { node { cases(first: 100) { edges { node { comments { id } } } } } } } } }`;
  // segment 1 + members 1 + cases ceil(100 / 24) = 5 + the comments of 100 × 100 cases,
  // ceil(10 000 / 24) = 417.
  expect(estimate(q)).toBe(424);
});

test('per-entity costs come from the subgraphs’ @cost directives in the supergraph', () => {
  expect(Object.fromEntries(costs)).toEqual({
    'Citizen.cart': 1,
    'Citizen.orders': 1,
    // Mutations: the calls their resolvers make (commerce, case and session SDLs).
    'Mutation.login': 2,
    'Mutation.completeRegistration': 2,
    'Mutation.logout': 2,
    'Mutation.addCartItem': 3,
    'Mutation.updateCartItem': 2,
    'Mutation.removeCartItem': 2,
    'Mutation.checkout': 9,
    'Mutation.addCaseComment': 2,
  });
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

test('each canonical operation (gql/) has an exact estimate: test/cost/estimate-vs-measured.test.ts checks them against the calls made', () => {
  const of = (doc: unknown, variables: Record<string, unknown>) =>
    estimate(print(doc as Parameters<typeof print>[0]), variables);
  const id = { id: 'x' };
  expect({
    CitizenProfile: of(canonical.CitizenProfileDocument, id),
    CitizenProfileDeferred: of(canonical.CitizenProfileDeferredDocument, id),
    CaseWithCitizen: of(canonical.CaseWithCitizenDocument, id),
    'SegmentMembers(first: 10)': of(canonical.SegmentMembersDocument, { apiName: 's', first: 10 }),
    'SegmentMembers(first: 100)': of(canonical.SegmentMembersDocument, {
      apiName: 's',
      first: 100,
    }),
    Viewer: of(canonical.ViewerDocument, {}),
    'Products(2 ids)': of(canonical.ProductsDocument, { ids: ['a', 'b'] }),
    Login: of(canonical.LoginDocument, { username: 'u', password: 'p' }),
    CreateCase: of(canonical.CreateCaseDocument, { input: {} }),
    AddCaseComment: of(canonical.AddCaseCommentDocument, { input: {} }),
    AddCartItem: of(canonical.AddCartItemDocument, { input: {} }),
    Checkout: of(canonical.CheckoutDocument, { input: {} }),
    // Over WebSocket/SSE only (no HTTP POST): charged per subscribe, estimated here.
    CaseUpdated: of(canonical.CaseUpdatedDocument, {}),
  }).toMatchInlineSnapshot(`
   {
     "AddCartItem": 6,
     "AddCaseComment": 3,
     "CaseUpdated": 3,
     "CaseWithCitizen": 3,
     "Checkout": 12,
     "CitizenProfile": 7,
     "CitizenProfileDeferred": 4,
     "CreateCase": 2,
     "Login": 3,
     "Products(2 ids)": 1,
     "SegmentMembers(first: 10)": 23,
     "SegmentMembers(first: 100)": 207,
     "Viewer": 4,
   }
  `);
});

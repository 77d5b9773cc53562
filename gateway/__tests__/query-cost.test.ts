// The upstream-call estimate, against the real API schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, print, type OperationDefinitionNode } from 'graphql';
import {
  costModelFromSupergraph,
  estimateUpstreamCalls,
  fieldCostsFromSupergraph,
} from '../query-cost.js';
import { fragmentsOf } from '../operation-limits.js';
import * as canonical from '../../gql/graphql.js';

const schema = buildSchema(
  readFileSync(join(__dirname, '../../schema/api-schema.graphql'), 'utf8'),
);
const supergraph = readFileSync(join(__dirname, '../../schema/supergraph.graphql'), 'utf8');
const costs = fieldCostsFromSupergraph(supergraph);
const model = costModelFromSupergraph(supergraph);
const estimate = (query: string, variables: Record<string, unknown> = {}) => {
  const doc = parse(query);
  const op = doc.definitions.find(
    (d) => d.kind === 'OperationDefinition',
  ) as OperationDefinitionNode;
  return estimateUpstreamCalls(schema, op, fragmentsOf(doc), variables, model);
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
  // segment 1 + members 1 + a cart call per member + one cases batch per 24 members, a batch
  // charged (m + 23) / 24 and the sum rounded up once (so a fragment's cost is linear: see Affine).
  expect(estimate(q(10))).toBe(14);
  expect(estimate(q(100))).toBe(108);
  const onlyCases = (first: number) =>
    `{ segment(apiName: "s") { members(first: ${first}) { edges { node { cases { totalCount } } } } } }`;
  expect(estimate(onlyCases(100))).toBe(8);
});

test('variables and fragments are followed', () => {
  const q = `query ($n: Int!) { segment(apiName: "s") { members(first: $n) { edges { node { ...F } } } } } fragment F on Citizen { orders { totalCount } }`;
  expect(estimate(q, { n: 50 })).toBe(52);
});

test('nested lists multiply', () => {
  const q = `{ segment(apiName: "s") { members(first: 100) { edges { node { cases(first: 100) { edges { node { comments { id } } } } } } } } }`;
  // segment 1 + members 1 + cases (100 + 23) / 24 + the comments of 100 × 100 cases,
  // (10 000 + 23) / 24: 424.6, rounded up.
  expect(estimate(q)).toBe(425);
});

test('per-entity costs come from the subgraphs’ @cost directives in the supergraph', () => {
  expect(Object.fromEntries(costs)).toEqual({
    'Citizen.cart': 1,
    'Citizen.orders': 1,
    'Segment.members': 1,
    'Session.expiresAt': 1,
    // A product search is one SCAPI call (shopper-search) each time it is selected.
    'Query.productSearch': 1,
    'IdentityAccount.emailVerified': 1,
    // Mutations: the calls their resolvers make (commerce, case and session SDLs).
    'Mutation.login': 2,
    'Mutation.completeRegistration': 2,
    'Mutation.logout': 2,
    'Mutation.addCartItem': 3,
    'Mutation.updateCartItem': 2,
    'Mutation.removeCartItem': 2,
    'Mutation.checkout': 10,
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
  const none = new Map();
  const withDeclared = estimateUpstreamCalls(schema, op, none, {}, { ...model, weights: declared });
  const withSupergraph = estimateUpstreamCalls(schema, op, none, {}, model);
  // 3 per member (30) instead of one batch ((10 + 23) / 24), each total rounded up once: 32 − 4.
  expect(withDeclared - withSupergraph).toBe(28);
});

describe('what the estimate counts (it must never be below the calls made)', () => {
  test('a null `first` is the field’s default page, as the resolver reads it', () => {
    const q = `query ($n: Int) { segment(apiName: "s") { members(first: $n) { edges { node { cart { id } } } } } }`;
    // members' default page is 20: 20 cart calls, as for an absent `first`.
    const absent = estimate(
      `{ segment(apiName: "s") { members { edges { node { cart { id } } } } } }`,
    );
    expect(estimate(q, { n: null })).toBe(absent);
    expect(estimate(q, {})).toBe(absent);
    expect(absent).toBe(22);
  });

  test('an unbounded list counts its @listSize(assumedSize:) per parent (segments: 10)', () => {
    const q = `query ($id: ID!) { citizen(id: $id) { segments { members(first: 5) { totalCount } } } }`;
    // citizen 1 + segments 1 + a Segment Members call for each of 10 assumed segments.
    expect(estimate(q, { id: 'x' })).toBe(12);
  });

  test('a slice larger than the upstream page costs a call per page (@upstreamPageSize)', () => {
    const orders = (first: number | null) =>
      estimate(`query ($n: Int) { citizen(id: "x") { orders(first: $n) { totalCount } } }`, {
        n: first,
      });
    expect(orders(50)).toBe(2);
    expect(orders(51)).toBe(3);
    expect(orders(100)).toBe(3);
    expect(orders(null)).toBe(2);
  });

  test('a scalar whose resolver calls upstream is charged each time it is selected', () => {
    const aliases = Array.from({ length: 14 }, (_, i) => `e${i}: expiresAt`).join(' ');
    // viewer 1 + session 1 + one introspection per alias.
    expect(estimate(`{ viewer { session { ${aliases} } } }`)).toBe(16);
  });

  test('finding 7: segments × members × (cart + two pages of orders) is far above 600', () => {
    const q = `query ($id: ID!) { citizen(id: $id) { segments { members(first: 100) { edges { node { cart { id } orders(first: 100) { totalCount } } } } } } }`;
    // 10 segments × (1 members + 100 carts + 100 × 2 order pages) + citizen + segments.
    expect(estimate(q, { id: 'x' })).toBe(3012);
  });
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
     "Checkout": 13,
     "CitizenProfile": 7,
     "CitizenProfileDeferred": 4,
     "CreateCase": 2,
     "Login": 3,
     "Products(2 ids)": 1,
     "SegmentMembers(first: 10)": 24,
     "SegmentMembers(first: 100)": 208,
     "Viewer": 5,
   }
  `);
});

describe('the parts of the walk', () => {
  const ids = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `p${i}`));
  test('a list of ids is one batched call per 24 ids, whatever else the field takes', () => {
    expect(estimate(`{ products(ids: ${ids(1)}) { id } }`)).toBe(1);
    expect(estimate(`{ products(ids: ${ids(24)}) { id name } }`)).toBe(1);
    expect(estimate(`{ products(ids: ${ids(25)}) { id } }`)).toBe(2);
    expect(
      estimate(`query ($ids: [ID!]!) { products(ids: $ids) { id } }`, { ids: JSON.parse(ids(49)) }),
    ).toBe(3);
  });

  test('inline fragments, with or without a type condition, cost what their fields cost', () => {
    const plain = estimate('{ citizen(id: "x") { cart { id } orders { totalCount } } }');
    expect(plain).toBe(3);
    expect(
      estimate(
        '{ ... on Query { citizen(id: "x") { ... { cart { id } } ... on Citizen { orders { totalCount } } } } }',
      ),
    ).toBe(plain);
  });

  test('a fragment spread twice is charged twice; an unknown or cyclic fragment adds nothing', () => {
    const once = estimate('{ citizen(id: "x") { ...F } } fragment F on Citizen { cart { id } }');
    expect(once).toBe(2);
    expect(
      estimate(
        '{ citizen(id: "x") { ...F } citizen2: citizen(id: "y") { ...F } } fragment F on Citizen { cart { id } }',
      ),
    ).toBe(4);
    expect(estimate('{ citizen(id: "x") { ...Missing } }')).toBe(1);
    expect(
      estimate(
        '{ citizen(id: "x") { ...A } } fragment A on Citizen { cart { id } ...B } fragment B on Citizen { ...A }',
      ),
    ).toBe(2);
  });

  test('an unknown field or argument costs nothing (validation refuses it after)', () => {
    expect(estimate('{ citizen(id: "x") { noSuchField { id } } }')).toBe(1);
    expect(estimate('{ citizen(id: "x", nope: 3) { id } }')).toBe(1);
  });
});

test('@cost and @listSize are read from object types, their extensions and interfaces', () => {
  const model = costModelFromSupergraph(`
    type Query { a: A }
    type A { x: Int @cost(weight: 2) }
    extend type A { y: [Int] @cost(weight: 3) @listSize(assumedSize: 7) }
    interface I { z: Int @cost(weight: 4) }
    input In { ignored: Int }
    enum E { V }`);
  expect(Object.fromEntries(model.weights)).toEqual({ 'A.x': 2, 'A.y': 3, 'I.z': 4 });
  expect(model.listSizes.get('A.y')?.assumedSize).toBe(7);
  expect(model.listSizes.get('A.x')).toBeUndefined();
});

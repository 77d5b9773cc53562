// The mixed-key matrix: citizen A (and an agent) send `_entities` representations straight to
// each subgraph, with every combination of A's and B's keys. A subgraph resolves a
// representation by one key and must authorise the same record it loaded: whatever the mix,
// A gets A's data or nothing, never B's; the customer subgraph, which knows every key, answers
// nothing unless all the keys name one citizen.
import request from 'supertest';
import type { Principal } from '../../lib/principal.js';
import { sendAsGateway } from '../support/principals.js';
import { startStack, TEST_PRINCIPAL_SECRET, type Stack } from '../harness.js';
import { agentHeaders, gql, loginAs } from '../client.js';
import { citizenPrincipal } from '../support/principals.js';

type World = Stack['emulator']['core']['world'];
type Person = World['citizens'][number];
type Owner = 'A' | 'B';

let stack: Stack;
let A: Person;
let B: Person;

beforeAll(async () => {
  stack = await startStack();
  const { world, sobjects } = stack.emulator.core;
  // Both have cases, so a leak of B's would show and A's own are really returned.
  const withCases = world.citizens.filter(
    (c) => c.commerceCustomerId && sobjects.findBy('Case', 'ContactId', c.contactId).length > 0,
  );
  [A, B] = [withCases[0], withCases[1]];
});
afterAll(() => stack.stop());

const AGENT: Principal = { kind: 'agent', clientId: 'matrix-agent' };

const person = (o: Owner) => (o === 'A' ? A : B);
const keyValue: Record<string, (c: Person) => string> = {
  id: (c) => c.unifiedId,
  contactId: (c) => c.contactId,
  commerceCustomerId: (c) => c.commerceCustomerId!,
  commerceLogin: (c) => c.email,
};

/** Every assignment of an owner to each key, for every non-empty subset of `optional` added to `required`. */
function combinations(required: string[], optional: string[]): Array<Record<string, Owner>> {
  const out: Array<Record<string, Owner>> = [];
  for (let mask = required.length ? 0 : 1; mask < 1 << optional.length; mask++) {
    const keys = [...required, ...optional.filter((_, i) => mask & (1 << i))];
    for (let owners = 0; owners < 1 << keys.length; owners++)
      out.push(
        Object.fromEntries(keys.map((k, i) => [k, owners & (1 << i) ? 'B' : 'A'])) as Record<
          string,
          Owner
        >,
      );
  }
  return out;
}

const label = (combo: Record<string, Owner>) =>
  Object.entries(combo)
    .map(([k, o]) => `${k}:${o}`)
    .join(' ');

async function entities(
  subgraph: string,
  selection: string,
  combo: Record<string, Owner>,
  principal: Principal,
) {
  const representation: Record<string, string> = { __typename: 'Citizen' };
  for (const [k, o] of Object.entries(combo)) representation[k] = keyValue[k](person(o));
  const res = await sendAsGateway(
    request(stack.subgraphUrls[subgraph]).post(''),
    principal,
    subgraph,
    {
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { ${selection} } } }`,
      variables: { r: [representation] },
    },
    { secret: TEST_PRINCIPAL_SECRET },
  );
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data._entities[0];
}

const allOf = (combo: Record<string, Owner>, o: Owner) =>
  Object.values(combo).every((v) => v === o);

describe('customer subgraph: id, contactId, commerceCustomerId', () => {
  const combos = combinations([], ['id', 'contactId', 'commerceCustomerId']);
  test('covers all 26 combinations of one, two and three keys', () => {
    expect(combos).toHaveLength(26);
  });

  test.each(combos.map((c) => [label(c), c]))('as A, %s', async (_l, combo) => {
    const got = await entities('customer', 'id email', combo, citizenPrincipal(A));
    expect(got).toEqual(allOf(combo, 'A') ? { id: A.unifiedId, email: A.email } : null);
  });

  test.each(combos.map((c) => [label(c), c]))('as an agent, %s', async (_l, combo) => {
    const got = await entities('customer', 'id email', combo, AGENT);
    const expected = allOf(combo, 'A')
      ? { id: A.unifiedId, email: A.email }
      : allOf(combo, 'B')
        ? { id: B.unifiedId, email: B.email }
        : null;
    expect(got).toEqual(expected);
  });

  test("a citizen's forbidden mix costs no upstream call", async () => {
    stack.emulator.log.reset();
    await entities('customer', 'id email', { id: 'B', contactId: 'A' }, citizenPrincipal(A));
    expect(stack.emulator.log.list()).toEqual([]);
  });
});

describe('case subgraph: contactId (plus keys it does not resolve by)', () => {
  const combos = combinations(['contactId'], ['id', 'commerceCustomerId']);
  const caseIdsOf = (c: Person) =>
    stack.emulator.core.sobjects
      .findBy('Case', 'ContactId', c.contactId)
      .map((r) => r.Id as string)
      .sort();

  test.each(combos.map((c) => [label(c), c]))('as A, %s', async (_l, combo) => {
    const got = await entities(
      'case',
      'cases(first: 100) { edges { node { id } } }',
      combo,
      citizenPrincipal(A),
    );
    const ids = got.cases.edges.map((e: { node: { id: string } }) => e.node.id).sort();
    // Resolved by contactId alone: A's own cases when it is A's, nothing when it is B's.
    expect(ids).toEqual(combo.contactId === 'A' ? caseIdsOf(A) : []);
  });
});

describe('session subgraph: contactId (plus keys it does not resolve by)', () => {
  const combos = combinations(['contactId'], ['id', 'commerceCustomerId']);
  test.each(combos.map((c) => [label(c), c]))('as A, %s', async (_l, combo) => {
    const got = await entities('session', 'account { username }', combo, citizenPrincipal(A));
    expect(got.account).toEqual(combo.contactId === 'A' ? { username: A.username } : null);
  });
});

describe('commerce subgraph: commerceCustomerId with the required commerceLogin', () => {
  const combos = combinations(['commerceCustomerId', 'commerceLogin'], ['id', 'contactId']);
  let cartOfA: string | null;

  beforeAll(async () => {
    // A has a cart (whatever the seed says), so "A's cart or nothing" is a real answer.
    const asA = await loginAs(stack, A.username, stack.emulator.core.world.citizenPassword);
    const { body } = await gql(
      stack,
      `query ($id: ID!) { citizen(id: $id) { cart { id } } }`,
      { id: A.unifiedId },
      asA,
    );
    cartOfA = body.data.citizen.cart?.id ?? null;
    void agentHeaders;
  });

  test.each(combos.map((c) => [label(c), c]))('as A, %s', async (_l, combo) => {
    const got = await entities(
      'commerce',
      'cart { id } orders { totalCount }',
      combo,
      citizenPrincipal(A),
    );
    if (combo.commerceCustomerId === 'A') {
      // A's own shopper, acted for with the login the gateway signed, never the representation's.
      expect(got.cart?.id ?? null).toBe(cartOfA);
    } else {
      expect(got).toEqual({ cart: null, orders: { totalCount: 0 } });
    }
  });
});

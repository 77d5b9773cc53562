// @defer through the gateway (gateway/defer/): a multipart client gets the profile first and the
// commerce fields (orders, cart: SCAPI, the slowest) in a later part; the Salesforce calls are
// exactly those of the same query without @defer; a client without multipart gets one JSON body.
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { resetBreakers } from '../../lib/resilience.js';
import { agentHeaders, loginAs } from '../client.js';
import { startStack, type Stack } from '../harness.js';

jest.setTimeout(30_000);

let stack: Stack;
let agent: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  agent = await agentHeaders(stack);
});
afterAll(() => stack.stop());
afterEach(() => {
  stack.emulator.faults.reset();
  resetBreakers();
});

const MULTIPART = 'multipart/mixed;deferSpec=20220824,application/json';

const PROFILE_FIELDS = /* GraphQL */ `
  id
  displayName
  email
`;
const COMMERCE_FIELDS = /* GraphQL */ `
  cart {
    id
    itemCount
  }
  orders(first: 5) {
    totalCount
    edges {
      node {
        orderNo
        status
      }
    }
  }
`;
const DEFERRED = /* GraphQL */ `
  query DeferredProfile($id: ID!, $defer: Boolean! = true) {
    citizen(id: $id) {
      ${PROFILE_FIELDS}
      ... @defer(label: "commerce", if: $defer) {
        ${COMMERCE_FIELDS}
      }
    }
  }
`;
const UNDEFERRED = /* GraphQL */ `
  query DeferredProfile($id: ID!) {
    citizen(id: $id) {
      ${PROFILE_FIELDS}
      ${COMMERCE_FIELDS}
    }
  }
`;

interface Sent {
  status: number;
  contentType: string;
  text: string;
}

/** POSTs a document and keeps the raw body (multipart is not JSON). */
async function post(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<Sent> {
  const res = await request(stack.gatewayUrl)
    .post('/graphql')
    .set(headers)
    .timeout(20_000)
    .buffer(true)
    .parse((r, done) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => done(null, text));
    })
    .send({ query, variables });
  return { status: res.status, contentType: String(res.headers['content-type']), text: res.body };
}

/**
 * The parts of a multipart/mixed body, parsed as Apollo Client's multipart reader does: split on
 * the boundary from the content-type, each part's headers then a blank line then JSON.
 */
function parseMultipart(sent: Sent) {
  const boundary = /boundary="?([^";]+)"?/.exec(sent.contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${sent.contentType}`);
  const delimiter = `\r\n--${boundary}`;
  expect(sent.text.startsWith(delimiter + '\r\n')).toBe(true);
  expect(sent.text.endsWith(`${delimiter}--\r\n`)).toBe(true);
  const chunks = sent.text.slice(0, -`${delimiter}--\r\n`.length).split(delimiter).slice(1);
  return chunks.map((chunk) => {
    const [head, body] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
    expect(head.toLowerCase()).toBe('content-type: application/json; charset=utf-8');
    return JSON.parse(body) as Record<string, any>;
  });
}

/** The second call of a query (tokens warm), with the Salesforce calls it made by family. */
async function measured(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  await post(query, variables, headers);
  stack.emulator.log.reset();
  const sent = await post(query, variables, headers);
  return { sent, calls: stack.emulator.log.countByFamily() };
}

const citizen = () => stack.emulator.core.world.citizens[3];

test('a deferred profile arrives in parts: profile first, orders and cart later with their label', async () => {
  const c = citizen();
  const { sent } = await measured(DEFERRED, { id: c.unifiedId }, { ...agent, accept: MULTIPART });
  expect(sent.status).toBe(200);
  expect(sent.contentType).toBe('multipart/mixed; boundary="graphql"; deferSpec=20220824');
  const parts = parseMultipart(sent);
  expect(parts).toHaveLength(2);
  expect(parts[0]).toEqual({
    data: {
      citizen: {
        id: c.unifiedId,
        displayName: `${c.firstName} ${c.lastName}`,
        email: c.email,
      },
    },
    hasNext: true,
  });
  expect(parts[1].hasNext).toBe(false);
  expect(parts[1].incremental).toHaveLength(1);
  const [item] = parts[1].incremental;
  expect(item.label).toBe('commerce');
  expect(item.path).toEqual(['citizen']);
  expect(Object.keys(item.data).sort()).toEqual(['cart', 'orders']);
  expect(item.data.orders.totalCount).toBeGreaterThan(0);
  expect(item.errors).toBeUndefined();
});

/** The parts merged as a client merges them: each incremental item's data at its path. */
function merged(parts: Array<Record<string, any>>) {
  const data = structuredClone(parts[0].data);
  const errors = [...(parts[0].errors ?? [])];
  for (const part of parts.slice(1))
    for (const item of part.incremental ?? []) {
      let at = data;
      for (const key of item.path) at = at[key];
      if (item.data) Object.assign(at, item.data);
      errors.push(...(item.errors ?? []));
    }
  return errors.length ? { data, errors } : { data };
}

const json = (sent: Sent) => {
  expect(sent.contentType).toMatch(/^application\/json/);
  return JSON.parse(sent.text) as Record<string, any>;
};

test('the deferred query costs exactly the Salesforce calls of the same query without @defer', async () => {
  const id = citizen().unifiedId;
  const plain = await measured(UNDEFERRED, { id }, agent);
  const deferred = await measured(DEFERRED, { id }, { ...agent, accept: MULTIPART });
  console.log(
    `upstream calls without @defer ${JSON.stringify(plain.calls)}, with ${JSON.stringify(deferred.calls)}`,
  );
  expect(Object.keys(plain.calls).sort()).toEqual(['datacloud', 'scapi']);
  expect(deferred.calls).toEqual(plain.calls);
  // And the parts add up to the undeferred answer.
  expect(merged(parseMultipart(deferred.sent))).toEqual(json(plain.sent));
});

test('without accept: multipart/mixed the deferred document gets one JSON answer, as if undeferred', async () => {
  const id = citizen().unifiedId;
  const plain = await measured(UNDEFERRED, { id }, agent);
  const deferred = await measured(DEFERRED, { id }, agent);
  expect(deferred.sent.status).toBe(200);
  expect(json(deferred.sent)).toEqual(json(plain.sent));
  expect(deferred.calls).toEqual(plain.calls);
});

test('a deferred part whose upstream fails arrives with UPSTREAM_UNAVAILABLE; the initial part is intact', async () => {
  const c = citizen();
  await post(DEFERRED, { id: c.unifiedId }, { ...agent, accept: MULTIPART }); // tokens warm
  stack.emulator.faults.add({ kind: 'status', family: 'scapi', status: 503, count: 1000 });
  const sent = await post(DEFERRED, { id: c.unifiedId }, { ...agent, accept: MULTIPART });
  expect(sent.status).toBe(200);
  const parts = parseMultipart(sent);
  expect(parts).toHaveLength(2);
  expect(parts[0]).toEqual({
    data: {
      citizen: { id: c.unifiedId, displayName: `${c.firstName} ${c.lastName}`, email: c.email },
    },
    hasNext: true,
  });
  expect(parts[1].hasNext).toBe(false);
  const [item] = parts[1].incremental;
  expect(item).toMatchObject({
    label: 'commerce',
    path: ['citizen'],
    data: { cart: null, orders: null },
  });
  expect(item.errors.length).toBeGreaterThan(0);
  for (const e of item.errors) {
    expect(e.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(['cart', 'orders']).toContain(e.path[1]);
    // The error policy holds in later parts too: no topology without the cost report.
    expect(e.extensions.serviceName).toBeUndefined();
  }
});

test('@defer(if: false) is no deferral: one JSON answer even to a multipart client', async () => {
  const id = citizen().unifiedId;
  const plain = await measured(UNDEFERRED, { id }, agent);
  const off = await measured(DEFERRED, { id, defer: false }, { ...agent, accept: MULTIPART });
  expect(json(off.sent)).toEqual(json(plain.sent));
  expect(off.calls).toEqual(plain.calls);
  const literal = DEFERRED.replace('if: $defer', 'if: false').replace(
    ', $defer: Boolean! = true',
    '',
  );
  expect(json((await measured(literal, { id }, { ...agent, accept: MULTIPART })).sent)).toEqual(
    json(plain.sent),
  );
});

test('a deferred fragment spread is delivered like an inline fragment', async () => {
  const c = citizen();
  const spread = /* GraphQL */ `
    query DeferredSpread($id: ID!) {
      citizen(id: $id) {
        ${PROFILE_FIELDS}
        ...Commerce @defer(label: "commerce")
      }
    }
    fragment Commerce on Citizen {
      ${COMMERCE_FIELDS}
    }
  `;
  const { sent } = await measured(spread, { id: c.unifiedId }, { ...agent, accept: MULTIPART });
  const parts = parseMultipart(sent);
  expect(parts.map((p) => p.hasNext)).toEqual([true, false]);
  expect(Object.keys(parts[0].data.citizen).sort()).toEqual(['displayName', 'email', 'id']);
  expect(parts[1].incremental[0]).toMatchObject({ label: 'commerce', path: ['citizen'] });
  expect(Object.keys(parts[1].incremental[0].data).sort()).toEqual(['cart', 'orders']);
});

test("a citizen deferring another citizen's fields gets nothing more than without @defer", async () => {
  const [a, b] = [citizen(), stack.emulator.core.world.citizens[6]];
  const asA = await loginAs(stack, a.username, stack.emulator.core.world.citizenPassword);
  const plain = await measured(UNDEFERRED, { id: b.unifiedId }, asA);
  const { sent: deferred, calls } = await measured(
    DEFERRED,
    { id: b.unifiedId },
    { ...asA, accept: MULTIPART },
  );
  const parts = parseMultipart(deferred);
  expect(merged(parts)).toEqual(json(plain.sent));
  // No Salesforce call for B's commerce data either: the same calls as the undeferred refusal.
  expect(calls).toEqual(plain.calls);
  // Nothing of B in any part: no email, no order, no cart.
  expect(deferred.text).not.toContain(b.email);
  for (const p of parts.slice(1))
    for (const item of p.incremental ?? []) {
      expect(item.data?.orders ?? null).toBeNull();
      expect(item.data?.cart ?? null).toBeNull();
    }
  // Her own profile, deferred, she does get: the later part runs as her too.
  const ownPlain = await post(UNDEFERRED, { id: a.unifiedId }, asA);
  const own = parseMultipart(
    await post(DEFERRED, { id: a.unifiedId }, { ...asA, accept: MULTIPART }),
  );
  expect(own[0].data.citizen.email).toBe(a.email);
  expect(own[1].incremental[0].data.cart).not.toBeNull();
  expect(merged(own)).toEqual(json(ownPlain));
});

test('the API schema declares @defer: introspection (GraphiQL) shows it with label and if', async () => {
  const sent = await post(
    '{ __schema { directives { name locations args { name defaultValue type { name kind ofType { name } } } } } }',
    {},
    agent,
  );
  const defer = json(sent).data.__schema.directives.find(
    (d: { name: string }) => d.name === 'defer',
  );
  expect(defer).toEqual({
    name: 'defer',
    locations: ['FRAGMENT_SPREAD', 'INLINE_FRAGMENT'],
    args: [
      { name: 'label', defaultValue: null, type: { name: 'String', kind: 'SCALAR', ofType: null } },
      {
        name: 'if',
        defaultValue: 'true',
        type: { name: null, kind: 'NON_NULL', ofType: { name: 'Boolean' } },
      },
    ],
  });
});

test('a multipart client that does not take JSON is still answered in parts', async () => {
  const c = citizen();
  const sent = await post(DEFERRED, { id: c.unifiedId }, { ...agent, accept: 'multipart/mixed' });
  expect(sent.status).toBe(200);
  expect(parseMultipart(sent).map((p) => p.hasNext)).toEqual([true, false]);
});

test('the initial part is written before the deferred upstream answers', async () => {
  const c = citizen();
  await post(DEFERRED, { id: c.unifiedId }, { ...agent, accept: MULTIPART }); // tokens warm
  // SCAPI answers slowly; the first part must not wait for it.
  stack.emulator.faults.add({ kind: 'latency', family: 'scapi', latencyMs: 1500, count: 1000 });
  stack.emulator.log.reset();
  const url = new URL('/graphql', stack.gatewayUrl);
  const events: string[] = [];
  const body = JSON.stringify({ query: DEFERRED, variables: { id: c.unifiedId } });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer in 15 s')), 15_000);
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: { ...agent, accept: MULTIPART, 'content-type': 'application/json' },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // How many SCAPI calls the emulator had answered (it logs a call when it answers).
          const scapiAnswered = stack.emulator.log.countByFamily().scapi ?? 0;
          events.push(`${chunk.includes('"hasNext":true') ? 'initial' : 'later'}:${scapiAnswered}`);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  expect(events[0]).toBe('initial:0');
  expect(events.at(-1)).toMatch(/^later:[1-9]/);
});

test('nested and in-list deferrals: one entry per list item, inner parts after their parent', async () => {
  const c = citizen();
  const nested = /* GraphQL */ `
    query NestedDefer($id: ID!) {
      citizen(id: $id) {
        id
        ... @defer(label: "orders") {
          orders(first: 5) {
            edges {
              node {
                orderNo
                ... @defer(label: "items") {
                  items {
                    quantity
                    product {
                      name
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  `;
  const flat = nested.replace(/\.\.\. @defer\(label: "\w+"\) \{/g, '... {');
  const plain = await measured(flat, { id: c.unifiedId }, agent);
  const { sent, calls } = await measured(
    nested,
    { id: c.unifiedId },
    { ...agent, accept: MULTIPART },
  );
  const parts = parseMultipart(sent);
  expect(parts[0].data).toEqual({ citizen: { id: c.unifiedId } });
  const items = parts.slice(1).flatMap((p) => p.incremental ?? []);
  const labels = items.map((i) => i.label);
  expect(labels[0]).toBe('orders');
  const orders = json(plain.sent).data.citizen.orders.edges;
  expect(orders.length).toBeGreaterThan(1);
  expect(labels.slice(1)).toEqual(orders.map(() => 'items'));
  expect(items.slice(1).map((i) => i.path)).toEqual(
    orders.map((_: unknown, n: number) => ['citizen', 'orders', 'edges', n, 'node']),
  );
  expect(merged(parts)).toEqual(json(plain.sent));
  expect(calls).toEqual(plain.calls);
});

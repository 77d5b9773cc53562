// @defer through the gateway (gateway/defer/): a multipart client gets the profile first and the
// commerce fields (orders, cart: SCAPI, the slowest) in a later part; the Salesforce calls are
// exactly those of the same query without @defer; a client without multipart gets one JSON body.
import request from 'supertest';
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
afterEach(() => stack.emulator.faults.reset());

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
  console.log(sent.text);
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

// Faults injected at the emulator: answers degrade to partial data with typed errors and paths,
// writes are never duplicated, and the gateway stays healthy.
import request from 'supertest';
import { connect } from 'node:net';
import { resetBreakers } from '../lib/resilience.js';
import { agentHeaders, gql, loginAs } from './client.js';
import { startStack, type Stack } from './harness.js';
import { operation } from './operations.js';
import { deferred, listenDisposable } from './support/disposable.js';

let stack: Stack;
let agent: Record<string, string>;
const PARTIAL = /* GraphQL */ `
  query ($id: ID!) {
    citizen(id: $id) {
      id
      displayName
      cart {
        id
        itemCount
      }
      account {
        username
      }
      cases(first: 2) {
        totalCount
      }
    }
  }
`;

beforeAll(async () => {
  stack = await startStack({
    // Only commerce's timeout is short (the slow-upstream test); the others keep their defaults,
    // so a sign-in through Identity on a loaded machine is not cut at 400 ms.
    env: { COMMERCE_UPSTREAM_TIMEOUT_MS: '1000' },
  });
  agent = await agentHeaders(stack);
});
afterAll(() => stack.stop());
beforeEach(() => {
  stack.emulator.faults.reset();
  resetBreakers();
});

const citizen = () => stack.emulator.core.world.citizens[4];
const fault = (body: Record<string, unknown>) =>
  request(stack.emulator.app).post('/__emulator/faults').send(body).expect(201);
const healthy = async () => (await request(stack.gatewayUrl).get('/healthz')).status === 200;

test('a 5xx burst at SCAPI: cart is null with UPSTREAM_UNAVAILABLE at its path, the rest intact', async () => {
  await fault({ kind: 'status', family: 'scapi', status: 503, count: 1000 });
  const { status, body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
  expect(status).toBe(200);
  expect(body.data.citizen).toMatchObject({
    id: citizen().unifiedId,
    displayName: expect.any(String),
    cart: null,
    account: { username: citizen().username },
  });
  // CRM still answered: the citizen's cases as the emulator holds them.
  expect(body.data.citizen.cases.totalCount).toBe(
    stack.emulator.core.sobjects.findBy('Case', 'ContactId', citizen().contactId).length,
  );
  const err = body.errors!.find((e) => e.path?.join('.') === 'citizen.cart')!;
  expect(err.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(JSON.stringify(body.errors)).not.toMatch(/problem\+json|commercecloud|stack/i);
  expect(await healthy()).toBe(true);
});

/** The statuses the emulator answered, in order, for calls of `family` whose path contains `path`. */
const statuses = (family: 'scapi' | 'crm' | 'datacloud', path: string) =>
  stack.emulator.log.list({ family, path }).map((c) => c.status);

test('a transient 503 on a read is retried and the answer is complete', async () => {
  stack.emulator.log.reset();
  await fault({ kind: 'status', family: 'scapi', status: 503, count: 1 });
  const { body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
  expect(body.errors).toBeUndefined();
  // The one refused SCAPI call was made again, once, and then answered.
  const scapi = statuses('scapi', '/');
  expect(scapi.filter((s) => s === 503)).toHaveLength(1);
  expect(scapi[scapi.indexOf(503) + 1]).toBe(200);
});

test('429 with Retry-After is honoured: the query is sent again after it, once', async () => {
  stack.emulator.log.reset();
  await fault({ kind: 'throttle', family: 'crm', path: '/query', retryAfterSeconds: 0, count: 1 });
  const { body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
  expect(body.errors).toBeUndefined();
  const crm = statuses('crm', '/query');
  expect(crm.filter((s) => s === 429)).toHaveLength(1);
  expect(crm[crm.indexOf(429) + 1]).toBe(200);
});

test('a slow upstream beyond the timeout: UPSTREAM_TIMEOUT at the path', async () => {
  // Commerce calls answer after 2 s; the commerce subgraph's upstream timeout here is 1 s.
  await fault({ kind: 'latency', family: 'scapi', latencyMs: 2000, count: 1000 });
  const { status, body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
  expect(status).toBe(200);
  expect(body.data.citizen).toMatchObject({ displayName: expect.any(String), cart: null });
  const err = body.errors!.find((e) => e.path?.join('.') === 'citizen.cart')!;
  expect(err.extensions!.code).toBe('UPSTREAM_TIMEOUT');
  stack.emulator.faults.reset(); // release the held responses
});

test('an expired upstream session is renewed transparently', async () => {
  await fault({ kind: 'expired-session', family: 'crm', count: 1 });
  await fault({ kind: 'expired-session', family: 'datacloud', count: 1 });
  stack.emulator.log.reset();
  const { body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
  expect(body.errors).toBeUndefined();
  expect(body.data.citizen.displayName).toBeTruthy();
  // Each family's refused call (401) was followed by a new token and the call again.
  for (const family of ['crm', 'datacloud'] as const) {
    const calls = stack.emulator.log.list({ family }).map((c) => `${c.status} ${c.path}`);
    const refused = calls.findIndex((c) => c.startsWith('401 '));
    expect(refused).toBeGreaterThanOrEqual(0);
    const path = calls[refused].slice(4);
    expect(calls.slice(refused + 1)).toContain(`200 ${path}`);
  }
});

test('the daily API limit surfaces as RATE_LIMITED', async () => {
  stack.emulator.apiUsage.reset(0);
  try {
    const { body } = await gql(stack, PARTIAL, { id: citizen().unifiedId }, agent);
    expect(body.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED')).toBe(true);
  } finally {
    stack.emulator.apiUsage.reset(1_000_000);
  }
});

// A subgraph really down (its process killed, stopped, drained) is the fault suite's job:
// test/faults/faults.test.ts stops the commerce process itself, not its upstream.

describe('writes are never duplicated under response loss', () => {
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await loginAs(stack, citizen().username, stack.emulator.core.world.citizenPassword);
  });

  test('N cases created with lost responses and retries: exactly N exist', async () => {
    const N = 5;
    const before = stack.emulator.core.sobjects.findBy(
      'Case',
      'ContactId',
      citizen().contactId,
    ).length;
    for (let i = 0; i < N; i++) {
      await fault({ kind: 'lose-response', family: 'crm', path: '/composite', count: 1 });
      const input = { subject: `Retry case ${i}`, idempotencyKey: `retry-case-${i}-abcdef` };
      const first = await gql(stack, operation('create-case'), { input }, headers);
      expect(first.body.data?.createCase?.case ?? null).toBeNull();
      const retry = await gql(stack, operation('create-case'), { input }, headers);
      expect(retry.body.data.createCase.case.subject).toBe(`Retry case ${i}`);
    }
    expect(
      stack.emulator.core.sobjects.findBy('Case', 'ContactId', citizen().contactId).length,
    ).toBe(before + N);
  });

  test('cart adds retried after lost responses apply once each', async () => {
    const ADD = /* GraphQL */ `
      mutation ($input: AddCartItemInput!) {
        addCartItem(input: $input) {
          cart {
            items {
              quantity
              product {
                id
              }
            }
          }
          userErrors {
            code
          }
        }
      }
    `;
    const quantityOf = (
      cart: { items: Array<{ quantity: number; product: { id: string } | null }> } | null,
    ) => cart?.items.find((i) => i.product?.id === 'fee-parking-annual')?.quantity ?? 0;
    const start = await gql(
      stack,
      ADD,
      { input: { productId: 'licence-dog-annual', quantity: 1 } },
      headers,
    );
    expect(start.body.data.addCartItem.userErrors).toEqual([]);
    const N = 3;
    for (let i = 0; i < N; i++) {
      await fault({
        kind: 'lose-response',
        family: 'scapi',
        method: 'POST',
        path: '/items',
        count: 1,
      });
      const input = {
        productId: 'fee-parking-annual',
        quantity: 1,
        idempotencyKey: `retry-add-${i}-abcdef`,
      };
      const first = await gql(stack, ADD, { input }, headers);
      expect(first.body.data?.addCartItem?.cart ?? null).toBeNull();
      const retry = await gql(stack, ADD, { input }, headers);
      expect(retry.body.data.addCartItem.userErrors).toEqual([]);
      expect(quantityOf(retry.body.data.addCartItem.cart)).toBe(i + 1);
    }
  });

  test('N orders checked out with lost responses and retries: exactly N exist', async () => {
    const N = 3;
    const countOrders = async () =>
      (
        await gql(
          stack,
          `query ($id: ID!) { citizen(id: $id) { orders(first: 100) { totalCount } } }`,
          { id: citizen().unifiedId },
          headers,
        )
      ).body.data.citizen.orders.totalCount as number;
    const before = await countOrders();
    for (let i = 0; i < N; i++) {
      const added = await gql(
        stack,
        operation('add-cart-item'),
        { input: { productId: 'licence-dog-annual', quantity: 1 } },
        headers,
      );
      expect(added.body.data.addCartItem.userErrors).toEqual([]);
      await fault({
        kind: 'lose-response',
        family: 'scapi',
        method: 'POST',
        path: '/orders',
        count: 1,
      });
      const input = {
        idempotencyKey: `retry-order-${i}-abcdef`,
        payment: {
          cardType: 'Visa',
          holder: 'A B',
          maskedNumber: '************1111',
          expirationMonth: 12,
          expirationYear: 2030,
        },
      };
      const first = await gql(stack, operation('checkout'), { input }, headers);
      expect(first.body.data?.checkout?.order ?? null).toBeNull();
      const retry = await gql(stack, operation('checkout'), { input }, headers);
      expect(retry.body.data.checkout.userErrors).toEqual([]);
      expect(retry.body.data.checkout.order.orderNo).toBeTruthy();
    }
    expect(await countOrders()).toBe(before + N);
  });
});

test('a slow-body client is cut off by the request timeout (408, socket closed) long before its body is sent', async () => {
  await using gw = await listenDisposable(stack.gateway.app, {
    requestTimeoutMs: 400,
    headersTimeoutMs: 300,
    keepAliveTimeoutMs: 1_000,
  });
  const socket = connect(gw.port, '127.0.0.1');
  await using _socket = deferred(() => socket.destroy());
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const body = JSON.stringify({ query: '{ __typename }' }).padEnd(200, ' ');
  socket.write(
    `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
  );
  let sent = 0;
  let open = true;
  void closed.then(() => (open = false));
  while (open && sent < body.length) {
    socket.write(body[sent++]);
    await new Promise((r) => setTimeout(r, 50));
  }
  await closed;
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  expect(sent).toBeLessThan(body.length);
});

test("a client's own x-c360-deadline does not cut the gateway's subgraph fetches", async () => {
  stack.emulator.log.reset();
  const { body } = await gql(
    stack,
    PARTIAL,
    { id: citizen().unifiedId },
    { ...agent, 'x-c360-deadline': String(Date.now() - 1) },
  );
  // A client's own deadline header is not trusted by the gateway: the answer is complete.
  expect(body.errors).toBeUndefined();
  expect(stack.emulator.log.countByFamily().scapi).toBeGreaterThan(0);
});

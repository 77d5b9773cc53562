// Two replicas (two gateways, two sets of subgraphs) on one real Redis and one Salesforce: the
// limits, logouts, persisted queries and idempotency locks hold across them as across one.
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../lib/redis/connect.js';
import { startReplica, startStack, type Replica, type Stack } from './harness.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from './support/redis-server.js';
import { waitFor } from './support/wait-for.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;

describeRedis('two replicas on one Redis', () => {
  let server: RedisServer;
  let redisA: Redis;
  let redisB: Redis;
  let A: Stack;
  let B: Replica;

  beforeAll(async () => {
    server = await startRedisServer();
    redisA = connectRedis({ url: server.url });
    redisB = connectRedis({ url: server.url });
    A = await startStack({ redis: redisA });
    B = await startReplica(A.env, { redis: redisB });
  });
  afterAll(async () => {
    await B?.stop();
    await A?.stop();
    await redisA?.quit();
    await redisB?.quit();
    await server?.stop();
  });

  const post = (url: string, body: object, headers: Record<string, string> = {}) =>
    request(url).post('/graphql').set(headers).send(body);
  const world = () => A.emulator.core.world;
  const LOGIN = `mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken } userErrors { code } } }`;

  test('the brute-force limit holds across replicas: 10 parallel wrong passwords, 5 reach Salesforce', async () => {
    const victim = world().citizens[11];
    A.emulator.log.reset();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(i % 2 ? B.gatewayUrl : A.gatewayUrl, {
          query: LOGIN,
          variables: { u: victim.username, p: `wrong-${i}` },
        }),
      ),
    );
    const codes = answers.map((r) => r.body.data.login.userErrors[0].code);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(5);
    expect(
      A.emulator.log.list({ family: 'identity' }).filter((e) => e.path.endsWith('/authorize')),
    ).toHaveLength(5);
  });

  test('a logout on one replica is honoured by the other at once', async () => {
    const c = world().citizens[12];
    const login = await post(A.gatewayUrl, {
      query: LOGIN,
      variables: { u: c.username, p: world().citizenPassword },
    });
    const headers = { authorization: `Bearer ${login.body.data.login.session.accessToken}` };
    const viewer = { query: `{ viewer { session { userId } } }` };
    // B validates the token and caches it (in Redis).
    expect((await post(B.gatewayUrl, viewer, headers)).body.data.viewer).not.toBeNull();
    expect(
      (await post(A.gatewayUrl, { query: `mutation { logout { success } }` }, headers)).body.data
        .logout.success,
    ).toBe(true);
    expect((await post(B.gatewayUrl, viewer, headers)).status).toBe(401);
  });

  test('a logout on one replica with only the access token ends the session signed in on the other', async () => {
    const c = world().citizens[13];
    const REFRESH = `mutation ($t: String!) { refreshSession(refreshToken: $t) { session { accessToken } userErrors { code } } }`;
    const login = await post(A.gatewayUrl, {
      query: `mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken refreshToken } } }`,
      variables: { u: c.username, p: world().citizenPassword },
    });
    const { accessToken, refreshToken } = login.body.data.login.session;
    const out = await post(
      B.gatewayUrl,
      { query: `mutation { logout { success } }` },
      { authorization: `Bearer ${accessToken}` },
    );
    expect(out.body).toEqual({ data: { logout: { success: true } } });
    const again = await post(A.gatewayUrl, { query: REFRESH, variables: { t: refreshToken } });
    expect(again.body.data.refreshSession).toEqual({
      session: null,
      userErrors: [{ code: 'INVALID_REFRESH_TOKEN' }],
    });
  });

  test('a token refused on one replica is refused on the other without asking Identity', async () => {
    const headers = { authorization: 'Bearer 00Dnot!AQ4AQarandomtokenrefusedonce' };
    const viewer = { query: `{ viewer { session { userId } } }` };
    A.emulator.log.reset();
    expect((await post(A.gatewayUrl, viewer, headers)).status).toBe(401);
    expect((await post(B.gatewayUrl, viewer, headers)).status).toBe(401);
    expect(A.emulator.log.list({ family: 'identity' })).toHaveLength(2);
  });

  test('a persisted query registered on one replica is found on the other', async () => {
    const query = `{ products(ids: ["${'PERMIT-PARKING'}"]) { id } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await post(B.gatewayUrl, { extensions });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(A.gatewayUrl, { query, extensions });
    expect(registered.body.errors).toBeUndefined();
    const found = await post(B.gatewayUrl, { extensions });
    expect(found.body).toEqual(registered.body);
  });

  test('concurrent retries of one idempotent write on two replicas create one record', async () => {
    const c = world().citizens[13];
    const { sobjects } = A.emulator.core;
    const caseId = sobjects.findBy('Case', 'ContactId', c.contactId)[0]?.Id as string | undefined;
    expect(caseId).toBeDefined();
    const tokenA = (
      await post(A.gatewayUrl, {
        query: LOGIN,
        variables: { u: c.username, p: world().citizenPassword },
      })
    ).body.data.login.session.accessToken;
    const headers = { authorization: `Bearer ${tokenA}` };
    const before = sobjects.findBy('CaseComment', 'ParentId', caseId).length;
    const doc = {
      query: `mutation ($i: AddCaseCommentInput!) { addCaseComment(input: $i) { comment { id } userErrors { code } } }`,
      variables: {
        i: { caseId, body: 'Any news on my permit?', idempotencyKey: 'two-replicas-0001' },
      },
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post(i % 2 ? B.gatewayUrl : A.gatewayUrl, doc, headers)),
    );
    const ids = new Set(answers.map((r) => r.body.data.addCaseComment.comment?.id));
    expect(answers.map((r) => r.body.data.addCaseComment.userErrors)).toEqual(Array(10).fill([]));
    expect(ids.size).toBe(1);
    expect(sobjects.findBy('CaseComment', 'ParentId', caseId).length).toBe(before + 1);
  });

  test('a write that commits late on one replica: the retry on the other answers IDEMPOTENCY_KEY_IN_USE, then the same result', async () => {
    const c = world().citizens[14];
    const token = (
      await post(A.gatewayUrl, {
        query: LOGIN,
        variables: { u: c.username, p: world().citizenPassword },
      })
    ).body.data.login.session.accessToken;
    const headers = { authorization: `Bearer ${token}` };
    const ADD = `mutation ($i: AddCartItemInput!) { addCartItem(input: $i) { cart { items { quantity product { id } } } userErrors { code } } }`;
    // A basket first, so the add under test only adds to it.
    const start = await post(
      A.gatewayUrl,
      { query: ADD, variables: { i: { productId: 'licence-dog-annual', quantity: 1 } } },
      headers,
    );
    expect(start.body.data.addCartItem.userErrors).toEqual([]);
    const { faults } = A.emulator;
    const rule = faults.add({
      kind: 'commit-late',
      family: 'scapi',
      method: 'POST',
      path: '/items',
      latencyMs: 600_000,
      count: 1,
    });
    const received = new Promise((r) => faults.once('received', r));
    const doc = {
      query: ADD,
      variables: {
        i: { productId: 'fee-parking-annual', quantity: 1, idempotencyKey: 'late-two-replicas-1' },
      },
    };
    const parking = (body: any): number =>
      body.data.addCartItem.cart.items.find((i: any) => i.product?.id === 'fee-parking-annual')
        ?.quantity ?? 0;
    // The client on replica A gives up once Salesforce has the write (its request is aborted).
    const client = new AbortController();
    const first = fetch(`${A.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(doc),
      signal: client.signal,
    }).catch((e: Error) => e);
    await received;
    client.abort();
    await first;
    // Replica A's attempt ends (cut off, or its own timeout) with its outcome unknown: the
    // marker appears in Redis (every replica sees it).
    const markers = () => redisB.keys('c360:unknown:*');
    await waitFor(async () => (await markers()).length > 0, {
      what: 'the unknown-outcome marker in Redis',
    });
    const onB = await post(B.gatewayUrl, doc, headers);
    expect(onB.body.errors?.[0].extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
    });
    // Salesforce commits the write after all; the retry on B now answers it, once.
    const committed = new Promise((r) => faults.once('committed', r));
    expect(faults.commitLateNow(rule.id)).toBe(1);
    await committed;
    const after = await post(B.gatewayUrl, doc, headers);
    expect(after.body.errors).toBeUndefined();
    expect(parking(after.body)).toBe(1);
    const again = await post(A.gatewayUrl, doc, headers);
    expect(parking(again.body)).toBe(1);
    expect(await markers()).toEqual([]);
  });
});

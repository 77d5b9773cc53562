// Redis is a helper, not a single point of failure (issue 24, item 4). A real redis-server is
// killed in the middle of the test, under a whole stack (gateway and four subgraphs) sharing it:
// - signed-in queries keep answering, promptly (the token cache falls back to memory, budgets to
//   per-process limits);
// - /readyz stays HTTP 200 and says `degraded`, `redis: "unavailable"` in its body (the choice:
//   pulling every replica out of the load balancer would turn a cache outage into a total one);
// - keyed writes and sign-in lockouts fail closed, at once, with retryable answers;
// - redis_errors_total counts the failures;
// - when Redis is back, everything is shared again.
// Every wait is on an event (the connection closing, becoming ready), never on a clock.
import request from 'supertest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../lib/redis/connect.js';
import { CreateCaseDocument, ViewerDocument } from '../gql/graphql.js';
import { loginAs } from './client.js';
import { gql, startStack, type Stack } from './harness.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from './support/redis-server.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;

// "At once" is not timed here (no test depends on the machine's speed): with no offline queue
// and no retries per command, nothing waits for Redis; the times are printed as a measurement.

describeRedis('Redis killed under a running stack', () => {
  let server: RedisServer;
  let redis: Redis;
  let stack: Stack;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = connectRedis({ url: server.url, commandTimeoutMs: 300 });
    await redis.ping();
    stack = await startStack({ redis });
  });
  afterAll(async () => {
    await stack?.stop();
    redis?.disconnect();
    await server?.stop();
  });

  const world = () => stack.emulator.core.world;
  const timed = async <T>(fn: () => Promise<T>) => {
    const started = performance.now();
    const value = await fn();
    return { value, ms: Math.round(performance.now() - started) };
  };

  test('signed-in queries keep answering, /readyz says so, writes and lockouts refuse retryably at once', async () => {
    const c = world().citizens[21];
    const headers = await loginAs(stack, c.username, world().citizenPassword);
    const before = await gql(stack, headers, ViewerDocument, {});
    expect(before.body.errors).toBeUndefined();
    const ready = await request(stack.gatewayUrl).get('/readyz');
    expect(ready.body).toMatchObject({ status: 'ready', redis: 'ready' });

    // Kill Redis; wait until the connection has seen it go.
    const closed = new Promise((r) => redis.once('close', r));
    await server.stop();
    await closed;

    // Signed-in queries: answered (the token was in Redis; it is checked again and kept in memory).
    const timings: Record<string, number> = {};
    for (const round of ['first', 'second']) {
      const { value, ms } = await timed(() => gql(stack, headers, ViewerDocument, {}));
      timings[`viewer (${round})`] = ms;
      expect(value.body.errors).toBeUndefined();
      expect(value.body.data?.viewer?.citizen?.id).toBe(before.body.data?.viewer?.citizen?.id);
    }

    // Readiness: still 200 (in the pool), degraded, and Redis named.
    const degraded = await timed(() => request(stack.gatewayUrl).get('/readyz'));
    timings.readyz = degraded.ms;
    expect(degraded.value.status).toBe(200);
    expect(degraded.value.body).toMatchObject({ status: 'degraded', redis: 'unavailable' });
    const caseReady = await request(stack.subgraphUrls.case.replace(/\/graphql$/, '')).get(
      '/readyz',
    );
    expect(caseReady.status).toBe(200);
    expect(caseReady.body).toEqual({
      status: 'degraded',
      subgraph: 'case',
      redis: 'unavailable',
      openCircuits: {},
    });

    // A keyed write cannot check its key: refused at once, retryable, nothing written.
    const cases = () =>
      stack.emulator.core.sobjects.findBy('Case', 'ContactId', c.contactId).length;
    const casesBefore = cases();
    const input = { subject: 'During the outage', idempotencyKey: 'redis-down-case-01' };
    const write = await timed(() => gql(stack, headers, CreateCaseDocument, { input }));
    timings.createCase = write.ms;
    expect(write.value.body.errors?.[0]).toMatchObject({
      extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true, retryAfterSeconds: 1 },
    });
    expect(cases()).toBe(casesBefore);

    // Sign-in lockouts fail closed: refused at once with a retry hint, Identity never asked.
    stack.emulator.log.reset();
    const login = await timed(() =>
      request(stack.gatewayUrl)
        .post('/graphql')
        .send({
          query: `mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { session { accessToken } userErrors { code } } }`,
          variables: { u: c.username, p: world().citizenPassword },
        }),
    );
    timings.login = login.ms;
    expect(login.value.body.data.login).toEqual({
      session: null,
      userErrors: [{ code: 'RATE_LIMITED' }],
    });
    expect(stack.emulator.log.list({ family: 'identity' })).toEqual([]);

    // The failures are counted on /metrics.
    const metrics = await request(stack.gatewayUrl).get('/metrics');
    const count = (op: string) =>
      Number(
        new RegExp(`^redis_errors_total\\{operation="${op}"\\} (\\d+)`, 'm').exec(
          metrics.text,
        )?.[1] ?? 0,
      );
    expect(count('cache')).toBeGreaterThan(0);
    expect(count('lock')).toBeGreaterThan(0);
    expect(count('limiter')).toBeGreaterThan(0);
    console.log(`answers with Redis down (ms): ${JSON.stringify(timings)}`);

    // Redis back where the clients expect it: shared again, writes accepted.
    const back = new Promise((r) => redis.once('ready', r));
    server = await startRedisServer({ port: server.port });
    await back;
    const again = await gql(stack, headers, CreateCaseDocument, { input });
    expect(again.body.errors).toBeUndefined();
    expect(cases()).toBe(casesBefore + 1);
    expect((await request(stack.gatewayUrl).get('/readyz')).body).toMatchObject({
      status: 'ready',
      redis: 'ready',
    });
  });
});

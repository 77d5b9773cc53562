// The read cache on Redis (READ_CACHE=redis), shared by two replicas (two gateways, two sets of
// subgraphs) on one Salesforce: a read cached by one replica is a hit on the other, a comment
// added through the graph on replica A is seen by the next read on replica B (the write's
// invalidation is in Redis), and Redis killed mid-test leaves every answer coming, uncached.
import type { Redis } from 'ioredis';
import { AddCaseCommentDocument, CaseWithCitizenDocument } from '../../gql/graphql.js';
import { connectRedis } from '../../lib/redis/connect.js';
import { gql, startReplica, startStack, type Replica, type Stack } from '../harness.js';
import { liveKit } from '../live/live-kit.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from '../support/redis-server.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;

describeRedis('the read cache on Redis, two replicas', () => {
  let server: RedisServer;
  let redisA: Redis;
  let redisB: Redis;
  let A: Stack;
  let B: Replica;

  beforeAll(async () => {
    server = await startRedisServer();
    redisA = connectRedis({ url: server.url, commandTimeoutMs: 300 });
    redisB = connectRedis({ url: server.url, commandTimeoutMs: 300 });
    await Promise.all([redisA.ping(), redisB.ping()]);
    A = await startStack({ citizens: 60, redis: redisA, live: {}, env: { READ_CACHE: 'redis' } });
    B = await startReplica(A.env, { redis: redisB });
  }, 60_000);
  afterAll(async () => {
    await live.closeAll();
    await B?.stop();
    await A?.stop();
    redisA?.disconnect();
    redisB?.disconnect();
    await server?.stop();
  });

  const live = liveKit(() => A);

  /**
   * Salesforce reads per family of one request, from the emulator's call log (a replica's first
   * OAuth token request is not a read: tokens are per process).
   */
  async function callsOf<T>(run: () => Promise<T>) {
    A.emulator.log.reset();
    const result = await run();
    const calls: Record<string, number> = {};
    for (const c of A.emulator.log.list())
      if (!c.path.endsWith('/oauth2/token')) calls[c.family] = (calls[c.family] ?? 0) + 1;
    return { result, calls };
  }

  test('a read cached by replica A is a hit on replica B; a comment added on A is seen by the next read on B', async () => {
    const c = await live.citizenWithCase(0);
    const who = { authorization: c.authorization };
    const onA = () => gql(A.gatewayUrl, who, CaseWithCitizenDocument, { id: c.caseId });
    const onB = () => gql(B.gatewayUrl, who, CaseWithCitizenDocument, { id: c.caseId });
    const first = await callsOf(onA);
    expect(first.result.body.errors).toBeUndefined();
    expect(first.calls.crm).toBeGreaterThan(0);
    const fromB = await callsOf(onB);
    expect(fromB.result.body.data).toEqual(first.result.body.data);
    expect(fromB.calls.crm ?? 0).toBe(0);

    const added = await gql(A.gatewayUrl, who, AddCaseCommentDocument, {
      input: { caseId: c.caseId, body: 'Seen on B?', idempotencyKey: 'read-cache-redis-01' },
    });
    expect(added.body.data?.addCaseComment.userErrors).toEqual([]);
    const after = await callsOf(onB);
    expect(after.calls.crm).toBeGreaterThan(0);
    expect(after.result.body.data?.case?.comments.map((x) => x.body)).toContain('Seen on B?');
  });

  test('Redis killed mid-test: answers continue, uncached', async () => {
    const c = await live.citizenWithCase(1);
    const who = { authorization: c.authorization };
    const read = () => gql(A.gatewayUrl, who, CaseWithCitizenDocument, { id: c.caseId });
    const warm = await read();
    expect(warm.body.errors).toBeUndefined();
    expect((await callsOf(read)).calls.crm ?? 0).toBe(0);

    const closed = Promise.all([
      new Promise((r) => redisA.once('close', r)),
      new Promise((r) => redisB.once('close', r)),
    ]);
    await server.stop();
    await closed;

    try {
      for (const round of [1, 2]) {
        const res = await callsOf(read);
        expect({ round, errors: res.result.body.errors }).toEqual({ round, errors: undefined });
        expect(res.result.body.data).toEqual(warm.body.data);
        // Bypassed: every read goes to Salesforce, none is kept anywhere meanwhile.
        expect(res.calls.crm).toBeGreaterThan(0);
      }
    } finally {
      // Back where its clients expect it, so the replicas stop cleanly.
      server = await startRedisServer({ port: server.port });
    }
  });
});

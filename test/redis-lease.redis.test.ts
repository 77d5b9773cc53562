// lib/redis/lease.ts on a real redis-server: one holder at a time, a renewal keeps it, a release
// hands it over at once, an expired one is taken by another with a higher fence — and the old
// holder can then neither renew nor write (fenced). The lease outlasts the test (no step races its
// expiry on a slow machine); its expiry is played by Redis's own clock: PTTL shows the lease set it,
// PEXPIRE 1 moves it to now, and the test waits for the key to be gone, never sleeps on it.
import type { Redis } from 'ioredis';
import { connectRedis } from '../lib/redis/connect.js';
import { RedisLease } from '../lib/redis/lease.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from './support/redis-server.js';
import { budget } from './support/budget.js';
import { waitFor } from './support/wait-for.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;

describeRedis('a fenced lease on Redis', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = connectRedis({ url: server.url });
  });
  afterAll(async () => {
    await redis?.quit();
    await server?.stop();
  });

  const fence = (token: string | undefined) => Number(token!.split(':')[0]);

  test('one holder; released, the other takes it at once; expired, the old holder is fenced out', async () => {
    const leaseMs = budget(1);
    const a = new RedisLease(redis, 'job', leaseMs);
    const b = new RedisLease(redis, 'job', leaseMs);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await a.acquire()).toBe(true); // still its own: kept
    expect(await a.renew()).toBe(true);
    const first = a.held;
    await a.release();
    expect(await b.acquire()).toBe(true);
    expect(fence(b.held)).toBeGreaterThan(fence(first));

    // B stops renewing (a paused or dead process): once the key is gone A takes it, and B's
    // writes are refused from then on.
    const ttl = await redis.pttl(b.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(leaseMs);
    await redis.pexpire(b.key, 1);
    await waitFor(async () => (await redis.exists(b.key)) === 0, { what: "B's lease to expire" });
    expect(await a.acquire()).toBe(true);
    expect(fence(a.held)).toBeGreaterThan(fence(b.held));
    expect(await b.fenced('ch', 'late', 'job:value', 'stale')).toBe(false);
    expect(b.held).toBeUndefined();
    expect(await b.renew()).toBe(false);
    expect(await a.fenced('ch', '', 'job:value', 'fresh')).toBe(true);
    expect(await redis.get('job:value')).toBe('fresh');
  });
});

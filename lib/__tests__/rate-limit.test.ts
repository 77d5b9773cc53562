// The RateLimiter contract (lib/rate-limit.ts), held by both implementations: the in-process one
// and the Redis one every replica shares (a real redis-server; skipped where none is installed,
// a failure in CI).
import type { Redis } from 'ioredis';
import { InMemoryRateLimiter, type RateLimiter } from '../rate-limit.js';
import { RedisRateLimiter, ResilientRateLimiter } from '../redis/rate-limiter.js';
import { connectRedis, redisErrorCount } from '../redis/connect.js';
import { RedisKeyValueCache } from '../redis/key-value-cache.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from '../../test/support/redis-server.js';

let server: RedisServer | undefined;
let redis: Redis | undefined;
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

type Make = (now?: () => number) => RateLimiter;
const inMemory: Make = (now) => new InMemoryRateLimiter({}, now);
// Each limiter its own key space: a flush between tests keeps them independent.
const onRedis: Make = (now) => new RedisRateLimiter(redis!, now);

const limiters: Array<[string, Make]> = [['in memory', inMemory]];
if (HAS_REDIS) limiters.push(['on Redis', onRedis]);

describe.each(limiters)('rate limiter %s', (name, make) => {
  beforeAll(async () => {
    if (name !== 'on Redis') return;
    server = await startRedisServer();
    redis = connectRedis({ url: server.url });
  });
  beforeEach(async () => {
    await redis?.flushall();
  });

  test('parallel reservations never exceed the limit, on every key at once', async () => {
    const limiter = make();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.reserve(
          [
            { key: 'u:alice', limit: 5 },
            { key: 'a:1.2.3.4', limit: 50 },
          ],
          900,
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    // The address booked exactly the 5 that passed, not 20.
    const more = await Promise.all(
      Array.from({ length: 50 }, () => limiter.reserve([{ key: 'a:1.2.3.4', limit: 50 }], 900)),
    );
    expect(more.filter((r) => r.ok)).toHaveLength(45);
  });

  test('release gives the attempt back; clear forgets the key', async () => {
    const limiter = make();
    const keys = [{ key: 'k', limit: 1 }];
    const first = await limiter.reserve(keys, 60);
    expect(first.ok).toBe(true);
    expect((await limiter.reserve(keys, 60)).ok).toBe(false);
    if (first.ok) await first.release();
    expect((await limiter.reserve(keys, 60)).ok).toBe(true);
    await limiter.clear('k');
    expect((await limiter.reserve(keys, 60)).ok).toBe(true);
  });

  test('weights are charged, refusals say when to retry, and the window slides', async () => {
    let now = 1_000_000;
    const limiter = make(() => now);
    const keys = [{ key: 'p:citizen', limit: 100 }];
    expect((await limiter.reserve(keys, 60, 70)).ok).toBe(true);
    now += 20_000;
    const refused = await limiter.reserve(keys, 60, 40);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 40 });
    expect((await limiter.reserve(keys, 60, 30)).ok).toBe(true);
    now += 41_000; // the first 70 left the window
    expect((await limiter.reserve(keys, 60, 60)).ok).toBe(true);
  });

  test('a busy key with thousands of bookings slides exactly, and a late release gives nothing back twice', async () => {
    // 2 000 bookings one millisecond apart (3 000 round trips on Redis: enough to slide across
    // thousands of entries, few enough for a loaded machine).
    const N = 2_000;
    let now = 1_000_000;
    const limiter = make(() => now);
    const keys = [{ key: 'p:integration', limit: N }];
    const first = await limiter.reserve(keys, 60);
    for (let i = 1; i < N; i++) {
      now += 1; // one booking per millisecond
      expect((await limiter.reserve(keys, 60)).ok).toBe(true);
    }
    // Full: the oldest booking (at 1_000_000) leaves at 1_060_000, 58.001 s from now.
    expect(await limiter.reserve(keys, 60)).toEqual({ ok: false, retryAfterSeconds: 59 });
    now = 1_060_000 + N / 2 - 1; // bookings at 1_000_000 … 1_000_999 left: N / 2 units free
    for (let i = 0; i < N / 2; i++) expect((await limiter.reserve(keys, 60)).ok).toBe(true);
    expect((await limiter.reserve(keys, 60)).ok).toBe(false);
    // The first booking already left the window: releasing it now frees nothing.
    if (first.ok) await first.release();
    expect((await limiter.reserve(keys, 60)).ok).toBe(false);
  });
});

(HAS_REDIS ? test : test.skip)(
  'on Redis, a counter lost on its own (evicted) is rebuilt from the bookings, not read as 0',
  async () => {
    const own = await startRedisServer();
    const client = connectRedis({ url: own.url });
    try {
      const limiter = new RedisRateLimiter(client);
      const keys = [{ key: 'p:evicted', limit: 3 }];
      for (let i = 0; i < 3; i++) expect((await limiter.reserve(keys, 60)).ok).toBe(true);
      await client.del('limit:{p:evicted}:used');
      expect((await limiter.reserve(keys, 60)).ok).toBe(false);
    } finally {
      await client.quit();
      await own.stop();
    }
  },
);

(HAS_REDIS ? test : test.skip)(
  'Redis down: budgets fall back to per-process limits, lockouts refuse at once; a cache keeps answering from memory',
  async () => {
    const own = await startRedisServer();
    const client = connectRedis({ url: own.url, commandTimeoutMs: 200 });
    await client.ping();
    const closed = new Promise((r) => client.once('close', r));
    await own.stop();
    await closed;
    try {
      const keys = [{ key: 'p:down', limit: 2 }];
      const budget = new ResilientRateLimiter(client, 'per-process');
      const lockout = new ResilientRateLimiter(client, 'refuse');
      const started = Date.now();
      // Budgets: this process's own limit holds.
      expect((await budget.reserve(keys, 60)).ok).toBe(true);
      expect((await budget.reserve(keys, 60)).ok).toBe(true);
      expect(await budget.reserve(keys, 60)).toMatchObject({ ok: false });
      // Lockouts: refused, with a short hint, however much room there was.
      expect(await lockout.reserve([{ key: 'login:x', limit: 100 }], 60)).toEqual({
        ok: false,
        retryAfterSeconds: 1,
      });
      await expect(lockout.clear('login:x')).resolves.toBeUndefined();
      // A cache (APQ): what is set during the outage is found in memory.
      const apq = new RedisKeyValueCache(client, 'apq');
      await apq.set('doc', 'query { x }', { ttl: 60 });
      expect(await apq.get('doc')).toBe('query { x }');
      expect(await apq.delete('doc')).toBe(true);
      expect(await apq.get('doc')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await redisErrorCount('limiter')).toBeGreaterThanOrEqual(3);
      expect(await redisErrorCount('cache')).toBeGreaterThanOrEqual(3);
    } finally {
      client.disconnect();
    }
  },
);

import { InMemoryRateLimiter } from '../rate-limit.js';

test('parallel reservations never exceed the limit, on every key at once', async () => {
  const limiter = new InMemoryRateLimiter();
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
  const limiter = new InMemoryRateLimiter();
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
  const limiter = new InMemoryRateLimiter({}, () => now);
  const keys = [{ key: 'p:citizen', limit: 100 }];
  expect((await limiter.reserve(keys, 60, 70)).ok).toBe(true);
  now += 20_000;
  const refused = await limiter.reserve(keys, 60, 40);
  expect(refused).toEqual({ ok: false, retryAfterSeconds: 40 });
  expect((await limiter.reserve(keys, 60, 30)).ok).toBe(true);
  now += 41_000; // the first 70 left the window
  expect((await limiter.reserve(keys, 60, 60)).ok).toBe(true);
});

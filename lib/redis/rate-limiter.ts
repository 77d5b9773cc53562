// RateLimiter on Redis (lib/rate-limit.ts has the contract): one sorted set per key, a booking
// is a member `{id}:{weight}` scored by its time, and beside it a counter of the units inside the
// window. A Lua script checks every key's window and books on all of them in one atomic step, so
// the limit holds across every replica.
//
// Why the counter: Redis runs one script at a time for every replica, and summing a busy key's
// whole set on every request (an integration client books thousands a minute) made each
// reservation O(n) for the whole fleet. Now a reservation reads the counter and subtracts only
// the bookings that just left the window; only a refusal walks the set (to say when to retry).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  InMemoryRateLimiter,
  type LimitKey,
  type RateLimiter,
  type Reservation,
} from '../rate-limit.js';
import { countRedisError } from './connect.js';

// KEYS: per limit key, its set and its counter (`limit:{k}`, `limit:{k}:used`: one hash slot).
// ARGV: now(ms), window(ms), weight, member, limits...
// Returns 0 when booked, else the ms until the key that refused has room.
const RESERVE = `
local now, window, weight, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local function weight_of(m) return tonumber(string.match(m, ':(%d+)$')) end
local wait = 0
for i = 1, #KEYS, 2 do
  local set, counter = KEYS[i], KEYS[i + 1]
  local used = 0
  if redis.call('EXISTS', set) == 1 then
    local kept = redis.call('GET', counter)
    if kept then
      used = tonumber(kept)
    else
      -- The counter is gone but the set is not (evicted on its own): count the set once.
      for _, m in ipairs(redis.call('ZRANGE', set, 0, -1)) do used = used + weight_of(m) end
      redis.call('SET', counter, used, 'PX', window)
    end
    local gone = redis.call('ZRANGEBYSCORE', set, '-inf', now - window)
    if #gone > 0 then
      for _, m in ipairs(gone) do used = used - weight_of(m) end
      redis.call('ZREMRANGEBYSCORE', set, '-inf', now - window)
      redis.call('SET', counter, used, 'PX', window)
    end
  end
  local limit = tonumber(ARGV[4 + (i + 1) / 2])
  if used + weight > limit then
    local entries = redis.call('ZRANGE', set, 0, -1, 'WITHSCORES')
    local excess, freed, w = used + weight - limit, 0, window
    for j = 1, #entries, 2 do
      freed = freed + weight_of(entries[j])
      if freed >= excess then w = tonumber(entries[j + 1]) + window - now break end
    end
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS, 2 do
  local set, counter = KEYS[i], KEYS[i + 1]
  if redis.call('EXISTS', set) == 0 then redis.call('DEL', counter) end
  redis.call('ZADD', set, now, member)
  redis.call('INCRBY', counter, weight)
  redis.call('PEXPIRE', set, window)
  redis.call('PEXPIRE', counter, window)
end
return 0
`;

// KEYS: as RESERVE's. ARGV: member, weight. A booking still in its set is taken out and its units
// given back; one that already left the window was subtracted then, not again now.
const RELEASE = `
for i = 1, #KEYS, 2 do
  if redis.call('ZREM', KEYS[i], ARGV[1]) == 1 then
    redis.call('DECRBY', KEYS[i + 1], tonumber(ARGV[2]))
  end
end
return 0
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(keys: LimitKey[], windowSeconds: number, weight = 1): Promise<Reservation> {
    const units = Math.max(1, Math.round(weight));
    const member = `${randomUUID()}:${units}`;
    // The braces make a key's set and counter one hash slot (Redis Cluster runs the script on it).
    const names = keys.flatMap((k) => [`limit:{${k.key}}`, `limit:{${k.key}}:used`]);
    const waitMs = Number(
      await this.redis.eval(
        RESERVE,
        names.length,
        ...names,
        this.now(),
        windowSeconds * 1000,
        units,
        member,
        ...keys.map((k) => k.limit),
      ),
    );
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    return {
      ok: true,
      release: async () => {
        await this.redis.eval(RELEASE, names.length, ...names, member, units);
      },
    };
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(`limit:{${key}}`, `limit:{${key}}:used`);
  }
}

/**
 * What a limiter on Redis does while Redis fails (down, or slower than its command timeout):
 * - `per-process`: budgets and rate limits — each process enforces its own limits in memory
 *   until Redis answers again (a fleet of N replicas then allows up to N times the limit);
 * - `refuse`: lockouts (sign-in, passcode limits) — fail closed: every reservation is refused at
 *   once with a short retry hint, never let through unlimited.
 * Every failure is counted (redis_errors_total{operation="limiter"}).
 */
export type WhenRedisFails = 'per-process' | 'refuse';

export class ResilientRateLimiter implements RateLimiter {
  private readonly shared: RedisRateLimiter;
  private readonly local = new InMemoryRateLimiter();

  constructor(
    redis: Redis,
    private readonly whenDown: WhenRedisFails,
    now: () => number = Date.now,
  ) {
    this.shared = new RedisRateLimiter(redis, now);
  }

  async reserve(keys: LimitKey[], windowSeconds: number, weight = 1): Promise<Reservation> {
    let r: Reservation;
    try {
      r = await this.shared.reserve(keys, windowSeconds, weight);
    } catch (err) {
      countRedisError('limiter', err);
      if (this.whenDown === 'refuse') return { ok: false, retryAfterSeconds: 1 };
      return this.local.reserve(keys, windowSeconds, weight);
    }
    if (!r.ok) return r;
    const release = r.release;
    return {
      ok: true,
      release: () => release().catch((err: unknown) => countRedisError('limiter', err)),
    };
  }

  async clear(key: string): Promise<void> {
    await this.local.clear(key);
    await this.shared.clear(key).catch((err: unknown) => countRedisError('limiter', err));
  }
}

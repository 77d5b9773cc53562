// RateLimiter on Redis (lib/rate-limit.ts has the contract): one sorted set per key, a booking
// is a member `{id}:{weight}` scored by its time. A Lua script checks every key's window and
// books on all of them in one atomic step, so the limit holds across every replica.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LimitKey, RateLimiter, Reservation } from '../rate-limit.js';

// KEYS: the limit keys. ARGV: now(ms), window(ms), weight, member, limits...
// Returns 0 when booked, else the ms until the key that refused has room.
const RESERVE = `
local now, window, weight, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[4 + i])
  local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  local used = 0
  for j = 1, #entries, 2 do used = used + tonumber(string.match(entries[j], ':(%d+)$')) end
  if used + weight > limit then
    local excess, freed, w = used + weight - limit, 0, window
    for j = 1, #entries, 2 do
      freed = freed + tonumber(string.match(entries[j], ':(%d+)$'))
      if freed >= excess then w = tonumber(entries[j + 1]) + window - now break end
    end
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
end
return 0
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {}

  async reserve(keys: LimitKey[], windowSeconds: number, weight = 1): Promise<Reservation> {
    const member = `${randomUUID()}:${Math.max(1, Math.round(weight))}`;
    const names = keys.map((k) => `limit:${k.key}`);
    const waitMs = Number(
      await this.redis.eval(
        RESERVE,
        names.length,
        ...names,
        this.now(),
        windowSeconds * 1000,
        Math.max(1, Math.round(weight)),
        member,
        ...keys.map((k) => k.limit),
      ),
    );
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    return {
      ok: true,
      release: async () => {
        await Promise.all(names.map((n) => this.redis.zrem(n, member)));
      },
    };
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(`limit:${key}`);
  }
}

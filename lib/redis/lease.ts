// A lease on Redis: one holder at a time among every replica for a named job (the Pub/Sub
// consumer of a topic). `SET NX PX` taken in a script that also bumps a fence counter, so each
// holding has a token `{fence}:{holder}` no earlier holding shares; renewed (compare-and-PEXPIRE)
// every third of its time; given back (compare-and-delete) on a clean stop. A holder that dies
// keeps it until it expires; then another takes it. Writes that must come from the current
// holder only (a checkpoint) go through `fenced`, which checks the token in the same script.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// KEYS: lease, fence. ARGV: ttl ms, holder id, the token held now ('' if none).
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur and cur == ARGV[3] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) return cur end
if cur then return false end
local token = redis.call('INCR', KEYS[2]) .. ':' .. ARGV[2]
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token
`;
// KEYS: lease. ARGV: token, ttl ms.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
// KEYS: lease, value key. ARGV: token, channel, message ('' = none), value ('' = none).
const FENCED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
return 1
`;

export class RedisLease {
  private token = '';
  /** Who holds it, as written in the token (unique per lease object). */
  readonly holder = randomUUID();

  constructor(
    private readonly redis: Redis,
    /** The lease's key (`lease:{name}`; its fence counter `lease:{name}:fence`). */
    readonly name: string,
    readonly ttlMs: number,
  ) {}

  get key() {
    return `lease:{${this.name}}`;
  }

  /** The token of the holding, while this object holds it. */
  get held(): string | undefined {
    return this.token || undefined;
  }

  /** Takes the lease if free (or keeps it, if this object still holds it). */
  async acquire(): Promise<boolean> {
    const token = (await this.redis.eval(
      ACQUIRE,
      2,
      this.key,
      `${this.key}:fence`,
      this.ttlMs,
      this.holder,
      this.token,
    )) as string | null;
    this.token = token ?? '';
    return !!token;
  }

  /** Extends the holding; false (and no longer held) when it was lost. */
  async renew(): Promise<boolean> {
    if (!this.token) return false;
    const ok = Number(await this.redis.eval(RENEW, 1, this.key, this.token, this.ttlMs)) === 1;
    if (!ok) this.token = '';
    return ok;
  }

  /** Gives it back if still held (so another replica takes it at once). */
  async release(): Promise<void> {
    const token = this.token;
    this.token = '';
    if (token) await this.redis.eval(RELEASE, 1, this.key, token);
  }

  /**
   * Only while this holding is current, atomically: publishes `message` on `channel` and sets
   * `key` to `value` (either may be ''). False when the lease is no longer this holding's.
   */
  async fenced(channel: string, message: string, key: string, value: string): Promise<boolean> {
    if (!this.token) return false;
    const ok =
      Number(
        await this.redis.eval(FENCED, 2, this.key, key, this.token, channel, message, value),
      ) === 1;
    if (!ok) this.token = '';
    return ok;
  }
}

// KeyedLock on Redis (lib/keyed-lock.ts has the contract): `SET lock:{key} {token} NX PX ttl`
// to take it, a compare-and-delete script to give it back, so racing retries of one write on
// two replicas run one after the other. The lease (ttl) bounds how long a crashed holder can
// block the key; waiters poll with a small jittered backoff, bounded by `maxWaitMs`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyedLock } from '../keyed-lock.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisKeyedLock implements KeyedLock {
  constructor(
    private readonly redis: Redis,
    private readonly o: { leaseMs?: number; maxWaitMs?: number } = {},
  ) {}

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `lock:${key}`;
    const token = randomUUID();
    const lease = this.o.leaseMs ?? 30_000;
    const until = Date.now() + (this.o.maxWaitMs ?? 30_000);
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      if ((await this.redis.set(name, token, 'PX', lease, 'NX')) === 'OK') break;
      if (Date.now() > until) throw new Error(`lock ${key} not acquired in time`);
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, name, token);
    }
  }
}

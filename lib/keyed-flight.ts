// Single flight per key: callers asking for the same key while a call is in flight share its
// promise instead of starting another (one upstream refresh for N racing requests). With
// `rememberMs`, a successful answer is also kept that long, so a caller that arrives just after
// the call finished gets the same answer instead of calling again (a catalogue). Never for
// answers that are credentials: a late caller holding the same key must not receive them.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export class KeyedFlight<T extends object | null> {
  private readonly inFlight = new Map<string, Promise<T>>();
  private readonly recent?: LRUCache<string, NonNullable<T>>;

  constructor(o: { rememberMs?: number; maxRemembered?: number } = {}) {
    if (o.rememberMs)
      this.recent = new LRUCache({ max: o.maxRemembered ?? 10_000, ttl: o.rememberMs });
  }

  run(key: string, fn: () => Promise<T>): Promise<T> {
    // Keys may be secrets (refresh tokens): only their hash is kept.
    const k = createHash('sha256').update(key).digest('base64url');
    const remembered = this.recent?.get(k);
    if (remembered) return Promise.resolve(remembered);
    const running = this.inFlight.get(k);
    if (running) return running;
    const p = fn()
      .then((v) => {
        if (v !== null) this.recent?.set(k, v as NonNullable<T>);
        return v;
      })
      .finally(() => this.inFlight.delete(k));
    this.inFlight.set(k, p);
    return p;
  }
}

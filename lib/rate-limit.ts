// Sliding-window limits behind one interface: login and reset attempts per username and per
// client address (session subgraph), and Salesforce calls per principal (gateway).
//
// `reserve` is atomic: it checks every key against its limit and, only if all have room, books
// the attempt on all of them in the same step, so N parallel requests can never all pass a
// limit of 5. A reservation counts until it is released (`release`: the attempt turned out not
// to count, e.g. a login that succeeded). `RateLimiter` is the seam the operations work backs
// with Redis (a Lua script doing the same check-and-book); `InMemoryRateLimiter` is the
// single-process default.
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface LimitKey {
  key: string;
  /** Units allowed inside the window. */
  limit: number;
}

export type Reservation =
  | { ok: true; release(): Promise<void> }
  | {
      ok: false;
      /** Whole seconds until the key that refused has room again (≥ 1). */ retryAfterSeconds: number;
    };

export interface RateLimiter {
  /** Books `weight` units on every key if all have room inside `windowSeconds`; else books nothing. */
  reserve(keys: LimitKey[], windowSeconds: number, weight?: number): Promise<Reservation>;
  /** Forgets every booking of a key (e.g. a username after a successful login). */
  clear(key: string): Promise<void>;
}

interface Booking {
  id: string;
  at: number;
  weight: number;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly bookings: LRUCache<string, Booking[]>;

  constructor(
    o: { maxKeys?: number } = {},
    private readonly now: () => number = Date.now,
  ) {
    this.bookings = new LRUCache({ max: o.maxKeys ?? 100_000 });
  }

  reserve(keys: LimitKey[], windowSeconds: number, weight = 1): Promise<Reservation> {
    const now = this.now();
    const windowMs = windowSeconds * 1000;
    let wait = 0;
    const live = keys.map(({ key, limit }) => {
      const list = (this.bookings.get(key) ?? []).filter((b) => b.at > now - windowMs);
      const used = list.reduce((n, b) => n + b.weight, 0);
      if (used + weight > limit)
        wait = Math.max(wait, this.waitFor(list, used + weight - limit, now, windowMs));
      return { key, list };
    });
    if (wait > 0) return Promise.resolve({ ok: false, retryAfterSeconds: wait });
    // Check and book in one synchronous step: no other request runs in between.
    const id = randomUUID();
    for (const { key, list } of live) this.bookings.set(key, [...list, { id, at: now, weight }]);
    return Promise.resolve({
      ok: true,
      release: () => {
        for (const { key } of live) {
          const list = this.bookings.get(key);
          if (list)
            this.bookings.set(
              key,
              list.filter((b) => b.id !== id),
            );
        }
        return Promise.resolve();
      },
    });
  }

  clear(key: string): Promise<void> {
    this.bookings.delete(key);
    return Promise.resolve();
  }

  /** Seconds until enough of the oldest bookings leave the window to free `excess` units. */
  private waitFor(list: Booking[], excess: number, now: number, windowMs: number): number {
    let freed = 0;
    for (const b of list) {
      freed += b.weight;
      if (freed >= excess) return Math.max(1, Math.ceil((b.at + windowMs - now) / 1000));
    }
    // More than the whole limit at once: it never fits; say "a window from now".
    return Math.max(1, Math.ceil(windowMs / 1000));
  }
}

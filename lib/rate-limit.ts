// Sliding-window limits behind one interface: login and reset attempts per username and per
// client address (session subgraph), and Salesforce calls per principal (gateway).
//
// `reserve` is atomic: it checks every key against its limit and, only if all have room, books
// the attempt on all of them in the same step, so N parallel requests can never all pass a
// limit of 5. A reservation counts until it is released (`release`: the attempt turned out not
// to count, e.g. a login that succeeded). `RateLimiter` is the seam the operations work backs
// with Redis (a Lua script doing the same check-and-book); `InMemoryRateLimiter` is the
// single-process default.
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
  at: number;
  /** Set to 0 when the booking leaves the window or is released (never counted twice). */
  weight: number;
}

/**
 * One key's bookings in time order, with the running total of those inside the window: a
 * reservation costs O(1) however many bookings a busy key holds (an integration client spends
 * thousands per minute), where summing the whole list on every request was O(n) in time and
 * garbage.
 */
interface KeyWindow {
  list: Booking[];
  /** list[head…] are inside the window. */
  head: number;
  used: number;
  /** The longest window this key was booked with (a key is normally booked with one). */
  windowMs: number;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly bookings: LRUCache<string, KeyWindow>;

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
      const w = this.windowOf(key, windowMs, now);
      const used = this.usedWithin(w, windowMs, now);
      if (used + weight > limit)
        wait = Math.max(wait, this.waitFor(w, used + weight - limit, now, windowMs));
      return w;
    });
    if (wait > 0) return Promise.resolve({ ok: false, retryAfterSeconds: wait });
    // Check and book in one synchronous step: no other request runs in between.
    const booked = live.map((w) => {
      const b: Booking = { at: now, weight };
      w.list.push(b);
      w.used += weight;
      return { w, b };
    });
    return Promise.resolve({
      ok: true,
      release: () => {
        for (const { w, b } of booked) {
          w.used -= b.weight;
          b.weight = 0;
        }
        return Promise.resolve();
      },
    });
  }

  /** The key's window with the bookings older than it dropped (created on first use). */
  private windowOf(key: string, windowMs: number, now: number): KeyWindow {
    let w = this.bookings.get(key);
    if (!w) this.bookings.set(key, (w = { list: [], head: 0, used: 0, windowMs }));
    w.windowMs = Math.max(w.windowMs, windowMs);
    const from = now - w.windowMs;
    while (w.head < w.list.length && w.list[w.head].at <= from) {
      const b = w.list[w.head++];
      w.used -= b.weight;
      b.weight = 0;
    }
    // Let go of the dropped prefix once it is most of the list.
    if (w.head > 64 && w.head * 2 > w.list.length) {
      w.list = w.list.slice(w.head);
      w.head = 0;
    }
    return w;
  }

  /** Units booked inside `windowMs` (the running total, unless the key keeps a longer window). */
  private usedWithin(w: KeyWindow, windowMs: number, now: number): number {
    if (windowMs === w.windowMs) return w.used;
    let used = 0;
    for (let i = w.head; i < w.list.length; i++)
      if (w.list[i].at > now - windowMs) used += w.list[i].weight;
    return used;
  }

  clear(key: string): Promise<void> {
    this.bookings.delete(key);
    return Promise.resolve();
  }

  /** Seconds until enough of the oldest bookings leave the window to free `excess` units. */
  private waitFor(w: KeyWindow, excess: number, now: number, windowMs: number): number {
    let freed = 0;
    for (let i = w.head; i < w.list.length; i++) {
      const b = w.list[i];
      if (b.at <= now - windowMs) continue;
      freed += b.weight;
      if (freed >= excess) return Math.max(1, Math.ceil((b.at + windowMs - now) / 1000));
    }
    // More than the whole limit at once: it never fits; say "a window from now".
    return Math.max(1, Math.ceil(windowMs / 1000));
  }
}

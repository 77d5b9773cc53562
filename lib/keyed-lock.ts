// Serialises work per key: while one holder runs, later callers with the same key wait for it,
// then run in turn. Idempotent writes use it so that racing retries of one request (a client
// that timed out and sent again while the first attempt is still in flight) run one after the
// other: the second finds what the first wrote instead of writing it again.
//
// `KeyedLock` is the seam the operations work backs with Redis (a lock shared by replicas);
// `InMemoryKeyedLock` is the single-process default.

export interface KeyedLock {
  /** Runs `fn` once no other holder of `key` is running; resolves or rejects with `fn`'s result. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export class InMemoryKeyedLock implements KeyedLock {
  /** key → the tail of its queue (settles when the last queued holder is done). */
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const mine = previous.then(fn, fn);
    // The queue continues whether this holder succeeded or failed.
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      // Forget the key once nobody queued behind us, so the map stays bounded by live keys.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a holder running or queued (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

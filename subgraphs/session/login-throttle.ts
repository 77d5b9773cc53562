// Brute-force protection for login: failed attempts are counted per username and per client
// address in a sliding window, in memory (bounded LRU). Past the limit the login is refused with
// RATE_LIMITED before Salesforce is asked, for that username or address only — other users are
// never locked out. A successful login clears the username's count.
import { LRUCache } from 'lru-cache';

export interface LoginThrottleOptions {
  /** Failed attempts allowed per username inside the window. */
  perUsername: number;
  /** Failed attempts allowed per client address inside the window (many usernames, one source). */
  perAddress: number;
  windowSeconds: number;
  /** Most keys remembered; the oldest are forgotten first. */
  maxKeys?: number;
}

export class LoginThrottle {
  private readonly failures: LRUCache<string, number[]>;

  constructor(
    private readonly o: LoginThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new LRUCache({ max: o.maxKeys ?? 100_000 });
  }

  /** Seconds until another attempt is allowed, or 0 when it may go ahead. */
  retryAfter(username: string, address: string | undefined): number {
    const user = this.wait(`u:${username.toLowerCase()}`, this.o.perUsername);
    const addr = address ? this.wait(`a:${address}`, this.o.perAddress) : 0;
    return Math.max(user, addr);
  }

  recordFailure(username: string, address: string | undefined): void {
    this.push(`u:${username.toLowerCase()}`);
    if (address) this.push(`a:${address}`);
  }

  recordSuccess(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.o.windowSeconds * 1000;
    return (this.failures.get(key) ?? []).filter((t) => t > since);
  }

  private push(key: string): void {
    this.failures.set(key, [...this.recent(key), this.now()]);
  }

  private wait(key: string, limit: number): number {
    const recent = this.recent(key);
    if (recent.length < limit) return 0;
    const oldest = recent[recent.length - limit];
    return Math.max(1, Math.ceil((oldest + this.o.windowSeconds * 1000 - this.now()) / 1000));
  }
}

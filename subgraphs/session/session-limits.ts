// Abuse limits of the Session subgraph, on the shared RateLimiter (lib/rate-limit.ts) so that
// a Redis-backed limiter makes them hold across replicas:
// - sign-in attempts per (username, client address), per username from all addresses (a
//   higher ceiling) and per client address: booked BEFORE Salesforce is asked and given back on
//   success, so parallel wrong passwords cannot all get through. A stranger's wrong passwords
//   lock only the stranger's address out for that username; the citizen signs in from their
//   own. Many addresses together still meet the per-username ceiling, which a completed
//   password reset clears: a lockout never blocks a password reset (its limits are its own);
// - passcode mails (registration, password reset) per username and per address;
// - passcode guesses per username (reset) or identifier (registration), in a window that a new
//   mail does not reset: asking for another passcode never buys more guesses.
import type { RateLimiter, Reservation } from '../../lib/rate-limit.js';
import type { SessionConfig } from './config.js';

export type Booked = Extract<Reservation, { ok: true }>;

export class SessionLimits {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly o: SessionConfig['limits'],
  ) {}

  /** One sign-in attempt for `username` from `address`. */
  signIn(username: string, address: string | undefined): Promise<Reservation> {
    const u = username.toLowerCase();
    return this.limiter.reserve(
      [
        { key: loginKey(u, address), limit: this.o.loginPerUsername },
        { key: `login-u:${u}`, limit: this.o.loginPerUsernameAllAddresses },
        ...(address ? [{ key: `login-a:${address}`, limit: this.o.loginPerAddress }] : []),
      ],
      this.o.loginWindowSeconds,
    );
  }

  /** A successful sign-in gives its attempt back and forgets the username's failures. */
  async signedIn(username: string, address: string | undefined, booked: Booked): Promise<void> {
    await booked.release();
    await this.forgetLoginFailures(username, address);
  }

  /**
   * Forgets the username's failed sign-ins (all addresses together, and from `address`): after
   * a successful sign-in, and after a completed password reset, so that the citizen who proved
   * they own the account is not left locked out by someone else's guesses.
   */
  async forgetLoginFailures(username: string, address: string | undefined): Promise<void> {
    const u = username.toLowerCase();
    await this.limiter.clear(`login-u:${u}`);
    await this.limiter.clear(loginKey(u, address));
  }

  /** One passcode mail (registration or password reset) to `username`, asked from `address`. */
  passcodeMail(username: string, address: string | undefined): Promise<Reservation> {
    return this.limiter.reserve(
      [
        { key: `mail-u:${username.toLowerCase()}`, limit: this.o.mailsPerUsername },
        ...(address ? [{ key: `mail-a:${address}`, limit: this.o.mailsPerAddress }] : []),
      ],
      this.o.mailWindowSeconds,
    );
  }

  /** One passcode guess for a username or registration identifier. */
  passcodeGuess(subject: string): Promise<Reservation> {
    return this.limiter.reserve(
      [{ key: `otp:${subject.toLowerCase()}`, limit: this.o.passcodeGuesses }],
      this.o.mailWindowSeconds,
    );
  }
}

/** Failed sign-ins for one username from one client address. */
const loginKey = (username: string, address: string | undefined) =>
  `login-ua:${address ?? 'unknown'}:${username}`;

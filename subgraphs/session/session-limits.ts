// Abuse limits of the Session subgraph, on the shared RateLimiter (lib/rate-limit.ts) so that
// a Redis-backed limiter makes them hold across replicas:
// - sign-in attempts per username and per client address: booked BEFORE Salesforce is asked
//   and given back on success, so parallel wrong passwords cannot all get through;
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
    return this.limiter.reserve(
      [
        { key: `login-u:${username.toLowerCase()}`, limit: this.o.loginPerUsername },
        ...(address ? [{ key: `login-a:${address}`, limit: this.o.loginPerAddress }] : []),
      ],
      this.o.loginWindowSeconds,
    );
  }

  /** A successful sign-in gives its attempt back and forgets the username's failures. */
  async signedIn(username: string, booked: Booked): Promise<void> {
    await booked.release();
    await this.limiter.clear(`login-u:${username.toLowerCase()}`);
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

// Password hashing for Headless Identity users: scrypt with a per-user salt, compared in
// constant time. Seeded citizens share ONE hash (one salt for the whole seed batch) because they
// all use the demo password; hashing 100 000 passwords one by one would take minutes.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
}

const KEY_LENGTH = 32;
/** Node's default scrypt cost (N=16384, r=8, p=1): ~50 ms per check, fine for a login. */
const COST = { N: 16384, r: 8, p: 1 };

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): PasswordHash {
  return { hash: scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, COST), salt };
}

export function verifyPassword(password: string, stored: PasswordHash): boolean {
  const candidate = scryptSync(password.normalize('NFC'), stored.salt, KEY_LENGTH, COST);
  return timingSafeEqual(candidate, stored.hash);
}

/** A hash nobody's password matches: checked for unknown users so timing does not reveal them. */
export const DECOY_HASH: PasswordHash = hashPassword(randomBytes(24).toString('hex'));

/**
 * The org's password policy as the emulator enforces it (the default "8 characters, mix of
 * letters and numbers"). Returns the reason, or undefined when the password is acceptable.
 */
export function passwordProblem(password: unknown): string | undefined {
  if (typeof password !== 'string' || password.length < 8)
    return 'Your password must be at least 8 characters long.';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password))
    return 'Your password must include letters and numbers.';
  return undefined;
}

// One-time passcodes for registration, forgot password and passwordless login: 6 digits,
// valid for 10 minutes, single use, and void after too many wrong guesses.
import { randomInt, timingSafeEqual } from 'node:crypto';

export const OTP_TTL_MS = 10 * 60 * 1000;
export const OTP_MAX_ATTEMPTS = 5;

export interface OtpRecord {
  otp: string;
  expiresAt: number;
  attempts: number;
  used: boolean;
}

export function newOtp(now: number): OtpRecord {
  return {
    otp: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    expiresAt: now + OTP_TTL_MS,
    attempts: 0,
    used: false,
  };
}

export type OtpCheck = 'ok' | 'invalid' | 'expired';

/** Checks a guess; a correct guess consumes the passcode, a wrong one counts against the limit. */
export function checkOtp(record: OtpRecord | undefined, guess: unknown, now: number): OtpCheck {
  if (!record || record.used || record.attempts >= OTP_MAX_ATTEMPTS) return 'invalid';
  if (record.expiresAt <= now) return 'expired';
  const g = Buffer.from(String(guess ?? ''));
  const ok = g.length === record.otp.length && timingSafeEqual(g, Buffer.from(record.otp));
  if (!ok) {
    record.attempts++;
    return 'invalid';
  }
  record.used = true;
  return 'ok';
}

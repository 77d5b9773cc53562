// The stable userErrors codes of the Session subgraph (frontends switch on `code`), built with
// lib/graphql's userError.
import { userError, type UserError } from '../../lib/graphql/user-error.js';

export type { UserError };

const err = (code: string, message: string, field: string[] | null = null): UserError =>
  userError({ code, field, message });

export const UserErrors = {
  /** Same message whether or not the user exists. */
  invalidCredentials: () => err('INVALID_CREDENTIALS', 'The username or password is incorrect.'),
  invalidRefreshToken: () =>
    err('INVALID_REFRESH_TOKEN', 'The session has expired; sign in again.', ['refreshToken']),
  rateLimited: (retryAfterSeconds: number, what = 'sign-in attempts') =>
    err('RATE_LIMITED', `Too many ${what}; try again in ${retryAfterSeconds} seconds.`),
  notSignedIn: () => err('NOT_SIGNED_IN', 'There is no session to end.'),
  weakPassword: (field: string[]) =>
    err(
      'WEAK_PASSWORD',
      'The password must be at least 8 characters long and include letters and numbers.',
      field,
    ),
  invalidEmail: () => err('INVALID_EMAIL', 'The email address is not valid.', ['input', 'email']),
  invalidName: () => err('INVALID_INPUT', 'The last name is required.', ['input', 'lastName']),
  usernameTaken: () =>
    err('USERNAME_TAKEN', 'An account with this email address already exists.', ['input', 'email']),
  invalidPasscode: () =>
    err('INVALID_PASSCODE', 'The passcode is wrong or has expired.', ['input', 'otp']),
  rejected: () => err('INVALID_INPUT', 'The request was rejected.'),
  recaptchaFailed: (field: string[] | null) =>
    err('RECAPTCHA_FAILED', 'The reCAPTCHA check failed; solve it again and retry.', field),
};

/** The same policy the org enforces, checked before spending an upstream call. */
export function isWeakPassword(password: string): boolean {
  return password.length < 8 || !/[A-Za-z]/.test(password) || !/\d/.test(password);
}

export const isEmail = (v: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

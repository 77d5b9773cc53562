// What the Identity family keeps besides the org's records: credentials, authorization codes,
// pending registrations and passcodes. One state per seeded core (reseed starts afresh).
import type { EmulatorClock } from '../core/clock.js';
import type { EmulatorCore } from '../core/emulator-core.js';
import type { OtpRecord } from './otp.js';
import type { PasswordHash } from './passwords.js';

export interface Credential extends PasswordHash {
  userId: string;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  username: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export interface PendingRegistration {
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  password: PasswordHash;
  otp: OtpRecord;
}

export interface PendingPasswordless {
  username: string;
  otp: OtpRecord;
}

/**
 * The reCAPTCHA token the demo site accepts. Like Google's reCAPTCHA test keys it always
 * passes; any other token fails verification.
 */
export const DEMO_RECAPTCHA_TOKEN = 'emulator-recaptcha';

/**
 * reCAPTCHA verification of the site. Whether a flow requires it is the site's
 * NetworkAuthApiSettings row (IsRecaptchaRequiredRgstr, IsRecaptchaRequiredForgotPwd;
 * emulator/identity/headless.ts siteAuthSettings).
 * https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_login_registration_settings.htm
 */
export interface RecaptchaSetting {
  /** Tokens the (emulated) verification accepts. */
  validTokens: Set<string>;
}

/** Authorization codes are short-lived (real orgs: 15 minutes) and single-use. */
export const AUTH_CODE_TTL_MS = 15 * 60 * 1000;

export class IdentityState {
  constructor(private readonly clock: EmulatorClock) {}

  /** Lower-case username → credential. */
  readonly credentials = new Map<string, Credential>();
  /** Seeded citizen index by CRM User id (custom attributes, userinfo fallback). */
  readonly citizenByUserId = new Map<string, number>();
  readonly codes = new Map<string, AuthCode>();
  /** Registration identifier → pending registration. */
  readonly registrations = new Map<string, PendingRegistration>();
  /** Lower-case username → forgot-password passcode. */
  readonly resetOtps = new Map<string, OtpRecord>();
  readonly passwordless = new Map<string, PendingPasswordless>();
  /** Tests may change the accepted tokens. */
  readonly recaptcha: RecaptchaSetting = {
    validTokens: new Set([DEMO_RECAPTCHA_TOKEN]),
  };
  /** Tests move the clock of codes and passcodes forward (tokens have their own clock). */
  clockOffsetMs = 0;

  now(): number {
    return this.clock.now() + this.clockOffsetMs;
  }
}

export function identityState(core: EmulatorCore): IdentityState {
  return (core.families.identity ??= new IdentityState(core.clock));
}

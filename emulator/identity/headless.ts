// Headless registration, forgot password and passwordless login init endpoints (reference
// §4.3–4.5). Their error bodies are UNCONFIRMED (the Mobile SDK only checks the status), so the
// emulator answers 400 {error, error_description} with these `error` values:
//   invalid_request     missing or malformed field, unsupported verification method
//   invalid_password    the password breaks the policy (8+ characters, letters and digits)
//   duplicate_username  registration for a username that already exists
//   invalid_otp         forgot password step 2 with a wrong, expired, used or unknown passcode
//   invalid_recaptcha   the site requires reCAPTCHA and `recaptcha` (or `recaptchaevent.token`)
//                       is missing or fails verification. The docs only say that forgot password
//                       answers otp_sent "if reCAPTCHA validation succeeds" — so a failed one
//                       answers an error before anything else is looked at; the body is ours.
// https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_recaptcha.htm
// https://developer.salesforce.com/docs/atlas.en-us.headless_identity.meta/headless_identity/headless_identity_postman_forgotpassword_initialize.htm
import express, { Router, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import { sendOAuthError } from '../core/error-bodies.js';
import { sfDateTime } from '../ids.js';
import { checkOtp, newOtp } from './otp.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { identityState } from './state.js';
import { COMMUNITY_PROFILE } from '../crm/seed.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * True when the site does not require reCAPTCHA or the request carries a token that passes.
 * Classic reCAPTCHA sends `recaptcha`; reCAPTCHA Enterprise `recaptchaevent.token` (Mobile SDK
 * NativeLoginManagerInternal, StartRegistrationRequestBody / StartPasswordResetRequestBody).
 */
function recaptchaPasses(core: EmulatorCore, body: Record<string, unknown>): boolean {
  const { recaptcha } = identityState(core);
  if (!recaptcha.required) return true;
  const event = body.recaptchaevent as Record<string, unknown> | undefined;
  const token =
    typeof body.recaptcha === 'string'
      ? body.recaptcha
      : typeof event?.token === 'string'
        ? event.token
        : '';
  return !!token && recaptcha.validTokens.has(token);
}

const refuseRecaptcha = (res: Response) =>
  sendOAuthError(res, 400, 'invalid_recaptcha', 'reCAPTCHA validation failed');

export function createHeadlessRouter(core: EmulatorCore): Router {
  const r = Router();
  const state = identityState(core);
  r.use('/services/auth/headless', express.json({ limit: '100kb' }));

  r.post('/services/auth/headless/init/registration', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!recaptchaPasses(core, body)) return refuseRecaptcha(res);
    const userdata = (body.userdata ?? {}) as Record<string, unknown>;
    const email = text(userdata.email);
    const username = text(userdata.username) || email;
    const lastName = text(userdata.lastName);
    if (!EMAIL.test(email) || !lastName)
      return sendOAuthError(
        res,
        400,
        'invalid_request',
        'userdata.email and userdata.lastName are required',
      );
    if ((body.verificationmethod ?? 'email') !== 'email')
      return sendOAuthError(res, 400, 'invalid_request', 'unsupported verification method');
    const problem = passwordProblem(body.password);
    if (problem) return sendOAuthError(res, 400, 'invalid_password', problem);
    if (usernameTaken(core, username))
      return sendOAuthError(
        res,
        400,
        'duplicate_username',
        'a user with this username already exists',
      );

    const identifier = randomBytes(18).toString('base64url');
    const otp = newOtp(state.now());
    state.registrations.set(identifier, {
      firstName: text(userdata.firstName),
      lastName,
      email,
      username,
      password: hashPassword(body.password as string),
      otp,
    });
    core.outbox.send({
      to: email,
      channel: 'email',
      purpose: 'registration',
      otp: otp.otp,
      identifier,
    });
    res.json({ email, identifier });
  });

  // Same endpoint twice: step 1 sends a passcode, step 2 sets the new password.
  r.post('/services/auth/headless/forgot_password', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = text(body.username).toLowerCase();
    if (!username) return sendOAuthError(res, 400, 'invalid_request', 'username is required');
    if (body.otp === undefined && body.newpassword === undefined) {
      // Step 1 only: step 2 carries the passcode instead of a reCAPTCHA token.
      if (!recaptchaPasses(core, body)) return refuseRecaptcha(res);
      const cred = state.credentials.get(username);
      // Same answer for unknown users: the endpoint must not reveal who has an account.
      if (cred) {
        const otp = newOtp(state.now());
        state.resetOtps.set(username, otp);
        core.outbox.send({
          to: emailOf(core, username),
          channel: 'email',
          purpose: 'forgot_password',
          otp: otp.otp,
        });
      }
      return res.json({ status_code: 'otp_sent' });
    }
    const problem = passwordProblem(body.newpassword);
    if (problem) return sendOAuthError(res, 400, 'invalid_password', problem);
    const check = checkOtp(state.resetOtps.get(username), body.otp, state.now());
    const cred = state.credentials.get(username);
    if (check !== 'ok' || !cred)
      return sendOAuthError(res, 400, 'invalid_otp', 'the one-time passcode is invalid or expired');
    state.resetOtps.delete(username);
    // A fresh per-user salt: the user leaves the shared seed hash.
    state.credentials.set(username, {
      userId: cred.userId,
      ...hashPassword(body.newpassword as string),
    });
    res.json({ status_code: 'success' });
  });

  r.post('/services/auth/headless/init/passwordless/login', (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = text(body.username).toLowerCase();
    if (!username) return sendOAuthError(res, 400, 'invalid_request', 'username is required');
    if ((body.verificationmethod ?? 'email') !== 'email')
      return sendOAuthError(res, 400, 'invalid_request', 'unsupported verification method');
    const identifier = randomBytes(18).toString('base64url');
    const otp = newOtp(state.now());
    // Unknown users get an identifier too (that no passcode will ever match).
    state.passwordless.set(identifier, { username, otp });
    if (state.credentials.has(username))
      core.outbox.send({
        to: emailOf(core, username),
        channel: 'email',
        purpose: 'passwordless_login',
        otp: otp.otp,
        identifier,
      });
    else otp.used = true;
    res.json({ identifier, status: 'success' });
  });
  return r;
}

export function usernameTaken(core: EmulatorCore, username: string): boolean {
  const lower = username.toLowerCase();
  if (identityState(core).credentials.has(lower)) return true;
  return core.sobjects.findBy('User', 'Username', username).length > 0;
}

function emailOf(core: EmulatorCore, username: string): string {
  const cred = identityState(core).credentials.get(username)!;
  const rec = core.sobjects.get('User', cred.userId);
  return typeof rec?.Email === 'string' ? rec.Email : username;
}

export type RegistrationResult = { ok: true; userId: string; username: string } | { ok: false };

/** Step 2 of registration: the passcode creates the Contact, User and verified-email records. */
export function completeRegistration(
  core: EmulatorCore,
  identifier: string,
  otp: string,
): RegistrationResult {
  const state = identityState(core);
  const pending = state.registrations.get(identifier);
  if (!pending || checkOtp(pending.otp, otp, state.now()) !== 'ok') return { ok: false };
  state.registrations.delete(identifier);
  if (usernameTaken(core, pending.username)) return { ok: false };
  const { sobjects } = core;
  const now = sfDateTime(new Date());
  const name = [pending.firstName, pending.lastName].filter(Boolean).join(' ');
  const contactId = sobjects.newId('Contact');
  sobjects.insert('Contact', {
    Id: contactId,
    FirstName: pending.firstName || null,
    LastName: pending.lastName,
    Name: name,
    Email: pending.email,
    CreatedDate: now,
    LastModifiedDate: now,
  });
  const userId = sobjects.newId('User');
  sobjects.insert('User', {
    Id: userId,
    Username: pending.username,
    Email: pending.email,
    FirstName: pending.firstName || null,
    LastName: pending.lastName,
    Name: name,
    ContactId: contactId,
    IsActive: true,
    LastLoginDate: null,
    UserType: 'CspLitePortal',
    ProfileId: core.sobjects.findBy('Profile', 'Name', COMMUNITY_PROFILE)[0]?.Id ?? null,
    Is_Agent__c: false,
    CreatedDate: now,
    LastModifiedDate: now,
  });
  sobjects.insert('TwoFactorMethodsInfo', {
    Id: sobjects.newId('TwoFactorMethodsInfo'),
    UserId: userId,
    HasUserVerifiedEmailAddress: true,
  });
  state.credentials.set(pending.username.toLowerCase(), { userId, ...pending.password });
  return { ok: true, userId, username: pending.username };
}

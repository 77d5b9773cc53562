// Headless registration, forgot password and passwordless login init endpoints
// (docs/salesforce/headless-identity.md#headless-registration,
// headless-identity.md#headless-forgot-password). Their error bodies are UNCONFIRMED (the Mobile
// SDK only checks the status), so the emulator answers 400 {error, error_description} with these
// `error` values:
//   invalid_request     missing or malformed field, unsupported verification method
//   invalid_password    the password breaks the policy (8+ characters, letters and digits)
//   duplicate_username  registration for a username that already exists
//   invalid_otp         forgot password step 2 with a wrong, expired, used or unknown passcode
//   invalid_recaptcha   the site requires reCAPTCHA and `recaptcha` (or `recaptchaevent.token`)
//                       is missing or fails verification. The docs only say that forgot password
//                       answers otp_sent "if reCAPTCHA validation succeeds" — so a failed one
//                       answers an error before anything else is looked at; the body is ours.
// What each flow demands is the site's NetworkAuthApiSettings row (Experience Cloud → Login &
// Registration → Headless Identity Configuration): DoesRegistrationRequireAuth /
// DoesForgotPasswordRequireAuth — "an access token issued to an internal integration user in
// your initial POST request … is required. The access token must include the
// user_registration_api [forgot_password] scope" — and IsRecaptchaRequiredRgstr /
// IsRecaptchaRequiredForgotPwd. The docs give no status or body for a request without the
// token; the emulator answers as Salesforce's REST resources do for a missing or invalid bearer
// (401 INVALID_SESSION_ID) and for a token that may not use the resource (403
// INSUFFICIENT_ACCESS) — UNCONFIRMED against a real site (the Mobile SDK reads only the status).
// https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_networkauthapisettings.htm
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
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
import { COMMUNITY_PROFILE, DEMO_SITE_AUTH_SETTINGS_ID } from '../crm/seed.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The headless flows whose init request the site protects, and their settings. */
const FLOWS = {
  registration: {
    auth: 'DoesRegistrationRequireAuth',
    recaptcha: 'IsRecaptchaRequiredRgstr',
    scope: 'user_registration_api',
  },
  forgot_password: {
    auth: 'DoesForgotPasswordRequireAuth',
    recaptcha: 'IsRecaptchaRequiredForgotPwd',
    scope: 'forgot_password',
  },
} as const;
type Flow = keyof typeof FLOWS;

/** The demo site's NetworkAuthApiSettings row (tests change it to play another site). */
export function siteAuthSettings(core: EmulatorCore): Record<string, unknown> {
  return core.sobjects.get('NetworkAuthApiSettings', DEMO_SITE_AUTH_SETTINGS_ID) ?? {};
}

/**
 * When the site demands an integration user's token for `flow`: answers 401 without a live
 * bearer token, 403 when the token is not an internal user's or lacks the flow's scope, and
 * returns true; false when the request may go on.
 */
function refuseWithoutAuth(core: EmulatorCore, req: Request, res: Response, flow: Flow): boolean {
  if (siteAuthSettings(core)[FLOWS[flow].auth] !== true) return false;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  const token = core.tokens.lookup(bearer, 'core-access');
  if (!token) {
    res
      .status(401)
      .json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    return true;
  }
  const user = core.sobjects.get('User', String(token.subject.userId));
  const internal = user?.UserType === 'Standard' && user.IsActive !== false;
  if (!internal || !token.scope.split(/\s+/).includes(FLOWS[flow].scope)) {
    res.status(403).json([
      {
        message: `This request needs the access token of an internal integration user with the ${FLOWS[flow].scope} scope`,
        errorCode: 'INSUFFICIENT_ACCESS',
      },
    ]);
    return true;
  }
  return false;
}

/**
 * True when the site does not require reCAPTCHA for `flow` or the request carries a token that
 * passes. Classic reCAPTCHA sends `recaptcha`; reCAPTCHA Enterprise `recaptchaevent.token`
 * (Mobile SDK NativeLoginManagerInternal, StartRegistrationRequestBody /
 * StartPasswordResetRequestBody).
 */
function recaptchaPasses(core: EmulatorCore, body: Record<string, unknown>, flow: Flow): boolean {
  const { recaptcha } = identityState(core);
  if (siteAuthSettings(core)[FLOWS[flow].recaptcha] !== true) return true;
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
    if (refuseWithoutAuth(core, req, res, 'registration')) return;
    if (!recaptchaPasses(core, body, 'registration')) return refuseRecaptcha(res);
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
      // Step 1 only: step 2 carries the passcode instead of a reCAPTCHA token or access token.
      if (refuseWithoutAuth(core, req, res, 'forgot_password')) return;
      if (!recaptchaPasses(core, body, 'forgot_password')) return refuseRecaptcha(res);
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

// Session subgraph resolvers: headless login / registration / password reset done server side,
// the viewer, and Citizen.account from CRM (User + TwoFactorMethodsInfo).
import { randomBytes } from 'node:crypto';
import { bearerFrom } from '../../lib/http.js';
import { ErrorCode, graphqlError } from '../../lib/errors.js';
import { maySeeCitizen } from '../../lib/principal.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import { SessionsNotEndedError, refusedRecaptcha, type TokenResponse } from './client.js';
import type { Context } from './context.js';
import { isoDateTime } from './mappers.js';
import { createPkce } from './pkce.js';
import { UserErrors, isEmail, isWeakPassword, type UserError } from './user-errors.js';

/**
 * The session a login, registration or refresh answers. The refresh token it came from is
 * remembered for the access token, so a logout that sends only the access token ends it all.
 */
async function sessionTokens(ctx: Context, t: TokenResponse, presentedRefreshToken?: string) {
  const issuedAt = Number(t.issued_at) || Date.now();
  const refreshToken = t.refresh_token ?? presentedRefreshToken ?? null;
  if (refreshToken) await ctx.grants.remember(t.access_token, refreshToken);
  return {
    accessToken: t.access_token,
    refreshToken,
    // Salesforce sends no expires_in; the org's session lifetime is configuration.
    expiresAt: new Date(issuedAt + ctx.config.sessionTtlSeconds * 1000).toISOString(),
    userId: t.id.split('/').pop()!,
  };
}

const failed = (...userErrors: UserError[]) => ({ session: null, userErrors });

/** Authorize (code) → token exchange, with a fresh PKCE pair. */
async function signIn(ctx: Context, authorize: (challenge: string) => Promise<string | null>) {
  const pkce = createPkce();
  const code = await authorize(pkce.challenge);
  if (!code) return null;
  return ctx.identity.exchangeCode(code, pkce.verifier);
}

export const resolvers: Resolvers = {
  Query: {
    viewer: (_p, _a, ctx) => {
      const p = ctx.principal;
      return p.kind === 'citizen'
        ? { contactId: p.contactId, userId: p.userId, username: p.username }
        : null;
    },
  },

  Viewer: {
    citizen: (v) => ({ contactId: v.contactId }),
    session: (v) => ({ userId: v.userId, username: v.username }),
  },

  Session: {
    // Only when asked: one introspect of the bearer token the gateway forwarded.
    expiresAt: async (_s, _a, ctx) => {
      const token = bearerFrom(ctx.headers);
      if (!token) return null;
      const info = await ctx.identity.introspect(token);
      return info.active && info.exp ? new Date(info.exp * 1000).toISOString() : null;
    },
  },

  Citizen: {
    __resolveReference: (ref) => ({ contactId: ref.contactId }),
    account: (c, _a, ctx) => {
      // Decided before any upstream call: citizens see only their own account.
      if (!maySeeCitizen(ctx.principal, { contactId: c.contactId })) return null;
      return ctx.loaders.userByContactId.load(c.contactId);
    },
  },

  IdentityAccount: {
    userId: (u) => u.Id,
    username: (u) => u.Username,
    active: (u) => u.IsActive === true,
    lastLoginAt: (u) => isoDateTime(u.LastLoginDate),
    emailVerified: async (u, _a, ctx) =>
      (await ctx.loaders.emailVerifiedByUserId.load(u.Id)) === true,
  },

  Mutation: {
    login: async (_p, { input }, ctx) => {
      const username = input.username.trim();
      if (!username || !input.password) return failed(UserErrors.invalidCredentials());
      assertBasicSafe(username, ['input', 'username']);
      // Booked before Salesforce is asked: parallel wrong passwords cannot all get through.
      const attempt = await ctx.limits.signIn(username, ctx.clientAddress);
      if (!attempt.ok) return failed(UserErrors.rateLimited(attempt.retryAfterSeconds));
      const tokens = await signIn(ctx, (ch) =>
        ctx.identity.authorizeNamedUser(username, input.password, ch),
      );
      if (!tokens) return failed(UserErrors.invalidCredentials());
      await ctx.limits.signedIn(username, ctx.clientAddress, attempt);
      return { session: await sessionTokens(ctx, tokens), userErrors: [] };
    },

    refreshSession: async (_p, { refreshToken }, ctx) => {
      if (!refreshToken) return failed(UserErrors.invalidRefreshToken());
      // Single flight per refresh token while in flight: where the app rotates refresh tokens,
      // a second concurrent refresh of the same token would fail; every racer gets the one
      // answer. A later presentation is Salesforce's to judge (reuse revokes the grant).
      const tokens = await ctx.refreshes.run(refreshToken, () =>
        ctx.identity.refresh(refreshToken),
      );
      return tokens
        ? { session: await sessionTokens(ctx, tokens, refreshToken), userErrors: [] }
        : failed(UserErrors.invalidRefreshToken());
    },

    logout: async (_p, { refreshToken }, ctx) => {
      const token = bearerFrom(ctx.headers);
      if (!token) return { success: false, userErrors: [UserErrors.notSignedIn()] };
      // The refresh token first: revoking it ends every access token minted from it. Without
      // one given, the one this graph handed the access token out with (remembered at login or
      // refresh): a logout ends the whole session either way. An already dead token is as good
      // as revoked.
      const remembered = await ctx.grants.refreshTokenOf(token);
      for (const r of new Set([refreshToken, remembered])) if (r) await ctx.identity.revoke(r);
      await ctx.identity.revoke(token);
      await ctx.grants.forget(token);
      // Tell the gateway (response extension) so it stops trusting the token at once.
      ctx.sessionEnded = true;
      return { success: true, userErrors: [] };
    },

    startRegistration: async (_p, { input }, ctx) => {
      const email = input.email.trim();
      const errors: UserError[] = [];
      if (!isEmail(email)) errors.push(UserErrors.invalidEmail());
      if (!input.lastName.trim()) errors.push(UserErrors.invalidName());
      if (isWeakPassword(input.password))
        errors.push(UserErrors.weakPassword(['input', 'password']));
      // A site that demands reCAPTCHA refuses a request without one: no call, no mail counted.
      if (needsRecaptcha(ctx, input.recaptchaToken, input.recaptchaEvent))
        errors.push(UserErrors.recaptchaFailed(['input', 'recaptchaToken']));
      if (errors.length) return { identifier: null, userErrors: errors };
      const mail = await ctx.limits.passcodeMail(email, ctx.clientAddress);
      if (!mail.ok)
        return {
          identifier: null,
          userErrors: [UserErrors.rateLimited(mail.retryAfterSeconds, 'passcode requests')],
        };
      // Answered at a fixed time after Salesforce is asked, whatever it answers.
      return atFixedTime(ctx, async () => {
        const res = await ctx.identity.initRegistration({
          firstName: input.firstName.trim(),
          lastName: input.lastName.trim(),
          email,
          password: input.password,
          recaptcha: { token: input.recaptchaToken, event: input.recaptchaEvent },
        });
        if (res.ok) return { identifier: res.identifier, userErrors: [] };
        // Every refusal but a failed reCAPTCHA answers exactly as a new address (an identifier
        // no passcode will match), whatever words the site uses: a taken address cannot be told
        // from a new one, so registration cannot be used to learn who has an account. (The
        // password policy is checked above, before Salesforce is asked.)
        if (!refusedRecaptcha(res)) return { identifier: decoyIdentifier(), userErrors: [] };
        return {
          identifier: null,
          userErrors: [UserErrors.recaptchaFailed(['input', 'recaptchaToken'])],
        };
      });
    },

    completeRegistration: async (_p, { input }, ctx) => {
      if (!/^\d{4,8}$/.test(input.otp.trim()) || !input.identifier)
        return failed(UserErrors.invalidPasscode());
      assertBasicSafe(input.identifier, ['input', 'identifier']);
      const guess = await ctx.limits.passcodeGuess(`registration:${input.identifier}`);
      if (!guess.ok)
        return failed(UserErrors.rateLimited(guess.retryAfterSeconds, 'passcode attempts'));
      const tokens = await signIn(ctx, (ch) =>
        ctx.identity.authorizeRegistration(input.identifier, input.otp.trim(), ch),
      );
      if (!tokens) return failed(UserErrors.invalidPasscode());
      await guess.release();
      return { session: await sessionTokens(ctx, tokens), userErrors: [] };
    },

    startPasswordReset: async (_p, { username, recaptchaToken, recaptchaEvent }, ctx) => {
      const name = username.trim();
      if (!name) return { success: true, userErrors: [] };
      if (needsRecaptcha(ctx, recaptchaToken, recaptchaEvent))
        return { success: false, userErrors: [UserErrors.recaptchaFailed(['recaptchaToken'])] };
      const mail = await ctx.limits.passcodeMail(name, ctx.clientAddress);
      if (!mail.ok)
        return {
          success: false,
          userErrors: [UserErrors.rateLimited(mail.retryAfterSeconds, 'passcode requests')],
        };
      // The same answer for every username: nobody learns who has an account. Only the site's
      // reCAPTCHA check can refuse it, whoever the username is.
      const res = await ctx.identity.forgotPasswordStart(name, {
        token: recaptchaToken,
        event: recaptchaEvent,
      });
      if (res.ok) return { success: true, userErrors: [] };
      return {
        success: false,
        userErrors: [
          res.error === 'invalid_recaptcha'
            ? UserErrors.recaptchaFailed(['recaptchaToken'])
            : UserErrors.rejected(),
        ],
      };
    },

    completePasswordReset: async (_p, { input }, ctx) => {
      if (isWeakPassword(input.newPassword))
        return { success: false, userErrors: [UserErrors.weakPassword(['input', 'newPassword'])] };
      const username = input.username.trim();
      // Guesses are counted per username across resets: a new mail buys no new guesses.
      const guess = await ctx.limits.passcodeGuess(`reset:${username}`);
      if (!guess.ok)
        return {
          success: false,
          userErrors: [UserErrors.rateLimited(guess.retryAfterSeconds, 'passcode attempts')],
        };
      const res = await ctx.identity.forgotPasswordComplete(
        username,
        input.otp.trim(),
        input.newPassword,
      );
      if (res.ok) {
        await guess.release();
        // Whoever proved they own the account is not kept out by someone else's guesses.
        await ctx.limits.forgetLoginFailures(username, ctx.clientAddress);
        await endAllSessions(ctx, username);
        return { success: true, userErrors: [] };
      }
      const e =
        res.error === 'invalid_password'
          ? UserErrors.weakPassword(['input', 'newPassword'])
          : UserErrors.invalidPasscode();
      return { success: false, userErrors: [e] };
    },
  },
};

/**
 * After a password reset every session of the user ends: each OAuth grant (refresh token, and
 * every access token minted from it) is revoked at Salesforce through the OauthToken sObject.
 * Salesforce then refuses those tokens at once. The gateway stops trusting the bearer token of
 * THIS request at once (sessionEnded, when it is the same user's); for the user's other sessions
 * the bound is the gateway's token cache (≤ 60 s), after which it validates them again and gets
 * 401. A failure here surfaces as an error: the password is changed, but the caller must know
 * the old sessions may still live.
 */
async function endAllSessions(ctx: Context, username: string): Promise<void> {
  const userId = await ctx.crm.userIdByUsername(username);
  if (!userId) return;
  try {
    await ctx.crm.revokeAllTokensOf(userId);
  } catch (err) {
    // The org hid the user's sessions from the integration user: never a success.
    if (err instanceof SessionsNotEndedError) {
      console.error(`[session] completePasswordReset: ${err.message}`);
      throw graphqlError(
        ErrorCode.FORBIDDEN,
        'The password was changed, but the other sessions of this account could not be ended: sign out on every other device.',
        { reason: 'SESSIONS_NOT_ENDED' },
      );
    }
    throw err;
  }
  const p = ctx.principal;
  if (bearerFrom(ctx.headers) && p.kind === 'citizen' && p.userId === userId)
    ctx.sessionEnded = true;
}

/**
 * A username or identifier goes into HTTP Basic auth (`user:secret`): a colon would move the
 * boundary, so it is refused before anything is sent.
 */
function assertBasicSafe(value: string, field: string[]): void {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (value.includes(':') || /[\u0000-\u001f]/.test(value))
    throw graphqlError(
      ErrorCode.BAD_USER_INPUT,
      `${field.at(-1)} must not contain ":" or control characters.`,
      {
        field: field.join('.'),
      },
    );
}

/**
 * Runs `work` and answers `registrationAnswerMs` after it began, never sooner (also when it
 * throws): a Salesforce answer that comes faster for some inputs than others (a taken address)
 * then says nothing by its timing. An upstream slower than the floor is not hidden.
 */
async function atFixedTime<T>(ctx: Context, work: () => Promise<T>): Promise<T> {
  const answerAt = ctx.clock.now() + ctx.config.registrationAnswerMs;
  try {
    return await work();
  } finally {
    const left = answerAt - ctx.clock.now();
    if (left > 0) await ctx.clock.sleep(left);
  }
}

/** Looks like a registration identifier; no passcode will ever match it. */
const decoyIdentifier = () => randomBytes(18).toString('base64url');

/**
 * IDENTITY_HEADLESS_PROTECTION=recaptcha and the browser sent no reCAPTCHA proof: the site would
 * refuse it, whoever the user is.
 */
function needsRecaptcha(ctx: Context, token: string | null | undefined, event: unknown): boolean {
  return ctx.config.headlessProtection === 'recaptcha' && !token?.trim() && !event;
}

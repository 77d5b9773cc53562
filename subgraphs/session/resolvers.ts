// Session subgraph resolvers: headless login / registration / password reset done server side,
// the viewer, and Citizen.account from CRM (User + TwoFactorMethodsInfo).
import { bearerFrom } from '../../lib/http.js';
import { maySeeCitizen } from '../../lib/principal.js';
import type { Resolvers } from './__generated__/resolvers-types.js';
import type { TokenResponse } from './client.js';
import type { Context } from './context.js';
import { isoDateTime } from './mappers.js';
import { createPkce } from './pkce.js';
import { UserErrors, isEmail, isWeakPassword, type UserError } from './user-errors.js';

function sessionTokens(ctx: Context, t: TokenResponse, refreshToken?: string) {
  const issuedAt = Number(t.issued_at) || Date.now();
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? refreshToken ?? null,
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
      const wait = ctx.loginThrottle.retryAfter(username, ctx.clientAddress);
      if (wait > 0) return failed(UserErrors.rateLimited(wait));
      const tokens = await signIn(ctx, (ch) =>
        ctx.identity.authorizeNamedUser(username, input.password, ch),
      );
      if (!tokens) {
        ctx.loginThrottle.recordFailure(username, ctx.clientAddress);
        return failed(UserErrors.invalidCredentials());
      }
      ctx.loginThrottle.recordSuccess(username);
      return { session: sessionTokens(ctx, tokens), userErrors: [] };
    },

    refreshSession: async (_p, { refreshToken }, ctx) => {
      if (!refreshToken) return failed(UserErrors.invalidRefreshToken());
      const tokens = await ctx.identity.refresh(refreshToken);
      // No rotation: the same refresh token stays valid.
      return tokens
        ? { session: sessionTokens(ctx, tokens, refreshToken), userErrors: [] }
        : failed(UserErrors.invalidRefreshToken());
    },

    logout: async (_p, _a, ctx) => {
      const token = bearerFrom(ctx.headers);
      if (!token) return { success: false, userErrors: [UserErrors.notSignedIn()] };
      // An already dead token is as good as revoked.
      await ctx.identity.revoke(token);
      return { success: true, userErrors: [] };
    },

    startRegistration: async (_p, { input }, ctx) => {
      const email = input.email.trim();
      const errors: UserError[] = [];
      if (!isEmail(email)) errors.push(UserErrors.invalidEmail());
      if (!input.lastName.trim()) errors.push(UserErrors.invalidName());
      if (isWeakPassword(input.password))
        errors.push(UserErrors.weakPassword(['input', 'password']));
      if (errors.length) return { identifier: null, userErrors: errors };
      const res = await ctx.identity.initRegistration({
        firstName: input.firstName.trim(),
        lastName: input.lastName.trim(),
        email,
        password: input.password,
      });
      if (res.ok) return { identifier: res.identifier, userErrors: [] };
      const e =
        res.error === 'duplicate_username'
          ? UserErrors.usernameTaken()
          : res.error === 'invalid_password'
            ? UserErrors.weakPassword(['input', 'password'])
            : UserErrors.rejected();
      return { identifier: null, userErrors: [e] };
    },

    completeRegistration: async (_p, { input }, ctx) => {
      if (!/^\d{4,8}$/.test(input.otp.trim()) || !input.identifier)
        return failed(UserErrors.invalidPasscode());
      const tokens = await signIn(ctx, (ch) =>
        ctx.identity.authorizeRegistration(input.identifier, input.otp.trim(), ch),
      );
      return tokens
        ? { session: sessionTokens(ctx, tokens), userErrors: [] }
        : failed(UserErrors.invalidPasscode());
    },

    startPasswordReset: async (_p, { username }, ctx) => {
      // The same answer for every username: nobody learns who has an account.
      if (username.trim()) await ctx.identity.forgotPasswordStart(username.trim());
      return { success: true, userErrors: [] };
    },

    completePasswordReset: async (_p, { input }, ctx) => {
      if (isWeakPassword(input.newPassword))
        return { success: false, userErrors: [UserErrors.weakPassword(['input', 'newPassword'])] };
      const res = await ctx.identity.forgotPasswordComplete(
        input.username.trim(),
        input.otp.trim(),
        input.newPassword,
      );
      if (res.ok) return { success: true, userErrors: [] };
      const e =
        res.error === 'invalid_password'
          ? UserErrors.weakPassword(['input', 'newPassword'])
          : UserErrors.invalidPasscode();
      return { success: false, userErrors: [e] };
    },
  },
};

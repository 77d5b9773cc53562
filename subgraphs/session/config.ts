// Session subgraph configuration: its variables, declared in lib/config/registry.ts (defaults:
// the local emulator and its demo credentials), mapped into the subgraph's typed config.
import { crmEnv, readEnv, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface SessionConfig extends CrmServiceEnv {
  /** Experience Cloud site URL (Headless Identity host). */
  identitySiteUrl: string;
  /** Public connected app of the portal (headless login with PKCE). */
  identityClientId: string;
  identityRedirectUri: string;
  /** Sent as `recaptcha` to the headless init endpoints (a real site needs a fresh browser token). */
  recaptchaToken: string;
  /** Session lifetime of the org, used to tell the frontend when an access token expires. */
  sessionTtlSeconds: number;
  timeoutMs: number;
  /** Abuse limits (session-limits.ts): sign-in attempts, passcode mails and passcode guesses per window. */
  limits: {
    loginPerUsername: number;
    loginPerAddress: number;
    loginWindowSeconds: number;
    mailsPerUsername: number;
    mailsPerAddress: number;
    mailWindowSeconds: number;
    passcodeGuesses: number;
  };
}

export function loadSessionConfig(env: Env): SessionConfig {
  const e = readEnv(env, 'session');
  return {
    ...serviceEnv(e, 'SESSION_PORT'),
    identitySiteUrl: e.get('IDENTITY_SITE_URL'),
    identityClientId: e.get('IDENTITY_CLIENT_ID'),
    identityRedirectUri: e.get('IDENTITY_REDIRECT_URI'),
    // Set but empty (and production unless set): send no server value (a site without reCAPTCHA).
    recaptchaToken: e.get('IDENTITY_RECAPTCHA_TOKEN'),
    ...crmEnv(e),
    sessionTtlSeconds: e.get('IDENTITY_SESSION_TTL_SECONDS'),
    timeoutMs: e.get('SESSION_UPSTREAM_TIMEOUT_MS') ?? e.get('UPSTREAM_TIMEOUT_MS'),
    limits: {
      loginPerUsername: e.get('LOGIN_MAX_FAILURES_PER_USERNAME'),
      loginPerAddress: e.get('LOGIN_MAX_FAILURES_PER_ADDRESS'),
      loginWindowSeconds: e.get('LOGIN_FAILURE_WINDOW_SECONDS'),
      mailsPerUsername: e.get('PASSCODE_MAILS_PER_USERNAME'),
      mailsPerAddress: e.get('PASSCODE_MAILS_PER_ADDRESS'),
      mailWindowSeconds: e.get('PASSCODE_WINDOW_SECONDS'),
      passcodeGuesses: e.get('PASSCODE_MAX_GUESSES'),
    },
  };
}

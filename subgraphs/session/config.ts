// Session subgraph configuration: its variables, declared in lib/config/registry.ts (defaults:
// the local emulator and its demo credentials), mapped into the subgraph's typed config.
import { crmEnv, readEnv, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
import { subgraphLimitsFromEnv, type SubgraphLimits } from '../../lib/subgraph-server.js';
import { loadReadCacheConfig, type ReadCacheConfig } from '../../lib/read-cache/config.js';
export type HeadlessProtection = 'integration-token' | 'recaptcha';

/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface SessionConfig extends CrmServiceEnv {
  /** The read cache of Salesforce reads (lib/read-cache): the identity account's User rows. */
  readCache: ReadCacheConfig;
  /** This subgraph's own request limits (lib/subgraph-server.ts). */
  requestLimits: SubgraphLimits;
  /** Experience Cloud site URL (Headless Identity host). */
  identitySiteUrl: string;
  /** Public connected app of the portal (headless login with PKCE). */
  identityClientId: string;
  identityRedirectUri: string;
  /**
   * What the site's headless registration and forgot password demand (IDENTITY_HEADLESS_PROTECTION,
   * the site's NetworkAuthApiSettings): the integration user's access token, sent as
   * Authorization: Bearer, or the browser's reCAPTCHA token, passed through. Never a fixed value.
   */
  headlessProtection: HeadlessProtection;
  /** Session lifetime of the org, used to tell the frontend when an access token expires. */
  sessionTtlSeconds: number;
  timeoutMs: number;
  /**
   * Every startRegistration answer that asked Salesforce is sent this long after it asked,
   * never sooner: a taken address (answered at once upstream) and a new one (a pending
   * registration and a mail) take the same time, so timing does not tell who has an account.
   */
  registrationAnswerMs: number;
  /** Abuse limits (session-limits.ts): sign-in attempts, passcode mails and passcode guesses per window. */
  limits: {
    /** Failed sign-ins for one username from one client address. */
    loginPerUsername: number;
    /** Failed sign-ins for one username from all addresses together (the ceiling). */
    loginPerUsernameAllAddresses: number;
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
    requestLimits: subgraphLimitsFromEnv(e),
    readCache: loadReadCacheConfig(env),
    identitySiteUrl: e.get('IDENTITY_SITE_URL'),
    identityClientId: e.get('IDENTITY_CLIENT_ID'),
    identityRedirectUri: e.get('IDENTITY_REDIRECT_URI'),
    headlessProtection: e.get('IDENTITY_HEADLESS_PROTECTION'),
    ...crmEnv(e),
    sessionTtlSeconds: e.get('IDENTITY_SESSION_TTL_SECONDS'),
    timeoutMs: e.get('SESSION_UPSTREAM_TIMEOUT_MS') ?? e.get('UPSTREAM_TIMEOUT_MS'),
    registrationAnswerMs: e.get('REGISTRATION_ANSWER_MS'),
    limits: {
      loginPerUsername: e.get('LOGIN_MAX_FAILURES_PER_USERNAME'),
      loginPerUsernameAllAddresses: e.get('LOGIN_MAX_FAILURES_PER_USERNAME_ALL_ADDRESSES'),
      loginPerAddress: e.get('LOGIN_MAX_FAILURES_PER_ADDRESS'),
      loginWindowSeconds: e.get('LOGIN_FAILURE_WINDOW_SECONDS'),
      mailsPerUsername: e.get('PASSCODE_MAILS_PER_USERNAME'),
      mailsPerAddress: e.get('PASSCODE_MAILS_PER_ADDRESS'),
      mailWindowSeconds: e.get('PASSCODE_WINDOW_SECONDS'),
      passcodeGuesses: e.get('PASSCODE_MAX_GUESSES'),
    },
  };
}

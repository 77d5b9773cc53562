// Session subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated here on purpose: the subgraph never imports it).
import { crmEnv, envReader, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
import { subgraphLimitsFromEnv, type SubgraphLimits } from '../../lib/subgraph-server.js';
/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface SessionConfig extends CrmServiceEnv {
  /** This subgraph's own request limits (lib/subgraph-server.ts). */
  requestLimits: SubgraphLimits;
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
  const e = envReader(env);
  const upstreamTimeout = e.int('UPSTREAM_TIMEOUT_MS', 5000, { min: 1 });
  return {
    ...serviceEnv(e, env, { variable: 'SESSION_PORT', fallback: 4004 }),
    requestLimits: subgraphLimitsFromEnv(e),
    identitySiteUrl: e.url('IDENTITY_SITE_URL', 'http://127.0.0.1:4010/identity', {
      requiredInProduction: true,
    }),
    identityClientId: e.str('IDENTITY_CLIENT_ID', '3MVG9C360CitizenPortalDemoKey'),
    identityRedirectUri: e.url('IDENTITY_REDIRECT_URI', 'http://localhost:4000/callback'),
    // Set but empty: send no server value (a site without reCAPTCHA).
    recaptchaToken: e.raw('IDENTITY_RECAPTCHA_TOKEN')?.trim() ?? 'emulator-recaptcha',
    ...crmEnv(e),
    sessionTtlSeconds: e.int('IDENTITY_SESSION_TTL_SECONDS', 7200, { min: 60 }),
    timeoutMs: e.int('SESSION_UPSTREAM_TIMEOUT_MS', upstreamTimeout, { min: 1 }),
    registrationAnswerMs: e.int('REGISTRATION_ANSWER_MS', 1500),
    limits: {
      loginPerUsername: e.int('LOGIN_MAX_FAILURES_PER_USERNAME', 5, { min: 1 }),
      loginPerUsernameAllAddresses: e.int('LOGIN_MAX_FAILURES_PER_USERNAME_ALL_ADDRESSES', 50, {
        min: 1,
      }),
      loginPerAddress: e.int('LOGIN_MAX_FAILURES_PER_ADDRESS', 50, { min: 1 }),
      loginWindowSeconds: e.int('LOGIN_FAILURE_WINDOW_SECONDS', 900, { min: 1 }),
      mailsPerUsername: e.int('PASSCODE_MAILS_PER_USERNAME', 3, { min: 1 }),
      mailsPerAddress: e.int('PASSCODE_MAILS_PER_ADDRESS', 20, { min: 1 }),
      mailWindowSeconds: e.int('PASSCODE_WINDOW_SECONDS', 3600, { min: 1 }),
      passcodeGuesses: e.int('PASSCODE_MAX_GUESSES', 5, { min: 1 }),
    },
  };
}

// Session subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated here on purpose: the subgraph never imports it).
import { principalSecretFromEnv } from '../../lib/principal-secret.js';
export interface SessionConfig {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers). */
  host: string;
  principalSecret: string;
  /** Experience Cloud site URL (Headless Identity host). */
  identitySiteUrl: string;
  /** Public connected app of the portal (headless login with PKCE). */
  identityClientId: string;
  identityRedirectUri: string;
  /** Sent as `recaptcha` to the headless init endpoints (a real site needs a fresh browser token). */
  recaptchaToken: string;
  /** Core org login host for the integration client (client credentials) used for SOQL. */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  crmApiVersion: string;
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

const num = (v: string | undefined, fallback: number) =>
  v && Number.isFinite(Number(v)) ? Number(v) : fallback;

export function loadSessionConfig(env: NodeJS.ProcessEnv): SessionConfig {
  return {
    port: num(env.SESSION_PORT, 4004),
    host: env.HOST ?? '127.0.0.1',
    principalSecret: principalSecretFromEnv(env),
    identitySiteUrl: env.IDENTITY_SITE_URL ?? 'http://127.0.0.1:4010/identity',
    identityClientId: env.IDENTITY_CLIENT_ID ?? '3MVG9C360CitizenPortalDemoKey',
    identityRedirectUri: env.IDENTITY_REDIRECT_URI ?? 'http://localhost:4000/callback',
    recaptchaToken: env.IDENTITY_RECAPTCHA_TOKEN ?? 'emulator-recaptcha',
    crmLoginUrl: env.CRM_LOGIN_URL ?? 'http://127.0.0.1:4010/crm',
    crmClientId: env.CRM_CLIENT_ID ?? '3MVG9C360IntegrationClientDemoKey',
    crmClientSecret: env.CRM_CLIENT_SECRET ?? 'c360-integration-secret',
    crmApiVersion: env.CRM_API_VERSION ?? '62.0',
    sessionTtlSeconds: num(env.IDENTITY_SESSION_TTL_SECONDS, 7200),
    timeoutMs: num(env.SESSION_UPSTREAM_TIMEOUT_MS ?? env.UPSTREAM_TIMEOUT_MS, 5000),
    limits: {
      loginPerUsername: num(env.LOGIN_MAX_FAILURES_PER_USERNAME, 5),
      loginPerAddress: num(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
      loginWindowSeconds: num(env.LOGIN_FAILURE_WINDOW_SECONDS, 900),
      mailsPerUsername: num(env.PASSCODE_MAILS_PER_USERNAME, 3),
      mailsPerAddress: num(env.PASSCODE_MAILS_PER_ADDRESS, 20),
      mailWindowSeconds: num(env.PASSCODE_WINDOW_SECONDS, 3600),
      passcodeGuesses: num(env.PASSCODE_MAX_GUESSES, 5),
    },
  };
}

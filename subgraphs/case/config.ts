// Case subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated on purpose: the subgraph never imports it).
import { principalSecretFromEnv } from '../../lib/principal-secret.js';
export interface CaseConfig {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers). */
  host: string;
  principalSecret: string;
  /** Core org login host (My Domain) for the client-credentials flow; REST calls use the returned instance_url. */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  /** REST API version without the v, e.g. 62.0. */
  crmApiVersion: string;
  /** The org's session lifetime: Salesforce sends no expires_in, so tokens are reused for this long. */
  crmSessionTtlSeconds: number;
  timeoutMs: number;
}

const num = (v: string | undefined, fallback: number) =>
  v && Number.isFinite(Number(v)) ? Number(v) : fallback;

export function loadCaseConfig(env: NodeJS.ProcessEnv): CaseConfig {
  return {
    port: num(env.CASE_PORT, 4002),
    host: env.HOST ?? '127.0.0.1',
    principalSecret: principalSecretFromEnv(env),
    crmLoginUrl: env.CRM_LOGIN_URL ?? 'http://127.0.0.1:4010/crm',
    crmClientId: env.CRM_CLIENT_ID ?? '3MVG9C360IntegrationClientDemoKey',
    crmClientSecret: env.CRM_CLIENT_SECRET ?? 'c360-integration-secret',
    crmApiVersion: (env.CRM_API_VERSION ?? '62.0').replace(/^v/, ''),
    crmSessionTtlSeconds: num(env.CRM_SESSION_TTL_SECONDS, 7200),
    timeoutMs: num(env.CRM_TIMEOUT_MS ?? env.UPSTREAM_TIMEOUT_MS, 5000),
  };
}

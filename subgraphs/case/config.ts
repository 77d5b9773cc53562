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
  /**
   * Case custom fields the idempotent createCase relies on (the org contract): a unique,
   * case-sensitive external-id text field (80) holding SHA-256(principal, client key), and a
   * text field (64) holding the SHA-256 fingerprint of the request that first used the key.
   */
  caseIdempotencyKeyField: string;
  caseIdempotencyFingerprintField: string;
}

/** A custom field API name (it goes into CRM paths and field lists, so nothing else is accepted). */
function customField(name: string, v: string | undefined, fallback: string): string {
  const value = v?.trim() || fallback;
  if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(value))
    throw new Error(`${name} must be a custom field API name such as ${fallback}`);
  return value;
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
    caseIdempotencyKeyField: customField(
      'CASE_IDEMPOTENCY_KEY_FIELD',
      env.CASE_IDEMPOTENCY_KEY_FIELD,
      'Idempotency_Key__c',
    ),
    caseIdempotencyFingerprintField: customField(
      'CASE_IDEMPOTENCY_FINGERPRINT_FIELD',
      env.CASE_IDEMPOTENCY_FINGERPRINT_FIELD,
      'Idempotency_Fingerprint__c',
    ),
  };
}

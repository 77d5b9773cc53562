// Case subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated on purpose: the subgraph never imports it).
import { crmEnv, envReader, type Env } from '../../lib/env.js';
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
  /** REST API version without the v, e.g. 62.0 (CRM_API_VERSION may be written either way). */
  crmApiVersion: string;
  /** The same version as the /services/data path segment, e.g. v62.0. */
  crmApiPath: `v${string}`;
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

export function loadCaseConfig(env: Env): CaseConfig {
  const e = envReader(env);
  const crm = crmEnv(e);
  return {
    port: e.int('CASE_PORT', 4002, { max: 65535 }),
    host: e.host('HOST'),
    principalSecret: principalSecretFromEnv(env),
    crmLoginUrl: crm.crmLoginUrl,
    crmClientId: crm.crmClientId,
    crmClientSecret: crm.crmClientSecret,
    crmApiVersion: crm.crmApi.version,
    crmApiPath: crm.crmApi.segment,
    crmSessionTtlSeconds: crm.crmSessionTtlSeconds,
    timeoutMs: e.int('CRM_TIMEOUT_MS', e.int('UPSTREAM_TIMEOUT_MS', 5000, { min: 1 }), { min: 1 }),
    caseIdempotencyKeyField: e.customFieldName('CASE_IDEMPOTENCY_KEY_FIELD', 'Idempotency_Key__c'),
    caseIdempotencyFingerprintField: e.customFieldName(
      'CASE_IDEMPOTENCY_FINGERPRINT_FIELD',
      'Idempotency_Fingerprint__c',
    ),
  };
}

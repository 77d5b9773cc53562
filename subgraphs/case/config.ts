// Case subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated on purpose: the subgraph never imports it).
import { crmEnv, envReader, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface CaseConfig extends CrmServiceEnv {
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
  return {
    ...serviceEnv(e, env, { variable: 'CASE_PORT', fallback: 4002 }),
    ...crmEnv(e),
    timeoutMs: e.int('CRM_TIMEOUT_MS', e.int('UPSTREAM_TIMEOUT_MS', 5000, { min: 1 }), { min: 1 }),
    caseIdempotencyKeyField: e.customFieldName('CASE_IDEMPOTENCY_KEY_FIELD', 'Idempotency_Key__c'),
    caseIdempotencyFingerprintField: e.customFieldName(
      'CASE_IDEMPOTENCY_FINGERPRINT_FIELD',
      'Idempotency_Fingerprint__c',
    ),
  };
}

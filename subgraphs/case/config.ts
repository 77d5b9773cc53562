// Case subgraph configuration: the only reader of process.env. Defaults point at the local
// emulator and its demo credentials (duplicated on purpose: the subgraph never imports it).
import { crmEnv, envReader, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
import { subgraphLimitsFromEnv, type SubgraphLimits } from '../../lib/subgraph-server.js';
/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface CaseConfig extends CrmServiceEnv {
  /** This subgraph's own request limits (lib/subgraph-server.ts). */
  requestLimits: SubgraphLimits;
  timeoutMs: number;
  /**
   * Case custom fields the idempotent createCase relies on (the org contract): a unique,
   * case-sensitive external-id text field (80) holding SHA-256(principal, client key), and a
   * text field (64) holding the SHA-256 fingerprint of the request that first used the key.
   */
  caseIdempotencyKeyField: string;
  caseIdempotencyFingerprintField: string;
  /** The Pub/Sub API (gRPC over TLS) the `caseUpdated` subscription listens to. */
  pubsub: {
    /** host:port (real orgs: api.pubsub.salesforce.com:7443). */
    url: string;
    /** A PEM file of the CA to trust instead of the system roots (the emulator's test certificate). */
    caFile?: string;
    /** The Case change event channel (Change Data Capture must be enabled for Case). */
    caseTopic: string;
    /** The platform event the org's automation publishes for each new CaseComment. */
    commentTopic: string;
    /** Events asked for per FetchRequest (at most 100). */
    batchSize: number;
    /** First wait before resubscribing after the stream fails (doubles up to 30 s). */
    retryMs: number;
  };
}

export function loadCaseConfig(env: Env): CaseConfig {
  const e = envReader(env);
  return {
    ...serviceEnv(e, env, { variable: 'CASE_PORT', fallback: 4002 }),
    requestLimits: subgraphLimitsFromEnv(e),
    ...crmEnv(e),
    timeoutMs: e.int('CRM_TIMEOUT_MS', e.int('UPSTREAM_TIMEOUT_MS', 5000, { min: 1 }), { min: 1 }),
    caseIdempotencyKeyField: e.customFieldName('CASE_IDEMPOTENCY_KEY_FIELD', 'Idempotency_Key__c'),
    caseIdempotencyFingerprintField: e.customFieldName(
      'CASE_IDEMPOTENCY_FINGERPRINT_FIELD',
      'Idempotency_Fingerprint__c',
    ),
    pubsub: {
      url: e.matching(
        'PUBSUB_URL',
        '127.0.0.1:4011',
        /^[A-Za-z0-9.-]+:\d+$/,
        'a host:port (e.g. api.pubsub.salesforce.com:7443)',
      ),
      caFile: e.optional('PUBSUB_CA_FILE'),
      caseTopic: e.matching(
        'PUBSUB_CASE_TOPIC',
        '/data/CaseChangeEvent',
        /^\/data\/\w+$/,
        'a /data/… channel',
      ),
      commentTopic: e.matching(
        'PUBSUB_CASE_COMMENT_TOPIC',
        '/event/Case_Comment__e',
        /^\/event\/\w+__e$/,
        'an /event/…__e channel',
      ),
      batchSize: e.int('PUBSUB_BATCH_SIZE', 100, { min: 1, max: 100 }),
      retryMs: e.int('PUBSUB_RETRY_MS', 500, { min: 1 }),
    },
  };
}

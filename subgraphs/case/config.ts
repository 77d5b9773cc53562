// Case subgraph configuration: its variables, declared in lib/config/registry.ts (defaults: the
// local emulator and its demo credentials), mapped into the subgraph's typed config.
import { crmEnv, readEnv, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
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
  /**
   * The custom object addCaseComment records each request in (CASE_COMMENT_REQUEST_OBJECT): a
   * unique, case-sensitive external id Idempotency_Key__c, Case__c, Fingerprint__c and
   * Case_Comment_Id__c (docs/real-org.md).
   */
  caseCommentRequestObject: string;
  /**
   * The Case picklist values createCase writes (CASE_ORIGIN, CASE_PRIORITY_VALUES): each must be
   * an active value of the org's picklist (a restricted picklist refuses any other with
   * INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). Status is not written: the org's default applies.
   */
  casePicklists: {
    origin: string;
    priority: { HIGH: string; MEDIUM: string; LOW: string };
    /** CASE_STATUS_VALUES: read and filtered by (`statuses`), never written. */
    status: { NEW: string; WORKING: string; ESCALATED: string; CLOSED: string };
  };
  /** How long a keyed write whose outcome is unknown blocks its key (ms). */
  idempotencyUnknownOutcomeMs: number;
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
    /** First wait before resubscribing after the stream fails (doubles up to maxRetryMs). */
    retryMs: number;
    /** Longest wait before resubscribing. */
    maxRetryMs: number;
    /**
     * With Redis: the lease of the one replica consuming each topic (renewed every third of it).
     * Without Redis every process consumes on its own.
     */
    leaseMs: number;
  };
}

export function loadCaseConfig(env: Env): CaseConfig {
  const e = readEnv(env, 'case');
  return {
    ...serviceEnv(e, 'CASE_PORT'),
    requestLimits: subgraphLimitsFromEnv(e),
    ...crmEnv(e),
    timeoutMs: e.get('CRM_TIMEOUT_MS') ?? e.get('UPSTREAM_TIMEOUT_MS'),
    caseIdempotencyKeyField: e.get('CASE_IDEMPOTENCY_KEY_FIELD'),
    caseIdempotencyFingerprintField: e.get('CASE_IDEMPOTENCY_FINGERPRINT_FIELD'),
    caseCommentRequestObject: e.get('CASE_COMMENT_REQUEST_OBJECT'),
    casePicklists: {
      origin: e.get('CASE_ORIGIN'),
      priority: e.get('CASE_PRIORITY_VALUES'),
      status: e.get('CASE_STATUS_VALUES'),
    },
    idempotencyUnknownOutcomeMs: e.get('IDEMPOTENCY_UNKNOWN_OUTCOME_MS'),
    pubsub: {
      url: e.get('PUBSUB_URL'),
      caFile: e.get('PUBSUB_CA_FILE'),
      caseTopic: e.get('PUBSUB_CASE_TOPIC'),
      commentTopic: e.get('PUBSUB_CASE_COMMENT_TOPIC'),
      batchSize: e.get('PUBSUB_BATCH_SIZE'),
      retryMs: e.get('PUBSUB_RETRY_MS'),
      maxRetryMs: e.get('PUBSUB_RETRY_MAX_MS'),
      leaseMs: e.get('PUBSUB_LEASE_MS'),
    },
  };
}

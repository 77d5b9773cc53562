// The org contract's preflight (docs/real-org.md): every prerequisite of a real Salesforce org
// checked with the services' own configuration loaders and upstream clients. Read-only: token
// requests, describes, SELECTs with LIMIT 1, list calls, and introspection of a bogus token —
// no org data is created, changed or revoked. The one write is shopper data: a guest basket,
// deleted again, that getPaymentMethodsForBasket needs (scapi.paymentMethod).
import { UpstreamError } from '../../lib/errors.js';
import { callUpstream, joinUrl, type UpstreamTransport } from '../../lib/upstream-http.js';
import { loadCaseConfig, type CaseConfig } from '../../subgraphs/case/config.js';
import { CrmClient, type SfRecord } from '../../lib/salesforce/crm-client.js';
import { CoreTokenCache } from '../../lib/salesforce/token-cache.js';
import { PubSubSubscriber, readCa } from '../../lib/salesforce/pubsub-subscriber.js';
import { PUBSUB_PROTO_PATH } from '../../lib/salesforce/pubsub-proto.js';
import { status as grpcStatus } from '@grpc/grpc-js';
import { CASE_FIELDS, COMMENT_FIELDS } from '../../subgraphs/case/mappers.js';
import { loadCustomerConfig, type CustomerConfig } from '../../subgraphs/customer/config.js';
import { DataCloudAuth } from '../../subgraphs/customer/auth.js';
import {
  DataCloudClient,
  sqlString,
  type DataGraphObject,
} from '../../subgraphs/customer/client.js';
import { loadCommerceConfig, type CommerceConfig } from '../../subgraphs/commerce/config.js';
import { ScapiClient, SLAS_SCOPES, missingSlasScopes } from '../../subgraphs/commerce/client.js';
import { SlasTokenCache } from '../../subgraphs/commerce/token-cache.js';
import {
  loadSessionConfig,
  type HeadlessProtection,
  type SessionConfig,
} from '../../subgraphs/session/config.js';
import { soqlString } from '../../lib/salesforce/soql.js';
import { SessionAccounts } from '../../subgraphs/session/client.js';
import { loadGatewayConfig, type GatewayConfig } from '../../gateway/config.js';

export type Area =
  | 'Configuration'
  | 'CRM'
  | 'Live updates (Pub/Sub API)'
  | 'Data Cloud'
  | 'B2C Commerce'
  | 'Identity';
export const AREAS: readonly Area[] = [
  'Configuration',
  'CRM',
  'Live updates (Pub/Sub API)',
  'Data Cloud',
  'B2C Commerce',
  'Identity',
];

export interface CheckResult {
  /** Stable id (`crm.case.keyField`), for tests and scripts. */
  id: string;
  area: Area;
  /** What is checked, naming the org's object and the variable that configures it. */
  title: string;
  status: 'pass' | 'fail' | 'skip';
  /** pass: what was found; fail: what is missing; skip: which failed check it depends on. */
  detail?: string;
  /** How to fix a failure. */
  fix?: string;
}

/** A prerequisite no read-only call can verify: listed so that the operator checks it by hand. */
export interface ManualItem {
  area: Area;
  text: string;
}

export interface OrgCheckReport {
  results: CheckResult[];
  manual: ManualItem[];
  /** True when no check failed. */
  ok: boolean;
}

/** A prerequisite that is not met: `problem` says what is missing. */
class Missing extends Error {
  constructor(
    readonly problem: string,
    readonly fix?: string,
  ) {
    super(problem);
  }
}

/** The SLAS login id the trusted-system probe asks for: a reserved domain, so no shopper has it. */
export const TSOB_PROBE_LOGIN = 'org-check-probe@example.invalid';
/** The product id the catalogue probe asks for (unknown ids are dropped from getProducts). */
export const PRODUCT_PROBE_ID = 'org-check-probe';
/** The token the introspection probe sends: never a real token. */
export const INTROSPECT_PROBE_TOKEN = 'org-check-probe-not-a-token';

/** How to let the integration user see every user's OauthToken rows. */
export const OAUTH_TOKEN_FIX =
  'Give the integration user "Customize Application" (permission set or profile; "Manage Users" is not enough): without it OauthToken shows only its own rows.';

/** The length of what the case subgraph writes into both Case fields: base64url(SHA-256). */
const CASE_VALUE_LENGTH = 43;

function describeError(err: unknown): string {
  if (err instanceof UpstreamError) {
    if (err.status === 0) return err.message;
    return `answered ${err.status}${err.upstreamCode ? ` ${err.upstreamCode}` : ''}`;
  }
  return (err as Error)?.message ?? String(err);
}

class Checklist {
  readonly results: CheckResult[] = [];

  /**
   * Runs one check. `fn` returns a note when it passes and throws Missing (or an upstream error)
   * when it does not; `fix` is the advice for an upstream error.
   */
  async run(
    area: Area,
    id: string,
    title: string,
    fix: string,
    fn: () => Promise<string | void>,
  ): Promise<boolean> {
    try {
      const note = await fn();
      this.results.push({ id, area, title, status: 'pass', ...(note ? { detail: note } : {}) });
      return true;
    } catch (err) {
      const problem = err instanceof Missing ? err.problem : describeError(err);
      const advice = err instanceof Missing && err.fix ? err.fix : fix;
      this.results.push({ id, area, title, status: 'fail', detail: problem, fix: advice });
      return false;
    }
  }

  skip(area: Area, id: string, title: string, needs: string): void {
    this.results.push({ id, area, title, status: 'skip', detail: `not checked: needs ${needs}` });
  }
}

/** The five services' configuration, each loaded by the service's own loader. */
interface Configs {
  case?: CaseConfig;
  customer?: CustomerConfig;
  commerce?: CommerceConfig;
  session?: SessionConfig;
  gateway?: GatewayConfig;
}

function loadConfigs(env: NodeJS.ProcessEnv, list: Checklist): Configs {
  const configs: Configs = {};
  const load = <K extends keyof Configs>(
    key: K,
    loader: string,
    fn: () => NonNullable<Configs[K]>,
  ) => {
    try {
      configs[key] = fn();
    } catch (err) {
      list.results.push({
        id: `config.${key}`,
        area: 'Configuration',
        title: `${key} configuration (${loader})`,
        status: 'fail',
        detail: (err as Error).message,
        fix: 'Correct the variable named above (.env.example lists every variable and its default).',
      });
    }
  };
  load('case', 'loadCaseConfig', () => loadCaseConfig(env));
  load('customer', 'loadCustomerConfig', () => loadCustomerConfig(env));
  load('commerce', 'loadCommerceConfig', () => loadCommerceConfig(env));
  load('session', 'loadSessionConfig', () => loadSessionConfig(env));
  load('gateway', 'loadGatewayConfig', () => loadGatewayConfig(env));
  if (Object.keys(configs).length === 5)
    list.results.push({
      id: 'config.load',
      area: 'Configuration',
      title: 'service configuration loads (case, customer, commerce, session, gateway)',
      status: 'pass',
    });
  return configs;
}

// ---------------------------------------------------------------------------------------------
// CRM: the integration client's token, the Case contract fields, and read access to the objects.

interface DescribeField {
  name: string;
  type: string;
  length?: number;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  createable?: boolean;
  updateable?: boolean;
  referenceTo?: string[];
  /** PicklistEntry: value, active (describe lists inactive values too). */
  picklistValues?: Array<{ value: string; active: boolean }>;
  restrictedPicklist?: boolean;
}

interface DescribeResult {
  name: string;
  createable?: boolean;
  queryable?: boolean;
  fields: DescribeField[];
}

async function crmChecks(
  config: CaseConfig,
  agentClientIds: readonly string[],
  transport: UpstreamTransport,
  list: Checklist,
) {
  const area: Area = 'CRM';
  const tokens = new CoreTokenCache(config);
  const crm = new CrmClient(config, tokens, transport);
  const tokenOk = await list.run(
    area,
    'crm.token',
    'integration client token (client credentials: CRM_LOGIN_URL, CRM_CLIENT_ID, CRM_CLIENT_SECRET)',
    'Enable the client credentials flow on the integration connected app with a Run As user, and set CRM_LOGIN_URL to the org’s My Domain.',
    async () => {
      const session = await tokens.get(transport);
      return `instance ${session.instanceUrl}`;
    },
  );
  const keyTitle = `Case.${config.caseIdempotencyKeyField} (CASE_IDEMPOTENCY_KEY_FIELD): unique, case-sensitive external id, Text(80)`;
  const fpTitle = `Case.${config.caseIdempotencyFingerprintField} (CASE_IDEMPOTENCY_FINGERPRINT_FIELD): Text(64)`;
  const requestObject = config.caseCommentRequestObject;
  const { origin, priority, status } = config.casePicklists;
  const statusList = `${status.NEW}, ${status.WORKING}, ${status.ESCALATED}, ${status.CLOSED}`;
  const picklistTitle = `Case picklist values the case subgraph writes or filters by are active: Origin ${origin} (CASE_ORIGIN), Priority ${priority.HIGH}, ${priority.MEDIUM}, ${priority.LOW} (CASE_PRIORITY_VALUES), Status ${statusList} (CASE_STATUS_VALUES)`;
  const requestTitle = `${requestObject} (CASE_COMMENT_REQUEST_OBJECT): Idempotency_Key__c unique, case-sensitive external id; Case__c, Fingerprint__c, Case_Comment_Id__c (addCaseComment)`;
  const objects = ['Case', 'CaseComment', 'Contact', 'User', 'TwoFactorMethodsInfo', 'OauthToken'];
  const licenceTitle =
    'the agent app’s Run As user holds the Salesforce Integration user licence (CRM_CLIENT_ID in AGENT_CLIENT_IDS)';
  const oauthTokenTitle =
    'the integration user sees every user’s OauthToken rows ("Customize Application": logout and password reset end every grant)';
  if (!tokenOk) {
    list.skip(area, 'crm.case.object', 'Case and CaseComment can be created', 'crm.token');
    list.skip(area, 'crm.case.keyField', keyTitle, 'crm.token');
    list.skip(area, 'crm.case.fingerprintField', fpTitle, 'crm.token');
    list.skip(area, 'crm.case.picklists', picklistTitle, 'crm.token');
    list.skip(area, 'crm.caseCommentRequest', requestTitle, 'crm.token');
    list.skip(area, 'crm.oauthToken', oauthTokenTitle, 'crm.token');
    list.skip(area, 'crm.agentLicence', licenceTitle, 'crm.token');
    for (const o of objects)
      list.skip(area, `crm.query.${o}`, `the integration user reads ${o}`, 'crm.token');
    return;
  }

  /** GET {instance}/services/data/vXX.X/sobjects/{name}/describe; null when the object is unknown. */
  const describe = async (name: string): Promise<DescribeResult | null> => {
    for (let attempt = 0; ; attempt++) {
      const session = await tokens.get(transport);
      const res = await callUpstream<DescribeResult>(
        {
          family: 'crm',
          method: 'GET',
          url: joinUrl(
            session.instanceUrl,
            `/services/data/v${config.crmApiVersion}/sobjects/${name}/describe`,
          ),
          headers: { authorization: `Bearer ${session.accessToken}` },
          timeoutMs: config.timeoutMs,
          accept: attempt === 0 ? [401, 404] : [404],
        },
        transport,
      );
      if (res.status === 401) {
        tokens.invalidate(session.accessToken);
        continue;
      }
      return res.status === 404 ? null : res.body;
    }
  };

  let caseDescribe: Promise<DescribeResult | null> | undefined;
  const describeCase = async () => {
    const d = await (caseDescribe ??= describe('Case'));
    if (!d) throw new Missing('describe Case answered 404: the integration user cannot see Case');
    return d;
  };
  const field = (d: DescribeResult, name: string) =>
    d.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());

  await list.run(
    area,
    'crm.case.object',
    'Case and CaseComment can be created (createCase, addCaseComment)',
    'Give the integration user Create and Edit on Case and Create on CaseComment (profile or permission set).',
    async () => {
      const c = await describeCase();
      const comment = await describe('CaseComment');
      const missing = [
        ...(c.createable ? [] : ['Case is not createable']),
        ...(comment?.createable ? [] : ['CaseComment is not createable']),
      ];
      if (missing.length) throw new Missing(`${missing.join('; ')} for the integration user`);
    },
  );

  await list.run(
    area,
    'crm.case.keyField',
    keyTitle,
    `Create the Case field ${config.caseIdempotencyKeyField}: Text(80), External ID, Unique, "Treat "ABC" and "abc" as different values (case sensitive)", visible and editable for the integration user — or set CASE_IDEMPOTENCY_KEY_FIELD to the field the org has.`,
    async () => {
      const f = field(await describeCase(), config.caseIdempotencyKeyField);
      if (!f) throw new Missing(`Case has no field ${config.caseIdempotencyKeyField}`);
      const wrong = [
        ...(f.type === 'string' ? [] : [`type is ${f.type}, not Text`]),
        ...((f.length ?? 0) >= CASE_VALUE_LENGTH
          ? []
          : [`length ${f.length ?? 0} < ${CASE_VALUE_LENGTH}`]),
        ...(f.externalId ? [] : ['not an External ID']),
        ...(f.unique ? [] : ['not Unique']),
        // Describe reports caseSensitive on every field; a case-insensitive unique key would
        // make two base64url keys that differ only in case collide.
        ...(f.caseSensitive !== true ? ['not case-sensitive'] : []),
        ...(f.createable === false ? ['not createable by the integration user'] : []),
      ];
      if (wrong.length) throw new Missing(`Case.${f.name} is ${wrong.join(', ')}`);
      return `Text(${f.length}), external id, unique`;
    },
  );

  await list.run(
    area,
    'crm.case.fingerprintField',
    fpTitle,
    `Create the Case field ${config.caseIdempotencyFingerprintField}: Text(64), visible and editable for the integration user — or set CASE_IDEMPOTENCY_FINGERPRINT_FIELD to the field the org has.`,
    async () => {
      const f = field(await describeCase(), config.caseIdempotencyFingerprintField);
      if (!f) throw new Missing(`Case has no field ${config.caseIdempotencyFingerprintField}`);
      const wrong = [
        ...(f.type === 'string' ? [] : [`type is ${f.type}, not Text`]),
        ...((f.length ?? 0) >= CASE_VALUE_LENGTH
          ? []
          : [`length ${f.length ?? 0} < ${CASE_VALUE_LENGTH}`]),
        ...(f.createable === false ? ['not createable by the integration user'] : []),
      ];
      if (wrong.length) throw new Missing(`Case.${f.name} is ${wrong.join(', ')}`);
      return `Text(${f.length})`;
    },
  );

  // Each configured value must be an active entry of the org's picklist (DescribeFieldResult
  // picklistValues[].active): a restricted picklist refuses any other value on insert
  // (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST); an unrestricted one would store a value no agent
  // can pick.
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
  const picklistFix =
    'Activate the value in Setup → Object Manager → Case → Fields & Relationships → Case Origin / Priority / Status → Values (an inactive value: Activate; a missing one: New) — or set CASE_ORIGIN / CASE_PRIORITY_VALUES (High,Medium,Low order) / CASE_STATUS_VALUES (New,Working,Escalated,Closed order) to active values of the org’s picklists.';
  await list.run(area, 'crm.case.picklists', picklistTitle, picklistFix, async () => {
    const c = await describeCase();
    const problems: string[] = [];
    const want: Array<[string, string]> = [
      ['Origin', origin],
      ['Priority', priority.HIGH],
      ['Priority', priority.MEDIUM],
      ['Priority', priority.LOW],
      ['Status', status.NEW],
      ['Status', status.WORKING],
      ['Status', status.ESCALATED],
      ['Status', status.CLOSED],
    ];
    for (const [name, value] of want) {
      const f = field(c, name);
      if (!f) {
        problems.push(`Case has no field ${name}`);
        continue;
      }
      const entry = f.picklistValues?.find((v) => v.value === value);
      if (!entry) problems.push(`Case.${name} has no value ${value}`);
      else if (!entry.active) problems.push(`Case.${name} value ${value} is inactive`);
    }
    if (problems.length) throw new Missing(problems.join('; '));
    return `Origin ${origin}; Priority ${priority.HIGH}, ${priority.MEDIUM}, ${priority.LOW}; Status ${statusList}`;
  });

  await list.run(
    area,
    'crm.caseCommentRequest',
    requestTitle,
    `Create the custom object ${requestObject} with the fields Idempotency_Key__c (Text(80), External ID, Unique, "Treat "ABC" and "abc" as different values (case sensitive)"), Case__c (Lookup(Case)), Fingerprint__c (Text(64)) and Case_Comment_Id__c (Text(18)); give the integration user Read and Create on it and edit access to the four fields — or set CASE_COMMENT_REQUEST_OBJECT to the object the org has (docs/real-org.md).`,
    async () => {
      const d = await describe(requestObject);
      if (!d)
        throw new Missing(
          `describe ${requestObject} answered 404: the org has no such object, or the integration user cannot see it`,
        );
      const wrong: string[] = [];
      if (!d.createable) wrong.push(`${requestObject} is not createable`);
      const text = (name: string, min: number) => {
        const f = field(d, name);
        if (!f) return (wrong.push(`no field ${name}`), undefined);
        if (f.type !== 'string') wrong.push(`${name} type is ${f.type}, not Text`);
        if ((f.length ?? 0) < min) wrong.push(`${name} length ${f.length ?? 0} < ${min}`);
        if (f.createable === false) wrong.push(`${name} not createable by the integration user`);
        return f;
      };
      const key = text('Idempotency_Key__c', CASE_VALUE_LENGTH);
      if (key) {
        if (!key.externalId) wrong.push('Idempotency_Key__c not an External ID');
        if (!key.unique) wrong.push('Idempotency_Key__c not Unique');
        if (key.caseSensitive !== true) wrong.push('Idempotency_Key__c not case-sensitive');
      }
      const lookup = field(d, 'Case__c');
      if (!lookup) wrong.push('no field Case__c');
      else if (lookup.type !== 'reference' || !(lookup.referenceTo ?? []).includes('Case'))
        wrong.push('Case__c is not a lookup to Case');
      text('Fingerprint__c', CASE_VALUE_LENGTH);
      text('Case_Comment_Id__c', 18);
      if (wrong.length) throw new Missing(wrong.join('; '));
      // Read access to the four fields (a retry finds its request by reading them).
      await crm.query<SfRecord>(
        `SELECT Idempotency_Key__c, Case__c, Fingerprint__c, Case_Comment_Id__c FROM ${requestObject} LIMIT 1`,
      );
      return 'Idempotency_Key__c: Text, external id, unique, case-sensitive';
    },
  );

  await list.run(area, 'crm.oauthToken', oauthTokenTitle, OAUTH_TOKEN_FIX, async () => {
    const d = await describe('OauthToken');
    if (!d) throw new Missing('describe OauthToken answered 404');
    if (!d.queryable) throw new Missing('OauthToken is not queryable for the integration user');
    // Other users' OauthToken rows are visible only with "Customize Application"; without it
    // the query answers the integration user's own rows and no error, and ending a citizen's
    // sessions would find none. The permission is read where the org keeps it (a profile's
    // permissions are a permission set too); the rows of other users prove it when present.
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
    const me = (await tokens.get(transport)).userId;
    const { records: others } = await crm.query<SfRecord>(
      `SELECT UserId FROM OauthToken WHERE UserId != ${soqlString(me)} LIMIT 1`,
    );
    let held: boolean | undefined;
    try {
      held =
        (
          await crm.query<SfRecord>(
            `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(me)} AND PermissionSet.PermissionsCustomizeApplication = true LIMIT 1`,
          )
        ).records.length > 0;
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.status >= 500 || err.status === 0) throw err;
    }
    if (held === false)
      throw new Missing(
        'the integration user lacks "Customize Application": OauthToken shows it only its own rows, so no citizen session can be ended',
      );
    if (held)
      return `"Customize Application" held${others.length ? '; other users’ rows visible' : ''}`;
    if (others.length) return 'other users’ rows visible';
    throw new Missing(
      'no other user’s OauthToken row is visible and PermissionSetAssignment cannot be read: "Customize Application" is not proven',
    );
  });

  // An agent app's client-credentials token acts as its Run As user, which must be an API-only
  // Salesforce Integration user. Checked for the integration app when it is an agent app; other
  // agent apps' users are a manual item.
  // https://help.salesforce.com/s/articleView?id=platform.integration_user.htm
  if (!agentClientIds.includes(config.crmClientId))
    list.skip(area, 'crm.agentLicence', licenceTitle, 'CRM_CLIENT_ID in AGENT_CLIENT_IDS');
  else
    await list.run(
      area,
      'crm.agentLicence',
      licenceTitle,
      'Run the agent app as a user with the Salesforce Integration user licence (profile "Minimum Access - API Only Integrations", with the permission sets this contract lists).',
      async () => {
        const me = (await tokens.get(transport)).userId;
        const { records } = await crm.query<{
          Profile?: { Name?: string; UserLicense?: { Name?: string } | null } | null;
        }>(
          `SELECT Profile.Name, Profile.UserLicense.Name FROM User WHERE Id = ${soqlString(me)} LIMIT 1`,
        );
        const licence = records[0]?.Profile?.UserLicense?.Name;
        if (licence !== 'Salesforce Integration')
          throw new Missing(
            `the integration user's licence is ${licence ? `"${licence}"` : 'not readable'}, not "Salesforce Integration"`,
          );
        return `profile "${records[0]?.Profile?.Name}"`;
      },
    );

  // The columns the subgraphs read (SOQL names an unreadable field as INVALID_FIELD).
  const reads: Record<string, readonly string[]> = {
    Case: [...CASE_FIELDS, config.caseIdempotencyKeyField, config.caseIdempotencyFingerprintField],
    CaseComment: [...COMMENT_FIELDS, 'IsPublished'],
    Contact: ['Id'],
    User: ['Id', 'Username', 'IsActive', 'LastLoginDate', 'ContactId'],
    TwoFactorMethodsInfo: ['UserId', 'HasUserVerifiedEmailAddress'],
    OauthToken: ['DeleteToken', 'UserId'],
  };
  for (const o of objects) {
    await list.run(
      area,
      `crm.query.${o}`,
      `the integration user reads ${o} (${reads[o].join(', ')})`,
      `Give the integration user Read on ${o} and field-level access to the fields listed.`,
      async () => {
        await crm.query<SfRecord>(`SELECT ${reads[o].join(', ')} FROM ${o} LIMIT 1`);
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Live updates: the two topics the case subgraph subscribes to and the customer subgraph's
// citizen change event (PUBSUB_CITIZEN_TOPIC) exist and the integration user may subscribe (Pub/Sub API GetTopic: read-only, it returns the topic's info or NOT_FOUND /
// PERMISSION_DENIED). Change events need Change Data Capture on Case and "View All Records" on
// Case for the subscriber; Case_Comment__e is the org's own platform event, published by its
// automation for each new CaseComment (CaseComment has no change events). The citizen event is
// published by the org's Data Cloud-Triggered Flow (or a Data Action) on profile/insight changes.
// https://help.salesforce.com/s/articleView?id=sf.c360_a_data_cloud_triggered_flow.htm
// https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/gettopic-rpc.html
// https://developer.salesforce.com/docs/platform/change-data-capture/guide/cdc-security-perms.html

async function pubSubChecks(config: CaseConfig, list: Checklist, citizenTopic?: string) {
  const area: Area = 'Live updates (Pub/Sub API)';
  const tokens = new CoreTokenCache(config);
  const caseTitle = `Case change events ${config.pubsub.caseTopic} (PUBSUB_CASE_TOPIC) at ${config.pubsub.url} (PUBSUB_URL)`;
  const commentTitle = `platform event ${config.pubsub.commentTopic} (PUBSUB_CASE_COMMENT_TOPIC) at ${config.pubsub.url}`;
  const citizenTitle = `platform event ${citizenTopic} (PUBSUB_CITIZEN_TOPIC) at ${config.pubsub.url}`;
  let session: { accessToken: string; instanceUrl: string };
  try {
    session = await tokens.get({});
  } catch {
    list.skip(area, 'pubsub.topic.case', caseTitle, 'crm.token');
    list.skip(area, 'pubsub.topic.comment', commentTitle, 'crm.token');
    if (citizenTopic) list.skip(area, 'pubsub.topic.citizen', citizenTitle, 'crm.token');
    return;
  }
  const subscriber = new PubSubSubscriber({
    url: config.pubsub.url,
    protoPath: PUBSUB_PROTO_PATH,
    caPem: readCa(config.pubsub.caFile),
    session: async () => session,
    invalidate: () => {},
  });
  const probe = async (topic: string) => {
    try {
      const info = await subscriber.getTopic(topic, session, config.timeoutMs);
      if (info.canSubscribe === false)
        throw new Missing(`GetTopic ${topic}: the integration user may not subscribe`);
      return `schema ${info.schemaId}`;
    } catch (err) {
      if (err instanceof Missing) throw err;
      const e = err as { code?: number; details?: string; message?: string };
      const code = e.code !== undefined ? (grpcStatus[e.code] ?? String(e.code)) : undefined;
      throw new Missing(
        `GetTopic ${topic} answered ${code ?? 'an error'}${e.details ? `: ${e.details}` : ''}`,
        code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED'
          ? 'Set PUBSUB_URL to the Pub/Sub API endpoint (api.pubsub.salesforce.com:7443, or your region’s) and make sure this host reaches it (gRPC over TLS); PUBSUB_CA_FILE only for a private CA.'
          : undefined,
      );
    }
  };
  try {
    await list.run(
      area,
      'pubsub.topic.case',
      caseTitle,
      'Enable Change Data Capture for Case (Setup → Integrations → Change Data Capture: add Case to Selected Entities) and give the integration user "View All Records" on Case (or "View All Data"); PUBSUB_CASE_TOPIC must be /data/CaseChangeEvent or a custom channel carrying Case.',
      () => probe(config.pubsub.caseTopic),
    );
    await list.run(
      area,
      'pubsub.topic.comment',
      commentTitle,
      `Create the platform event ${config.pubsub.commentTopic.replace('/event/', '')} (fields Case_Id__c Text(18), CaseComment_Id__c Text(18), Is_Published__c Checkbox; Publish After Commit) and the CaseComment after-insert trigger (or record-triggered flow) that publishes one per new comment; give the integration user Read on the event.`,
      () => probe(config.pubsub.commentTopic),
    );
    if (citizenTopic)
      await list.run(
        area,
        'pubsub.topic.citizen',
        citizenTitle,
        `Create the platform event ${citizenTopic.replace('/event/', '')} (fields UnifiedIndividualId__c Text(64), ChangeType__c Text(16): profile | insight, ChangedFields__c Text(255), ChangedAt__c Date/Time; Publish Immediately) and the Data Cloud-Triggered Flow (or Data Action with a Salesforce Platform Event target) that publishes one when a unified individual or the calculated insight changes; give the integration user Read on the event.`,
        () => probe(citizenTopic),
      );
  } finally {
    subscriber.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Data Cloud: the token exchange, every DMO and the calculated insight the customer subgraph
// reads (with the columns it reads), the data source ids, the identification type, segments.

async function dataCloudChecks(
  config: CustomerConfig,
  transport: UpstreamTransport,
  list: Checklist,
) {
  const area: Area = 'Data Cloud';
  const m = config.dataCloud;
  const auth = new DataCloudAuth(config);
  const dc = new DataCloudClient(config, auth, transport);
  const suffix = `DATA_CLOUD_RULESET_SUFFIX=${m.rulesetSuffix}`;
  const tables: Array<{ id: string; table: string; variable: string; columns: string[] }> = [
    {
      id: 'unifiedIndividual',
      table: m.unifiedIndividual,
      variable: suffix,
      columns: ['ssot__Id__c', 'ssot__FirstName__c', 'ssot__LastName__c'],
    },
    {
      id: 'individualLink',
      table: m.individualLink,
      variable: suffix,
      columns: [
        'SourceRecordId__c',
        'UnifiedRecordId__c',
        'ssot__DataSourceId__c',
        'ssot__DataSourceObjectId__c',
      ],
    },
    {
      id: 'contactPointEmail',
      table: m.contactPointEmail,
      variable: suffix,
      columns: ['ssot__PartyId__c', 'ssot__EmailAddress__c'],
    },
    {
      id: 'contactPointPhone',
      table: m.contactPointPhone,
      variable: suffix,
      columns: ['ssot__PartyId__c', 'ssot__FormattedE164PhoneNumber__c'],
    },
    {
      id: 'contactPointAddress',
      table: m.contactPointAddress,
      variable: suffix,
      columns: [
        'ssot__PartyId__c',
        'ssot__AddressLine1__c',
        'ssot__CityId__c',
        'ssot__StateProvinceId__c',
        'ssot__PostalCodeId__c',
        'ssot__CountryId__c',
      ],
    },
    {
      id: 'calculatedInsight',
      table: m.calculatedInsight,
      variable: 'DATA_CLOUD_CALCULATED_INSIGHT',
      columns: [
        'UnifiedIndividualId__c',
        'LifetimeValue__c',
        'EngagementScore__c',
        'BenefitEligibility__c',
      ],
    },
    {
      id: 'segmentMembership',
      table: m.segmentMembershipTable,
      variable: 'DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE',
      columns: ['Id__c', 'Segment_Id__c'],
    },
    {
      id: 'partyIdentification',
      table: 'ssot__PartyIdentification__dlm',
      variable: 'standard DMO',
      columns: [
        'ssot__PartyId__c',
        'ssot__Identificationnumber__c',
        'ssot__PartyIdentificationTypeId__c',
      ],
    },
  ];
  const sourceTitle = (kind: string, s: { dataSourceId: string; objectId: string }, v: string) =>
    `${kind} records reach unified individuals from data source ${s.dataSourceId} / ${s.objectId} (${v}_ID, ${v}_OBJECT)`;
  const sources = [
    {
      id: 'datacloud.source.crm',
      title: sourceTitle('CRM Contact', m.crmContactSource, 'DATA_CLOUD_CRM_SOURCE'),
      source: m.crmContactSource,
      fix: 'Set DATA_CLOUD_CRM_SOURCE_ID / DATA_CLOUD_CRM_SOURCE_OBJECT to the ssot__DataSourceId__c / ssot__DataSourceObjectId__c of the CRM Contact data stream (Data Cloud → Data Streams), and include it in the identity-resolution ruleset.',
    },
    {
      id: 'datacloud.source.commerce',
      title: sourceTitle(
        'Commerce customer',
        m.commerceCustomerSource,
        'DATA_CLOUD_COMMERCE_SOURCE',
      ),
      source: m.commerceCustomerSource,
      fix: 'Set DATA_CLOUD_COMMERCE_SOURCE_ID / DATA_CLOUD_COMMERCE_SOURCE_OBJECT to the ssot__DataSourceId__c / ssot__DataSourceObjectId__c of the B2C Commerce customer data stream, and include it in the identity-resolution ruleset.',
    },
  ];
  const idTypeTitle = `Commerce logins are party identifications of type ${m.commerceLoginIdentificationType} (DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE)`;
  const segmentsTitle = 'segments list (Connect /ssot/segments) and their membership DMO';

  const exchangeOk = await list.run(
    area,
    'datacloud.exchange',
    'token exchange (core token → Data Cloud token, /services/a360/token)',
    'Give the integration user a Data Cloud permission set and the connected app the scopes api, cdp_query_api, cdp_profile_api and cdp_segment_api; DATA_CLOUD_TENANT_URL must be empty on a real org (the tenant comes from the exchange).',
    async () => `tenant ${(await auth.dataCloudToken(transport)).tenantUrl}`,
  );
  if (!exchangeOk) {
    for (const t of tables)
      list.skip(area, `datacloud.dmo.${t.id}`, `${t.table} (${t.variable})`, 'datacloud.exchange');
    for (const s of sources) list.skip(area, s.id, s.title, 'datacloud.exchange');
    list.skip(area, 'datacloud.partyIdentificationType', idTypeTitle, 'datacloud.exchange');
  } else {
    const present = new Set<string>();
    for (const t of tables) {
      await list.run(
        area,
        `datacloud.dmo.${t.id}`,
        `${t.table} (${t.variable}) with ${t.columns.join(', ')}`,
        t.id === 'calculatedInsight'
          ? `Create and publish the calculated insight ${t.table} with dimension UnifiedIndividualId__c and measures LifetimeValue__c, EngagementScore__c, BenefitEligibility__c — or set DATA_CLOUD_CALCULATED_INSIGHT to the org's insight.`
          : t.id === 'segmentMembership'
            ? `Publish a segment on ${m.unifiedIndividual} so that its latest-membership DMO exists, or set DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE to the segmentMembershipTable the org's segments report.`
            : `Map the DMO ${t.table} (run identity resolution with the ruleset whose id is the suffix) and give the integration user read access to it.`,
        async () => {
          try {
            await dc.query(`SELECT ${t.columns.join(', ')} FROM ${t.table} LIMIT 1`);
          } catch (err) {
            if (!(err instanceof UpstreamError) || err.status !== 400) throw err;
            // Which columns are missing: one probe per column.
            const missing: string[] = [];
            for (const c of t.columns) {
              try {
                await dc.query(`SELECT ${c} FROM ${t.table} LIMIT 1`);
              } catch (e) {
                if (!(e instanceof UpstreamError) || e.status !== 400) throw e;
                missing.push(c);
              }
            }
            if (missing.length === t.columns.length)
              throw new Missing(
                `${t.table} does not exist or cannot be read (${describeError(err)})`,
              );
            throw new Missing(`${t.table} has no column ${missing.join(', ')}`);
          }
          present.add(t.id);
        },
      );
    }
    for (const s of sources) {
      if (!present.has('individualLink')) {
        list.skip(area, s.id, s.title, 'datacloud.dmo.individualLink');
        continue;
      }
      await list.run(area, s.id, s.title, s.fix, async () => {
        const rows = await dc.query(
          `SELECT SourceRecordId__c FROM ${m.individualLink} WHERE ssot__DataSourceId__c = ${sqlString(s.source.dataSourceId)} AND ssot__DataSourceObjectId__c = ${sqlString(s.source.objectId)} LIMIT 1`,
        );
        if (!rows.length)
          throw new Missing(
            `no ${m.individualLink} row has ssot__DataSourceId__c = '${s.source.dataSourceId}' and ssot__DataSourceObjectId__c = '${s.source.objectId}'`,
          );
      });
    }
    if (!present.has('partyIdentification'))
      list.skip(
        area,
        'datacloud.partyIdentificationType',
        idTypeTitle,
        'datacloud.dmo.partyIdentification',
      );
    else
      await list.run(
        area,
        'datacloud.partyIdentificationType',
        idTypeTitle,
        'Map the Commerce customer login to Party Identification with ssot__PartyIdentificationTypeId__c set to this value, or set DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE to the type the org uses.',
        async () => {
          const rows = await dc.query(
            `SELECT ssot__PartyId__c FROM ssot__PartyIdentification__dlm WHERE ssot__PartyIdentificationTypeId__c = ${sqlString(m.commerceLoginIdentificationType)} LIMIT 1`,
          );
          if (!rows.length)
            throw new Missing(
              `no ssot__PartyIdentification__dlm row has ssot__PartyIdentificationTypeId__c = '${m.commerceLoginIdentificationType}'`,
            );
        },
      );
  }

  // The data graph single citizens are read from (DATA_CLOUD_DATA_GRAPH): it exists, is built
  // on the unified individual, and has every object and field graphRows reads, on its paths.
  const graphTitle = `data graph ${config.dataGraph ?? '(none)'} (DATA_CLOUD_DATA_GRAPH) on ${m.unifiedIndividual} with the objects and fields a citizen's profile reads`;
  if (!config.dataGraph)
    list.skip(
      area,
      'datacloud.dataGraph',
      graphTitle,
      'DATA_CLOUD_DATA_GRAPH (blank: Query API only)',
    );
  else if (!exchangeOk) list.skip(area, 'datacloud.dataGraph', graphTitle, 'datacloud.exchange');
  else {
    const graph = config.dataGraph;
    await list.run(area, 'datacloud.dataGraph', graphTitle, dataGraphFix(config), async () => {
      const [meta] = (await dc.dataGraphMetadata(graph)).filter((g) => g.developerName === graph);
      if (!meta) throw new Missing(`no data graph ${graph} (GET /api/v1/dataGraph/metadata)`);
      if (meta.primaryObjectName?.toLowerCase() !== m.unifiedIndividual.toLowerCase())
        throw new Missing(
          `${graph} is built on ${meta.primaryObjectName ?? '(no primary object)'}, not ${m.unifiedIndividual}`,
        );
      if (meta.status && !/^(ready|published)$/i.test(meta.status))
        throw new Missing(`${graph} is ${meta.status}, not READY`);
      const missing = missingFromGraph(meta.object, dataGraphShape(m));
      if (missing.length) throw new Missing(`${graph} lacks ${missing.join('; ')}`);
      // Its data is readable: a record that does not exist is an empty answer, not a refusal.
      await dc.dataGraphById(PRODUCT_PROBE_ID);
      return `status ${meta.status ?? '?'}`;
    });
  }

  // Connect segments run on the core token (not the exchange), so they are checked either way.
  await list.run(
    area,
    'datacloud.segments',
    segmentsTitle,
    'Give the integration user access to segments (cdp_segment_api scope, Data Cloud permission set).',
    async () => {
      const segments = await dc.listSegments(200);
      // Citizen.segments reads one membership DMO: the segments built on the unified individual
      // must publish into it.
      const elsewhere = segments.filter(
        (s) =>
          s.segmentOnApiName?.toLowerCase() === m.unifiedIndividual.toLowerCase() &&
          s.segmentMembershipTable &&
          s.segmentMembershipTable.toLowerCase() !== m.segmentMembershipTable.toLowerCase(),
      );
      if (elsewhere.length)
        throw new Missing(
          `segments on ${m.unifiedIndividual} publish to ${[...new Set(elsewhere.map((s) => s.segmentMembershipTable))].join(', ')}, not ${m.segmentMembershipTable}`,
          'Set DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE to the segmentMembershipTable these segments report.',
        );
      return `${segments.length} segment${segments.length === 1 ? '' : 's'}`;
    },
  );
}

/** What the customer subgraph reads from a data graph record (citizen-parts.ts graphRows). */
interface GraphShape {
  object: string;
  fields: string[];
  related: GraphShape[];
}

function dataGraphShape(m: CustomerConfig['dataCloud']): GraphShape {
  const leaf = (object: string, fields: string[]): GraphShape => ({ object, fields, related: [] });
  return {
    object: m.unifiedIndividual,
    fields: ['ssot__Id__c', 'ssot__FirstName__c', 'ssot__LastName__c'],
    related: [
      {
        object: m.individualLink,
        fields: [
          'SourceRecordId__c',
          'UnifiedRecordId__c',
          'ssot__DataSourceId__c',
          'ssot__DataSourceObjectId__c',
        ],
        related: [
          {
            object: 'ssot__Individual__dlm',
            fields: ['ssot__Id__c'],
            related: [
              leaf('ssot__PartyIdentification__dlm', [
                'ssot__PartyIdentificationTypeId__c',
                'ssot__Identificationnumber__c',
              ]),
            ],
          },
        ],
      },
      leaf(m.contactPointEmail, ['ssot__PartyId__c', 'ssot__EmailAddress__c']),
      leaf(m.contactPointPhone, ['ssot__PartyId__c', 'ssot__FormattedE164PhoneNumber__c']),
      leaf(m.contactPointAddress, [
        'ssot__PartyId__c',
        'ssot__AddressLine1__c',
        'ssot__CityId__c',
        'ssot__StateProvinceId__c',
        'ssot__PostalCodeId__c',
        'ssot__CountryId__c',
      ]),
      leaf(m.calculatedInsight, [
        'UnifiedIndividualId__c',
        'LifetimeValue__c',
        'EngagementScore__c',
        'BenefitEligibility__c',
      ]),
      leaf(m.segmentMembershipTable, ['Segment_Id__c']),
    ],
  };
}

/** What `want` has that the metadata's object tree lacks: "object X under Y", "fields A, B of X". */
function missingFromGraph(
  have: DataGraphObject | undefined,
  want: GraphShape,
  under?: string,
): string[] {
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  if (!have || !same(have.developerName, want.object))
    return [`object ${want.object}${under ? ` under ${under}` : ''}`];
  const fields = new Set((have.fields ?? []).map((f) => f.name.toLowerCase()));
  const out: string[] = [];
  const lacking = want.fields.filter((f) => !fields.has(f.toLowerCase()));
  if (lacking.length) out.push(`fields ${lacking.join(', ')} of ${want.object}`);
  for (const r of want.related)
    out.push(
      ...missingFromGraph(
        (have.relatedObjects ?? []).find((o) => same(o.developerName, r.object)),
        r,
        want.object,
      ),
    );
  return out;
}

const dataGraphFix = (config: CustomerConfig) =>
  `Create and publish the data graph ${config.dataGraph} (Data Cloud → Data Graphs) on ${config.dataCloud.unifiedIndividual} with the objects and fields docs/real-org.md §3 lists, and give the integration user access to it — or set DATA_CLOUD_DATA_GRAPH to the org's graph of that shape, or blank to read every citizen through the Query API.`;

// ---------------------------------------------------------------------------------------------
// B2C Commerce: the SLAS private client, the site, trusted system on behalf of.

async function commerceChecks(
  config: CommerceConfig,
  transport: UpstreamTransport,
  list: Checklist,
) {
  const area: Area = 'B2C Commerce';
  const scapi = new ScapiClient(config, new SlasTokenCache(1), transport);
  const guestTitle = `SLAS private client guest token (SCAPI_CLIENT_ID, SCAPI_CLIENT_SECRET, SCAPI_ORGANIZATION_ID=${config.organizationId})`;
  const siteTitle = `site ${config.siteId} answers getProducts (SCAPI_SITE_ID)`;
  const tsobTitle =
    'the private client may use trusted system on behalf of (sfcc.ts_ext_on_behalf_of)';
  const guestOk = await list.run(
    area,
    'scapi.guest',
    guestTitle,
    'Create a SLAS private client (SLAS Admin UI) for this tenant with the shopper scopes the product uses, and set SCAPI_BASE_URL (https://{shortCode}.api.commercecloud.salesforce.com), SCAPI_ORGANIZATION_ID (f_ecom_…) and the client id and secret.',
    () => scapi.checkCredentials(),
  );
  const method = config.paymentMethodId;
  const paymentTitle = method
    ? `site ${config.siteId} offers payment method ${method} for a basket (SCAPI_PAYMENT_METHOD_ID)`
    : `site ${config.siteId} offers a payment method that takes cards (SCAPI_PAYMENT_METHOD_ID blank: chosen per basket)`;
  if (!guestOk) {
    list.skip(area, 'scapi.scopes', 'the SLAS client’s scopes', 'scapi.guest');
    list.skip(area, 'scapi.site', siteTitle, 'scapi.guest');
    list.skip(area, 'scapi.paymentMethod', paymentTitle, 'scapi.guest');
    list.skip(area, 'scapi.tsob', tsobTitle, 'scapi.guest');
    return;
  }
  await list.run(
    area,
    'scapi.scopes',
    `the SLAS client's tokens carry the scopes the product uses (${SLAS_SCOPES.join(', ')})`,
    `Add the missing scopes to the SLAS private client (SLAS Admin UI → Clients → Scopes), or give it sfcc.shopper-standard plus sfcc.ts_ext_on_behalf_of.`,
    async () => {
      // The guest token's `scp` claim lists what SLAS grants this client.
      // https://developer.salesforce.com/docs/commerce/commerce-api/guide/auth-z-scope-catalog.html
      const granted = await scapi.grantedScopes();
      if (!granted) throw new Missing('the guest access token carries no scp claim to read');
      // sfcc.ts_ext_on_behalf_of is a client scope, not always in a guest token: scapi.tsob proves it.
      const missing = missingSlasScopes(granted).filter((s) => s !== 'sfcc.ts_ext_on_behalf_of');
      if (missing.length) throw new Missing(`the guest token lacks ${missing.join(', ')}`);
      return `${granted.length} scopes`;
    },
  );
  await list.run(
    area,
    'scapi.site',
    siteTitle,
    `Set SCAPI_SITE_ID to the site id of Business Manager (Administration → Sites) and add it to the SLAS client's channels.`,
    async () => {
      await scapi.getProducts([PRODUCT_PROBE_ID]);
    },
  );
  // getPaymentMethodsForBasket needs a basket: a guest basket, deleted after (the one write).
  // https://developer.salesforce.com/docs/commerce/commerce-api/references/shopper-baskets?meta=getPaymentMethodsForBasket
  await list.run(
    area,
    'scapi.paymentMethod',
    paymentTitle,
    `Enable ${method ? `the payment method ${method}` : 'a card payment method (e.g. CREDIT_CARD)'} for site ${config.siteId} in Business Manager → Merchant Tools → Ordering → Payment Methods (Enabled, with a payment processor, for the site's currency and countries) — or set SCAPI_PAYMENT_METHOD_ID to a method the site offers (blank: the basket's first card method).`,
    async () => {
      const offered = (await scapi.guestPaymentMethods()).applicablePaymentMethods ?? [];
      const ids = offered.map((m) => m.id).join(', ') || 'none';
      if (method && !offered.some((m) => m.id === method))
        throw new Missing(`the site offers ${ids}, not ${method}`);
      if (!method && !offered.some((m) => m.cards?.length))
        throw new Missing(`no method the site offers (${ids}) takes cards`);
      return `offered: ${ids}`;
    },
  );
  await list.run(
    area,
    'scapi.tsob',
    tsobTitle,
    'Add the scope sfcc.ts_ext_on_behalf_of to the SLAS private client (SLAS Admin UI → Clients).',
    async () => {
      // A login no shopper has: 400 "shopper not found" means SLAS accepted the client for TSOB.
      const res = await callUpstream<{ error?: string; error_description?: string }>(
        {
          family: 'scapi',
          method: 'POST',
          url: joinUrl(
            config.scapiBaseUrl,
            `/shopper/auth/v1/organizations/${encodeURIComponent(config.organizationId)}/oauth2/trusted-system/token`,
          ),
          headers: {
            authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
          },
          form: {
            grant_type: 'client_credentials',
            hint: 'ts_ext_on_behalf_of',
            login_id: TSOB_PROBE_LOGIN,
            idp_origin: 'ecom',
            channel_id: config.siteId,
          },
          timeoutMs: config.timeoutMs,
          // 409: another probe for this login ran inside SLAS's 3 s window — the client was
          // accepted for TSOB then too.
          accept: [400, 409],
        },
        transport,
      );
      if (res.status === 409) return 'SLAS counted an earlier probe inside its 3 s window';
      if (res.status === 400 && res.body?.error && res.body.error !== 'invalid_request')
        throw new Missing(
          `trusted-system/token answered 400 ${res.body.error}${res.body.error_description ? `: ${res.body.error_description}` : ''}`,
        );
      // The same 400 invalid_request is how a registrant without a B2C Commerce customer record
      // is refused at run time (ShopperNotFoundError → the userError NO_SHOPPER_ACCOUNT).
      return 'an unknown shopper is refused with 400 invalid_request (at run time: NO_SHOPPER_ACCOUNT), the client is accepted';
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Identity: the site answers OAuth, and introspection accepts the configured client.

async function identityChecks(
  session: SessionConfig,
  gateway: GatewayConfig,
  transport: UpstreamTransport,
  list: Checklist,
) {
  const area: Area = 'Identity';
  await list.run(
    area,
    'identity.site',
    `Experience Cloud site answers OAuth (IDENTITY_SITE_URL=${session.identitySiteUrl})`,
    'Set IDENTITY_SITE_URL to the site URL (https://{domain}/{path}, no trailing /s) and publish the site.',
    async () => {
      const res = await callUpstream(
        {
          family: 'identity',
          method: 'GET',
          url: joinUrl(session.identitySiteUrl, '/services/oauth2/userinfo'),
          timeoutMs: session.timeoutMs,
          accept: [401, 403],
        },
        transport,
      );
      if (res.status !== 401 && res.status !== 403)
        throw new Missing(`userinfo without a token answered ${res.status}, not 401`);
      return 'userinfo without a token answers 401';
    },
  );
  if (gateway.identitySiteUrl !== session.identitySiteUrl)
    list.results.push({
      id: 'identity.siteUrls',
      area,
      title: 'the gateway and the session subgraph use one site',
      status: 'fail',
      detail: `gateway ${gateway.identitySiteUrl}, session ${session.identitySiteUrl}`,
      fix: 'Set IDENTITY_SITE_URL once for both.',
    });

  const pairs = new Map<string, { label: string; clientId: string; clientSecret: string }>();
  const add = (label: string, clientId: string, clientSecret: string) => {
    const key = `${clientId}\u0000${clientSecret}`;
    const seen = pairs.get(key);
    if (seen) seen.label += `, ${label}`;
    else pairs.set(key, { label, clientId, clientSecret });
  };
  add(
    'gateway: IDENTITY_INTROSPECT_CLIENT_ID/SECRET',
    gateway.tokenIntrospection.clientId,
    gateway.tokenIntrospection.clientSecret,
  );
  add('session: CRM_CLIENT_ID/SECRET', session.crmClientId, session.crmClientSecret);
  let i = 0;
  for (const p of pairs.values()) {
    await list.run(
      area,
      `identity.introspect${i++ ? `.${i}` : ''}`,
      `token introspection accepts client ${p.clientId} (${p.label})`,
      'Use the integration connected app’s consumer key and secret; in its OAuth policies allow "Introspect All Tokens" so it sees the portal app’s tokens.',
      async () => {
        const res = await callUpstream<{ active?: boolean }>(
          {
            family: 'identity',
            method: 'POST',
            url: joinUrl(gateway.identitySiteUrl, '/services/oauth2/introspect'),
            form: {
              token: INTROSPECT_PROBE_TOKEN,
              token_type_hint: 'access_token',
              client_id: p.clientId,
              client_secret: p.clientSecret,
            },
            timeoutMs: gateway.identityTimeoutMs,
            idempotent: true,
            accept: [400, 401],
          },
          transport,
        );
        if (res.status !== 200)
          throw new Missing(
            `introspect answered ${res.status}${(res.body as { error?: string })?.error ? ` ${(res.body as { error?: string }).error}` : ''}: the client id and secret are refused`,
          );
        if (res.body?.active !== false)
          throw new Missing(`introspect of a bogus token answered ${JSON.stringify(res.body)}`);
        return 'a bogus token is {active:false}';
      },
    );
  }
}

/**
 * The site's Headless Identity Configuration fields (NetworkAuthApiSettings) the product depends
 * on, with their labels in Experience Builder (Salesforce Field Reference).
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_networkauthapisettings.htm
 * https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-networkauthapisettings.html
 */
const HEADLESS_SETTINGS = {
  IsHeadlessUserRegistrationAllowed: 'Enable headless user registration',
  IsForgotPwdAllowed: 'Enable Headless Forgot Password Flow',
  DoesRegistrationRequireAuth: 'Require authentication for registration',
  DoesForgotPasswordRequireAuth: 'Does reset password require authentication',
  IsRecaptchaRequiredRgstr: 'Require reCAPTCHA for registration',
  IsRecaptchaRequiredForgotPwd: 'Require reCAPTCHA for Forgot Password',
} as const;
type HeadlessSetting = keyof typeof HEADLESS_SETTINGS;

/** What each IDENTITY_HEADLESS_PROTECTION mode needs the site's settings to be. */
const HEADLESS_MODES: Record<HeadlessProtection, Record<HeadlessSetting, boolean>> = {
  'integration-token': {
    IsHeadlessUserRegistrationAllowed: true,
    IsForgotPwdAllowed: true,
    DoesRegistrationRequireAuth: true,
    DoesForgotPasswordRequireAuth: true,
    IsRecaptchaRequiredRgstr: false,
    IsRecaptchaRequiredForgotPwd: false,
  },
  recaptcha: {
    IsHeadlessUserRegistrationAllowed: true,
    IsForgotPwdAllowed: true,
    DoesRegistrationRequireAuth: false,
    DoesForgotPasswordRequireAuth: false,
    IsRecaptchaRequiredRgstr: true,
    IsRecaptchaRequiredForgotPwd: true,
  },
};

/** The scopes the integration user's token needs for the site's headless init calls. */
export const HEADLESS_SCOPES = ['user_registration_api', 'forgot_password'] as const;

async function headlessChecks(
  session: SessionConfig,
  transport: UpstreamTransport,
  list: Checklist,
) {
  const area: Area = 'Identity';
  const mode = session.headlessProtection;
  const want = HEADLESS_MODES[mode];
  const tokens = new CoreTokenCache(session);
  const crm = new SessionAccounts(session, tokens, transport);
  const where =
    'Experience Builder → Administration → Login & Registration → Headless Identity Configuration';
  await list.run(
    area,
    'identity.headlessProtection',
    `the site's headless registration and forgot password demand what IDENTITY_HEADLESS_PROTECTION=${mode} sends (NetworkAuthApiSettings)`,
    `Give the integration user read access to NetworkAuthApiSettings (API 58.0+), or check the site's ${where} by hand.`,
    async () => {
      const fields = ['Id', 'NetworkId', ...Object.keys(HEADLESS_SETTINGS)];
      const rows = await crm.query<SfRecord>(
        `SELECT ${fields.join(', ')} FROM NetworkAuthApiSettings`,
      );
      if (!rows.length)
        throw new Missing(
          'no NetworkAuthApiSettings row: no site has Headless Identity configured',
          `Turn on Headless Registration and Headless Forgot Password in the site's ${where} (NetworkAuthApiSettings.IsHeadlessUserRegistrationAllowed, IsForgotPwdAllowed).`,
        );
      let row = rows[0];
      if (rows.length > 1) {
        // Several sites: the one whose Network path prefix is the site URL's first path segment.
        const prefix = new URL(session.identitySiteUrl).pathname.split('/').filter(Boolean)[0];
        const networks = await crm.query<SfRecord>(
          `SELECT Id FROM Network WHERE UrlPathPrefix = ${soqlString(prefix ?? '')}`,
        );
        const ids = new Set(networks.map((n) => String(n.Id).slice(0, 15)));
        const mine = rows.find((r) => ids.has(String(r.NetworkId).slice(0, 15)));
        if (!mine)
          throw new Missing(
            `${rows.length} sites have Headless Identity settings and none is the site at ${session.identitySiteUrl}`,
            'Set IDENTITY_SITE_URL to the site whose Headless Identity Configuration the product uses.',
          );
        row = mine;
      }
      const wrong = (Object.keys(want) as HeadlessSetting[]).filter(
        (f) => (row[f] === true) !== want[f],
      );
      if (wrong.length)
        throw new Missing(
          wrong.map((f) => `${f} is ${row[f] === true}`).join(', '),
          `Set ${wrong.map((f) => `NetworkAuthApiSettings.${f} = ${want[f]} ("${HEADLESS_SETTINGS[f]}")`).join(', ')} in the site's ${where} — or set IDENTITY_HEADLESS_PROTECTION to the mode the site has (integration-token or recaptcha).`,
        );
      return (Object.keys(want) as HeadlessSetting[])
        .filter((f) => want[f] && f.startsWith('Does'))
        .concat(
          (Object.keys(want) as HeadlessSetting[]).filter(
            (f) => want[f] && f.startsWith('IsRecaptcha'),
          ),
        )
        .join(', ');
    },
  );
  if (mode !== 'integration-token') return;
  await list.run(
    area,
    'identity.headlessScopes',
    `the integration user's token carries ${HEADLESS_SCOPES.join(' and ')} (CRM_CLIENT_ID, IDENTITY_HEADLESS_PROTECTION=integration-token)`,
    `Add the OAuth scopes "${HEADLESS_SCOPES.join('" and "')}" to the integration connected app (${session.crmClientId}); its Run As user must be an internal integration user.`,
    async () => {
      const res = await callUpstream<{ scope?: string }>(
        {
          family: 'crm',
          method: 'POST',
          url: joinUrl(session.crmLoginUrl, '/services/oauth2/token'),
          form: {
            grant_type: 'client_credentials',
            client_id: session.crmClientId,
            client_secret: session.crmClientSecret,
          },
          timeoutMs: session.timeoutMs,
        },
        transport,
      );
      const scopes = new Set((res.body?.scope ?? '').split(/\s+/).filter(Boolean));
      if (!res.body?.scope) return 'the token response names no scopes: check the app by hand';
      const missing = HEADLESS_SCOPES.filter((x) => !scopes.has(x));
      if (missing.length)
        throw new Missing(
          `the token's scopes (${[...scopes].join(' ')}) lack ${missing.join(', ')}`,
        );
      return [...HEADLESS_SCOPES].join(', ');
    },
  );
}

/** What no read-only call can show (docs/real-org.md explains each). */
function manualItems(c: Configs): ManualItem[] {
  const items: ManualItem[] = [
    {
      area: 'Identity',
      text: `portal connected app ${c.session?.identityClientId ?? '(IDENTITY_CLIENT_ID)'}: public client with PKCE, callback URL ${c.session?.identityRedirectUri ?? '(IDENTITY_REDIRECT_URI)'}, scopes api refresh_token openid, refresh token rotation on`,
    },
    {
      area: 'Identity',
      text: 'portal connected app custom attributes on User: contactId, unifiedIndividualId, commerceCustomerId, commerceLogin, isAgent',
    },
    {
      area: 'Identity',
      text: 'site: Headless Login (Authorization Code and Credentials Flow) allowed for the portal app',
    },
    {
      area: 'Identity',
      text: 'integration connected app: "Introspect All Tokens" (introspection of a portal token), and the user may revoke tokens (logout)',
    },
    {
      area: 'Identity',
      text: `agent apps (AGENT_CLIENT_IDS=${c.gateway?.agentClientIds?.join(',') || '(none)'}): each app's Run As user holds the Salesforce Integration user licence (API only)`,
    },
    {
      area: 'Live updates (Pub/Sub API)',
      text: `the integration user has "View All Records" on Case (or "View All Data"): change events ignore sharing and reach only subscribers with it; GetTopic does not show it`,
    },
    {
      area: 'Live updates (Pub/Sub API)',
      text: `a CaseComment after-insert trigger (or flow) publishes ${c.case?.pubsub.commentTopic.replace('/event/', '') ?? 'Case_Comment__e'} for every new comment (Case_Id__c, CaseComment_Id__c, Is_Published__c); docs/real-org.md has one`,
    },
    {
      area: 'B2C Commerce',
      text: c.commerce
        ? `custom attributes defined in Business Manager: ${c.commerce.customAttributes.checkoutRecord} on Basket and Order (SCAPI_ATTR_CHECKOUT_RECORD), ${c.commerce.customAttributes.lineRecords} on ProductLineItem (SCAPI_ATTR_LINE_RECORDS), type String`
        : 'custom attributes defined in Business Manager (SCAPI_ATTR_CHECKOUT_RECORD, SCAPI_ATTR_LINE_RECORDS)',
    },
    {
      area: 'B2C Commerce',
      // getShippingMethodsForShipment needs a basket, and creating one is a write.
      text: c.commerce?.shippingMethodId
        ? `shipping method ${c.commerce.shippingMethodId} (SCAPI_SHIPPING_METHOD_ID) exists and is applicable to the site's baskets (Business Manager → Ordering → Shipping Methods)`
        : "the site has a default shipping method applicable to its baskets (checkout uses getShippingMethodsForShipment's defaultShippingMethodId; SCAPI_SHIPPING_METHOD_ID names another)",
    },
    {
      area: 'B2C Commerce',
      // Needs a registrant: not probed. scapi.tsob shows how a login without a record is refused.
      text: "every citizen who shops has a B2C Commerce registered customer whose login is the portal app's commerceLogin attribute, and whose customer number is its commerceCustomerId: a citizen who registers through Headless Identity gets none unless the site creates it (Shopper Customers registerCustomer, a customer import, or an integration) and writes both back onto the Contact/User the attributes read; without one cart and checkout answer NO_SHOPPER_ACCOUNT",
    },
    {
      area: 'B2C Commerce',
      // Placing needs an order, and creating one is a write: not probed.
      text: "orders checkout creates are placed: a dw.ocapi.shop.order.afterPOST hook in the site's cartridge path authorizes the payment and calls OrderMgr.placeOrder (status new), or order management places them (Orders API updateOrderStatus → new); otherwise every order stays created (Order.placed false)",
    },
  ];
  return items;
}

export interface OrgCheckOptions {
  /** fetch and cost meter for every call (default: Node's fetch). */
  transport?: UpstreamTransport;
}

/** Runs every check against the org the environment points at. Never writes. */
export async function runOrgCheck(
  env: NodeJS.ProcessEnv,
  options: OrgCheckOptions = {},
): Promise<OrgCheckReport> {
  const transport = options.transport ?? {};
  const configList = new Checklist();
  const configs = loadConfigs(env, configList);
  // Each area gets its own list so that areas run in parallel and still print in a fixed order.
  const lists = {
    crm: new Checklist(),
    pubsub: new Checklist(),
    dc: new Checklist(),
    scapi: new Checklist(),
    identity: new Checklist(),
  };
  await Promise.all([
    configs.case &&
      crmChecks(configs.case, configs.gateway?.agentClientIds ?? [], transport, lists.crm),
    configs.case && pubSubChecks(configs.case, lists.pubsub, configs.customer?.pubsub.citizenTopic),
    configs.customer && dataCloudChecks(configs.customer, transport, lists.dc),
    configs.commerce && commerceChecks(configs.commerce, transport, lists.scapi),
    configs.session &&
      configs.gateway &&
      identityChecks(configs.session, configs.gateway, transport, lists.identity).then(
        () => configs.session && headlessChecks(configs.session, transport, lists.identity),
      ),
  ]);
  const results = [
    ...configList.results,
    ...lists.crm.results,
    ...lists.pubsub.results,
    ...lists.dc.results,
    ...lists.scapi.results,
    ...lists.identity.results,
  ];
  return {
    results,
    manual: manualItems(configs),
    ok: results.every((r) => r.status !== 'fail'),
  };
}

// Configuration of the Customer subgraph. The only reader of process.env; defaults point at the
// local emulator and its demo integration client. Every org-specific Data Cloud name (the
// identity-resolution ruleset, the calculated insight, data sources, the membership DMO, the
// Commerce login's identification type) lives here, with the emulator's value as default.
import { principalSecretFromEnv } from '../../lib/principal-secret.js';

/** A Data Cloud data source and object (ssot__DataSourceId__c / ssot__DataSourceObjectId__c). */
export interface DataSource {
  dataSourceId: string;
  objectId: string;
}

/** The DMO names and values of the org's Data Cloud model that this subgraph reads. */
export interface DataCloudModel {
  /** Identity-resolution ruleset id appended to the Unified* DMO names (reference §2.10). */
  rulesetSuffix: string;
  /** UnifiedssotIndividual{suffix}__dlm */
  unifiedIndividual: string;
  /** UnifiedLinkssotIndividual{suffix}__dlm */
  individualLink: string;
  /** UnifiedssotContactPointEmail{suffix}__dlm */
  contactPointEmail: string;
  /** UnifiedssotContactPointPhone{suffix}__dlm */
  contactPointPhone: string;
  /** UnifiedssotContactPointAddress{suffix}__dlm */
  contactPointAddress: string;
  /** Calculated insight with LifetimeValue__c, EngagementScore__c, BenefitEligibility__c. */
  calculatedInsight: string;
  /**
   * Latest segment membership DMO read for all memberships of one citizen (Citizen.segments).
   * Where a segment is known, its own `segmentMembershipTable` is used instead.
   */
  segmentMembershipTable: string;
  /** Source of CRM Contacts (Citizen.contactId). */
  crmContactSource: DataSource;
  /** Source of B2C Commerce customers (Citizen.commerceCustomerId). */
  commerceCustomerSource: DataSource;
  /** ssot__PartyIdentificationTypeId__c of the Commerce login party identification. */
  commerceLoginIdentificationType: string;
}

export interface CustomerConfig {
  port: number;
  /** Interface to listen on (0.0.0.0 in containers). */
  host: string;
  principalSecret: string;
  /** Core org login host (client credentials must use My Domain on a real org). */
  crmLoginUrl: string;
  crmClientId: string;
  crmClientSecret: string;
  /** Core REST API version for the Connect /ssot calls, as a path segment (`v62.0`). */
  apiVersion: string;
  /**
   * Data Cloud tenant endpoint (https://{tse}). Null: derive it from the token exchange's
   * instance_url, as a real org requires.
   */
  dataCloudTenantUrl: string | null;
  dataCloud: DataCloudModel;
  timeoutMs: number;
  /** Token exchange and OAuth calls get their own, usually longer, timeout. */
  authTimeoutMs: number;
}

const nonEmpty = (v: string | undefined, dflt: string) => (v && v.trim() ? v.trim() : dflt);

/** DMO and insight names go into SQL text unquoted: only plain identifiers are accepted. */
function identifier(name: string, variable: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
    throw new Error(`${variable} must be a Data Cloud API name (letters, digits, _): ${name}`);
  return name;
}

export function loadDataCloudModel(env: NodeJS.ProcessEnv): DataCloudModel {
  const suffix = nonEmpty(env.DATA_CLOUD_RULESET_SUFFIX, 'Ir1');
  if (!/^[A-Za-z0-9_]*$/.test(suffix))
    throw new Error(`DATA_CLOUD_RULESET_SUFFIX must be letters, digits or _: ${suffix}`);
  const unifiedIndividual = `UnifiedssotIndividual${suffix}__dlm`;
  return {
    rulesetSuffix: suffix,
    unifiedIndividual,
    individualLink: `UnifiedLinkssotIndividual${suffix}__dlm`,
    contactPointEmail: `UnifiedssotContactPointEmail${suffix}__dlm`,
    contactPointPhone: `UnifiedssotContactPointPhone${suffix}__dlm`,
    contactPointAddress: `UnifiedssotContactPointAddress${suffix}__dlm`,
    calculatedInsight: identifier(
      nonEmpty(env.DATA_CLOUD_CALCULATED_INSIGHT, 'Citizen_Engagement__cio'),
      'DATA_CLOUD_CALCULATED_INSIGHT',
    ),
    segmentMembershipTable: identifier(
      nonEmpty(
        env.DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE,
        `${unifiedIndividual.replace(/__dlm$/, '')}_SM__dlm`,
      ),
      'DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE',
    ),
    crmContactSource: {
      dataSourceId: nonEmpty(env.DATA_CLOUD_CRM_SOURCE_ID, 'Salesforce_CRM'),
      objectId: nonEmpty(env.DATA_CLOUD_CRM_SOURCE_OBJECT, 'Contact'),
    },
    commerceCustomerSource: {
      dataSourceId: nonEmpty(env.DATA_CLOUD_COMMERCE_SOURCE_ID, 'SFCC_CityServices'),
      objectId: nonEmpty(env.DATA_CLOUD_COMMERCE_SOURCE_OBJECT, 'Customer'),
    },
    commerceLoginIdentificationType: nonEmpty(
      env.DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE,
      'CommerceLogin',
    ),
  };
}

export function loadCustomerConfig(env: NodeJS.ProcessEnv): CustomerConfig {
  const tenant = env.DATA_CLOUD_TENANT_URL;
  return {
    port: Number(env.CUSTOMER_PORT ?? 4001),
    host: env.HOST ?? '127.0.0.1',
    principalSecret: principalSecretFromEnv(env),
    crmLoginUrl: env.CRM_LOGIN_URL ?? 'http://127.0.0.1:4010/crm',
    crmClientId: env.CRM_CLIENT_ID ?? '3MVG9C360IntegrationClientDemoKey',
    crmClientSecret: env.CRM_CLIENT_SECRET ?? 'c360-integration-secret',
    // .env.example and the other subgraphs write the version without the `v` (62.0).
    apiVersion: `v${(env.CRM_API_VERSION ?? '62.0').trim().replace(/^v/i, '')}`,
    dataCloudTenantUrl:
      tenant === undefined ? 'http://127.0.0.1:4010/datacloud' : tenant.trim() || null,
    dataCloud: loadDataCloudModel(env),
    timeoutMs: Number(env.CUSTOMER_UPSTREAM_TIMEOUT_MS ?? 5000),
    authTimeoutMs: Number(env.CUSTOMER_AUTH_TIMEOUT_MS ?? 10000),
  };
}

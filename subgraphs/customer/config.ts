// Configuration of the Customer subgraph: its variables, declared in lib/config/registry.ts
// (defaults: the local emulator and its demo integration client), mapped into the subgraph's
// typed config. Every org-specific Data Cloud name (the identity-resolution ruleset, the
// calculated insight, data sources, the membership DMO, the Commerce login's identification type)
// is a variable there, with the emulator's value as default.
import { crmEnv, readEnv, serviceEnv, type CrmServiceEnv, type Env } from '../../lib/env.js';
import { subgraphLimitsFromEnv, type SubgraphLimits } from '../../lib/subgraph-server.js';

/** A Data Cloud data source and object (ssot__DataSourceId__c / ssot__DataSourceObjectId__c). */
export interface DataSource {
  dataSourceId: string;
  objectId: string;
}

/** The DMO names and values of the org's Data Cloud model that this subgraph reads. */
export interface DataCloudModel {
  /**
   * Identity-resolution ruleset id appended to the Unified* DMO names
   * (docs/salesforce/data-cloud.md#dmo-names).
   */
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

/** The integration client's core org settings (CrmEnv) and this subgraph's own. */
export interface CustomerConfig extends CrmServiceEnv {
  /** This subgraph's own request limits (lib/subgraph-server.ts). */
  requestLimits: SubgraphLimits;
  /** The same version as the path segment of the Connect /ssot calls (`v62.0`). */
  apiVersion: `v${string}`;
  /**
   * Data Cloud tenant endpoint (https://{tse}). Null: derive it from the token exchange's
   * instance_url, as a real org requires.
   */
  dataCloudTenantUrl: string | null;
  dataCloud: DataCloudModel;
  timeoutMs: number;
  /** Token exchange and OAuth calls get their own, usually longer, timeout. */
  authTimeoutMs: number;
  /** How long this process reuses the Connect segment list (0: per request). */
  segmentListTtlMs: number;
  /**
   * The data graph a single citizen is read from (Data Graph API); null: every read goes through
   * the Query API. Its shape is part of the org contract (docs/real-org.md).
   */
  dataGraph: string | null;
  /** Tenant-endpoint calls in progress at once in this process (data-cloud-gate.ts). */
  maxConcurrency: number;
  /** After a 429, the least time an API stays closed here (data-cloud-gate.ts). */
  throttleCooldownMs: number;
}

export function loadDataCloudModel(env: Env): DataCloudModel {
  const e = readEnv(env, 'customer');
  const suffix = e.get('DATA_CLOUD_RULESET_SUFFIX');
  const unifiedIndividual = `UnifiedssotIndividual${suffix}__dlm`;
  return {
    rulesetSuffix: suffix,
    unifiedIndividual,
    individualLink: `UnifiedLinkssotIndividual${suffix}__dlm`,
    contactPointEmail: `UnifiedssotContactPointEmail${suffix}__dlm`,
    contactPointPhone: `UnifiedssotContactPointPhone${suffix}__dlm`,
    contactPointAddress: `UnifiedssotContactPointAddress${suffix}__dlm`,
    calculatedInsight: e.get('DATA_CLOUD_CALCULATED_INSIGHT'),
    segmentMembershipTable:
      e.get('DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE') ??
      `${unifiedIndividual.replace(/__dlm$/, '')}_SM__dlm`,
    crmContactSource: {
      dataSourceId: e.get('DATA_CLOUD_CRM_SOURCE_ID'),
      objectId: e.get('DATA_CLOUD_CRM_SOURCE_OBJECT'),
    },
    commerceCustomerSource: {
      dataSourceId: e.get('DATA_CLOUD_COMMERCE_SOURCE_ID'),
      objectId: e.get('DATA_CLOUD_COMMERCE_SOURCE_OBJECT'),
    },
    commerceLoginIdentificationType: e.get('DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE'),
  };
}

export function loadCustomerConfig(env: Env): CustomerConfig {
  const e = readEnv(env, 'customer');
  const crm = crmEnv(e);
  return {
    ...serviceEnv(e, 'CUSTOMER_PORT'),
    requestLimits: subgraphLimitsFromEnv(e),
    ...crm,
    apiVersion: crm.crmApiPath,
    // Development: the emulator's tenant — unless CRM_LOGIN_URL names an org, whose tenant is
    // never the emulator's. Blank, or production unless set: derived from the token exchange's
    // instance_url, as a real org requires.
    dataCloudTenantUrl:
      !e.isSet('DATA_CLOUD_TENANT_URL') && e.isSet('CRM_LOGIN_URL')
        ? null
        : (e.get('DATA_CLOUD_TENANT_URL') ?? null),
    dataCloud: loadDataCloudModel(env),
    timeoutMs: e.get('CUSTOMER_UPSTREAM_TIMEOUT_MS') ?? e.get('UPSTREAM_TIMEOUT_MS'),
    authTimeoutMs: e.get('CUSTOMER_AUTH_TIMEOUT_MS'),
    segmentListTtlMs: e.get('SEGMENT_LIST_TTL_MS'),
    dataGraph: e.get('DATA_CLOUD_DATA_GRAPH') ?? null,
    maxConcurrency: e.get('DATA_CLOUD_MAX_CONCURRENCY'),
    throttleCooldownMs: e.get('DATA_CLOUD_THROTTLE_COOLDOWN_MS'),
  };
}

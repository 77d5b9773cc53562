// Seeds the Data Cloud tables from the shared world: the identity-resolution output (unified
// individuals, link rows, source individuals), unified contact points, the Commerce login party
// identification, one calculated insight and six published segments with their membership DMO.
// One pass over the citizens, no hashing: 100k citizens seed in well under a second or two.
import type { World } from '../world.js';
import { createRandom, sfId } from '../ids.js';
import { DataCloudDb, Table, type Column, type SqlType } from './tables.js';

export const CRM_SOURCE = { dataSourceId: 'Salesforce_CRM', objectId: 'Contact' };
export const COMMERCE_SOURCE = { dataSourceId: 'SFCC_CityServices', objectId: 'Customer' };
export const CI_NAME = 'Citizen_Engagement__cio';
export const UNIFIED = 'UnifiedssotIndividualIr1__dlm';
export const LINK = 'UnifiedLinkssotIndividualIr1__dlm';
/** Latest and history segment membership DMOs of segments on the unified individual
 * ('{Object}_SM__dlm' / '{Object}_SMH__dlm', help "Segment Membership Data Model Object"). */
export const SEGMENT_MEMBERSHIP = 'UnifiedssotIndividualIr1_SM__dlm';
export const SEGMENT_MEMBERSHIP_HISTORY = 'UnifiedssotIndividualIr1_SMH__dlm';
/** The party identification type of the Commerce login (ssot__PartyIdentificationTypeId__c). */
export const COMMERCE_LOGIN_TYPE = 'CommerceLogin';

const cols = (...spec: Array<[string, SqlType?]>): Column[] =>
  spec.map(([name, type]) => ({ name, type: type ?? 'VARCHAR' }));
const TS: SqlType = 'TIMESTAMP WITH TIME ZONE';
/** Data Cloud timestamps in Query API rows: "2021-09-16T16:26:36.000+00:00". */
const ts = (d: Date) => d.toISOString().replace('Z', '+00:00');

function createTables(db: DataCloudDb) {
  const t = (name: string, pk: string, columns: Column[]) => db.add(new Table(name, columns, pk));
  return {
    unified: t(
      UNIFIED,
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__FirstName__c'],
        ['ssot__LastName__c'],
        ['ssot__BirthDate__c', 'DATE'],
        ['ssot__CreatedDate__c', TS],
        ['ssot__LastModifiedDate__c', TS],
      ),
    ),
    individual: t(
      'ssot__Individual__dlm',
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__FirstName__c'],
        ['ssot__LastName__c'],
        ['ssot__BirthDate__c', 'DATE'],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
        ['ssot__ExternalRecordId__c'],
        ['ssot__CreatedDate__c', TS],
        ['ssot__LastModifiedDate__c', TS],
        ['KQ_Id__c'],
      ),
    ),
    link: t(
      LINK,
      'SourceRecordId__c',
      cols(
        ['SourceRecordId__c'],
        ['UnifiedRecordId__c'],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
        ['KQ_SourceRecordId__c'],
      ),
    ),
    email: t(
      'UnifiedssotContactPointEmailIr1__dlm',
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__PartyId__c'],
        ['ssot__EmailAddress__c'],
        ['ssot__EmailDomain__c'],
        ['ssot__ActiveFromDate__c', TS],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
      ),
    ),
    phone: t(
      'UnifiedssotContactPointPhoneIr1__dlm',
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__PartyId__c'],
        ['ssot__TelephoneNumber__c'],
        ['ssot__FormattedE164PhoneNumber__c'],
        ['ssot__AreaCode__c'],
        ['ssot__CountryId__c'],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
      ),
    ),
    address: t(
      'UnifiedssotContactPointAddressIr1__dlm',
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__PartyId__c'],
        ['ssot__AddressLine1__c'],
        ['ssot__CityId__c'],
        ['ssot__StateProvinceId__c'],
        ['ssot__PostalCodeId__c'],
        ['ssot__CountryId__c'],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
      ),
    ),
    partyIdentification: t(
      'ssot__PartyIdentification__dlm',
      'ssot__Id__c',
      cols(
        ['ssot__Id__c'],
        ['ssot__PartyId__c'],
        // Party Identification DMO (DMO mapping guide): the type is ssot__PartyIdentificationTypeId__c.
        ['ssot__PartyIdentificationTypeId__c'],
        ['ssot__Name__c'],
        ['ssot__Identificationnumber__c'],
        ['ssot__DataSourceId__c'],
        ['ssot__DataSourceObjectId__c'],
      ),
    ),
    insight: t(
      CI_NAME,
      'UnifiedIndividualId__c',
      cols(
        ['UnifiedIndividualId__c'],
        ['LifetimeValue__c', 'DECIMAL'],
        ['EngagementScore__c', 'DOUBLE'],
        ['BenefitEligibility__c'],
        ['SnapshotDate__c', TS],
      ),
    ),
    membership: t(
      SEGMENT_MEMBERSHIP,
      'Id__c',
      // Segment Membership DMO Schema (help.salesforce.com data.c360_a_segment_membership_dmo_schema):
      // Delta_Type__c exists only in the history DMO.
      cols(
        ['Id__c'],
        ['KQ_Id__c'],
        ['Segment_Id__c'],
        ['Snapshot_Type__c'],
        ['Timestamp__c', TS],
        ['Version_Stamp__c', TS],
      ),
    ),
  };
}

interface SegmentRule {
  apiName: string;
  displayName: string;
  description: string;
  /** Membership test from a citizen's seeded facts. */
  member: (f: {
    i: number;
    birthYear: number;
    engagement: number;
    eligibility: string;
    ageDays: number;
    city: string;
  }) => boolean;
}

/** Six published segments; with the default 3000 citizens each has well over 100 members. */
const SEGMENTS: SegmentRule[] = [
  {
    apiName: 'Permit_Renewal_Due',
    displayName: 'Permit Renewal Due',
    description: 'Citizens with a permit expiring in the next 60 days.',
    member: (f) => f.i % 5 === 0,
  },
  {
    apiName: 'Senior_Services',
    displayName: 'Senior Services',
    description: 'Citizens aged 65 and over.',
    member: (f) => f.birthYear <= 1961,
  },
  {
    apiName: 'High_Engagement',
    displayName: 'High Engagement',
    description: 'Engagement score of 70 or more.',
    member: (f) => f.engagement >= 70,
  },
  {
    apiName: 'Benefit_Eligible',
    displayName: 'Benefit Eligible',
    description: 'Citizens eligible for at least one benefit programme.',
    member: (f) => f.eligibility === 'ELIGIBLE',
  },
  {
    apiName: 'New_Residents',
    displayName: 'New Residents',
    description: 'First seen in the last 12 months.',
    member: (f) => f.ageDays <= 365,
  },
  {
    apiName: 'Springfield_Residents',
    displayName: 'Springfield Residents',
    description: 'Citizens with an address in Springfield.',
    member: (f) => f.city === 'Springfield',
  },
];

export function seedDataCloudDb(world: World): DataCloudDb {
  const db = new DataCloudDb();
  const t = createTables(db);
  const rnd = createRandom(world.seed ^ 0xdc360);
  const nowTs = ts(world.now);
  const publishedAt = ts(new Date(world.now.getTime() - 6 * 3600_000));
  db.segments = SEGMENTS.map((s, n) => ({
    id: sfId('1sg', 100 + n),
    // Key prefixes of the market segment definition and of the DMO id: UNCONFIRMED.
    definitionId: sfId('1sd', 100 + n),
    apiName: s.apiName,
    displayName: s.displayName,
    description: s.description,
    createdDate: ts(new Date(world.now.getTime() - (200 + n) * 86_400_000)),
    lastPublishedEndDateTime: publishedAt,
    membershipTable: SEGMENT_MEMBERSHIP,
    historyTable: SEGMENT_MEMBERSHIP_HISTORY,
    segmentOnApiName: UNIFIED,
    segmentOnId: sfId('1dl', 1),
  }));
  db.insights = [
    {
      name: CI_NAME,
      displayName: 'Citizen Engagement',
      dimensions: ['UnifiedIndividualId__c'],
      measures: ['LifetimeValue__c', 'EngagementScore__c', 'BenefitEligibility__c'],
      relatedTo: { entity: UNIFIED, attribute: 'ssot__Id__c' },
    },
  ];
  for (const c of world.citizens) {
    const created = ts(c.createdAt);
    const uid = c.unifiedId;
    t.unified.rows.push({
      ssot__Id__c: uid,
      ssot__FirstName__c: c.firstName,
      ssot__LastName__c: c.lastName,
      ssot__BirthDate__c: c.birthDate,
      ssot__CreatedDate__c: created,
      ssot__LastModifiedDate__c: nowTs,
    });
    for (const [src, id] of [
      [CRM_SOURCE, c.contactId],
      [COMMERCE_SOURCE, c.commerceCustomerId],
    ] as const) {
      t.individual.rows.push({
        ssot__Id__c: id,
        ssot__FirstName__c: c.firstName,
        ssot__LastName__c: c.lastName,
        ssot__BirthDate__c: c.birthDate,
        ssot__DataSourceId__c: src.dataSourceId,
        ssot__DataSourceObjectId__c: src.objectId,
        ssot__ExternalRecordId__c: id,
        ssot__CreatedDate__c: created,
        ssot__LastModifiedDate__c: nowTs,
        KQ_Id__c: null,
      });
      t.link.rows.push({
        SourceRecordId__c: id,
        UnifiedRecordId__c: uid,
        ssot__DataSourceId__c: src.dataSourceId,
        ssot__DataSourceObjectId__c: src.objectId,
        KQ_SourceRecordId__c: null,
      });
    }
    const crm = {
      ssot__DataSourceId__c: CRM_SOURCE.dataSourceId,
      ssot__DataSourceObjectId__c: CRM_SOURCE.objectId,
    };
    t.email.rows.push({
      ssot__Id__c: `${c.contactId}-E`,
      ssot__PartyId__c: uid,
      ssot__EmailAddress__c: c.email,
      ssot__EmailDomain__c: c.email.slice(c.email.indexOf('@') + 1),
      ssot__ActiveFromDate__c: created,
      ...crm,
    });
    t.phone.rows.push({
      ssot__Id__c: `${c.contactId}-P`,
      ssot__PartyId__c: uid,
      ssot__TelephoneNumber__c: c.phone.slice(2),
      ssot__FormattedE164PhoneNumber__c: c.phone,
      ssot__AreaCode__c: c.phone.slice(2, 5),
      ssot__CountryId__c: c.countryCode,
      ...crm,
    });
    t.address.rows.push({
      ssot__Id__c: `${c.contactId}-A`,
      ssot__PartyId__c: uid,
      ssot__AddressLine1__c: c.street,
      ssot__CityId__c: c.city,
      ssot__StateProvinceId__c: c.stateCode,
      ssot__PostalCodeId__c: c.postalCode,
      ssot__CountryId__c: c.countryCode,
      ...crm,
    });
    // Party identification comes from the Commerce source: its party is the Commerce source individual.
    t.partyIdentification.rows.push({
      ssot__Id__c: `${c.commerceCustomerId}-LOGIN`,
      ssot__PartyId__c: c.commerceCustomerId,
      ssot__PartyIdentificationTypeId__c: COMMERCE_LOGIN_TYPE,
      ssot__Name__c: 'Commerce login',
      ssot__Identificationnumber__c: c.email,
      ssot__DataSourceId__c: COMMERCE_SOURCE.dataSourceId,
      ssot__DataSourceObjectId__c: COMMERCE_SOURCE.objectId,
    });
    const cents = rnd.int(0, 250_000);
    const engagement = rnd.int(0, 100);
    const eligibility =
      engagement % 3 === 0 ? 'ELIGIBLE' : engagement % 3 === 1 ? 'REVIEW' : 'INELIGIBLE';
    t.insight.rows.push({
      UnifiedIndividualId__c: uid,
      LifetimeValue__c: (cents / 100).toFixed(2),
      EngagementScore__c: engagement,
      BenefitEligibility__c: eligibility,
      SnapshotDate__c: publishedAt,
    });
    const facts = {
      i: c.index,
      birthYear: Number(c.birthDate.slice(0, 4)),
      engagement,
      eligibility,
      ageDays: (world.now.getTime() - c.createdAt.getTime()) / 86_400_000,
      city: c.city,
    };
    for (let n = 0; n < SEGMENTS.length; n++) {
      if (SEGMENTS[n].member(facts))
        t.membership.rows.push({
          Id__c: uid,
          KQ_Id__c: null,
          Segment_Id__c: db.segments[n].id,
          Snapshot_Type__c: 'F', // F = full snapshot (membership DMO schema)
          Timestamp__c: publishedAt,
          Version_Stamp__c: publishedAt,
        });
    }
  }
  return db;
}

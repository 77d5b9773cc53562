// The org's object metadata: which fields each sObject has, their types, which are read-only or
// required, and the lookup relationships SOQL can traverse
// (docs/salesforce/crm-rest.md#standard-objects). Describe, SOQL, record shaping and write
// validation all read this one table.
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'email'
  | 'phone'
  | 'boolean'
  | 'datetime'
  | 'date'
  | 'reference'
  | 'int'
  | 'double';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Not createable / updateable through the API (auto-numbers, audit fields, formulas). */
  readOnly?: boolean;
  /** Must be given on create (nillable false, no default). */
  required?: boolean;
  referenceTo?: string;
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  /**
   * DescribeFieldResult.caseSensitive: a unique text field is case-insensitive unless created
   * "case sensitive" (Object Reference, DescribeFieldResult).
   */
  caseSensitive?: boolean;
  length?: number;
  /**
   * A picklist's values (DescribeFieldResult.picklistValues: value, label, active, defaultValue)
   * and whether the value set is restricted (DescribeFieldResult.restrictedPicklist): a restricted
   * picklist refuses, on insert and update, a value that is not one of its active values
   * (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST); an unrestricted one stores any text.
   * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
   * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_picklist.htm
   */
  picklist?: { values: PicklistValue[]; restricted: boolean };
}

/** One entry of DescribeFieldResult.picklistValues (PicklistEntry). */
export interface PicklistValue {
  value: string;
  active: boolean;
  defaultValue?: boolean;
}

/** A picklist of active values; `def` is the default value (Status New, Priority Medium). */
const values = (names: string[], def?: string) => ({
  values: names.map((value) => ({ value, active: true, defaultValue: value === def })),
  // The emulator's org restricts Case's picklists to their value sets (Setup → Object Manager →
  // Case → Fields → the field → "Restrict picklist to the values defined in the value set").
  restricted: true,
});

export interface ObjectDef {
  name: string;
  label: string;
  fields: FieldDef[];
  /** Lower-cased field name → definition (SOQL and JSON field names are case-insensitive). */
  byLower: Map<string, FieldDef>;
  /** Lower-cased relationship name → the lookup field that carries it. */
  relationships: Map<string, FieldDef>;
}

const ro = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  readOnly: true,
  ...extra,
});
const rw = (name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type,
  ...extra,
});
const ref = (name: string, to: string, rel: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  type: 'reference',
  referenceTo: to,
  relationshipName: rel,
  ...extra,
});

const audit = (): FieldDef[] => [
  ro('IsDeleted', 'boolean'),
  ro('CreatedDate', 'datetime'),
  ref('CreatedById', 'User', 'CreatedBy', { readOnly: true }),
  ro('LastModifiedDate', 'datetime'),
  ref('LastModifiedById', 'User', 'LastModifiedBy', { readOnly: true }),
  ro('SystemModstamp', 'datetime'),
];

const DEFS: Array<[string, string, FieldDef[]]> = [
  [
    'Account',
    'Account',
    [
      ro('Id', 'id'),
      rw('Name', 'string', { required: true }),
      ref('OwnerId', 'User', 'Owner'),
      ...audit(),
    ],
  ],
  [
    'Contact',
    'Contact',
    [
      ro('Id', 'id'),
      ref('AccountId', 'Account', 'Account'),
      rw('Salutation', 'picklist'),
      rw('FirstName', 'string'),
      rw('LastName', 'string', { required: true }),
      ro('Name', 'string'),
      rw('MailingStreet', 'textarea'),
      rw('MailingCity', 'string'),
      rw('MailingState', 'string'),
      rw('MailingPostalCode', 'string'),
      rw('MailingCountry', 'string'),
      rw('Phone', 'phone'),
      rw('MobilePhone', 'phone'),
      rw('Email', 'email'),
      rw('Title', 'string'),
      rw('Birthdate', 'date'),
      rw('Description', 'textarea'),
      rw('HasOptedOutOfEmail', 'boolean'),
      ref('OwnerId', 'User', 'Owner'),
      ...audit(),
    ],
  ],
  [
    'Case',
    'Case',
    [
      ro('Id', 'id'),
      ro('CaseNumber', 'string'),
      ref('ContactId', 'Contact', 'Contact'),
      ref('AccountId', 'Account', 'Account'),
      ref('ParentId', 'Case', 'Parent'),
      rw('SuppliedName', 'string'),
      rw('SuppliedEmail', 'email'),
      rw('SuppliedPhone', 'string'),
      // Salesforce's standard value sets CaseType, CaseStatus, CaseReason, CaseOrigin and
      // CasePriority as a new org has them (StandardValueSet Names and Standard Picklist Fields,
      // https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/standardvalueset_names.htm).
      rw('Type', 'picklist', {
        picklist: values(['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
      }),
      rw('Status', 'picklist', {
        picklist: values(['New', 'Working', 'Escalated', 'Closed'], 'New'),
      }),
      rw('Reason', 'picklist', {
        picklist: values([
          'Installation',
          'Equipment Complexity',
          'Performance',
          'Breakdown',
          'Equipment Design',
          'Feedback',
          'Other',
        ]),
      }),
      rw('Origin', 'picklist', { picklist: values(['Phone', 'Email', 'Web']) }),
      rw('Subject', 'string', { length: 255 }),
      rw('Priority', 'picklist', { picklist: values(['High', 'Medium', 'Low'], 'Medium') }),
      rw('Description', 'textarea'),
      ro('IsClosed', 'boolean'),
      ro('ClosedDate', 'datetime'),
      rw('IsEscalated', 'boolean'),
      ref('OwnerId', 'User', 'Owner'),
      // The org's custom fields for idempotent case creation (the case subgraph's org contract):
      // a unique, case-sensitive external id (Text 80) and a plain Text(64) for the request
      // fingerprint. Unique fields reject a second record with the same value (DUPLICATE_VALUE,
      // see records.ts checkUnique).
      rw('Idempotency_Key__c', 'string', {
        externalId: true,
        unique: true,
        caseSensitive: true,
        length: 80,
      }),
      rw('Idempotency_Fingerprint__c', 'string', { length: 64 }),
      ...audit(),
    ],
  ],
  [
    'CaseComment',
    'Case Comment',
    [
      ro('Id', 'id'),
      ref('ParentId', 'Case', 'Parent', { required: true }),
      rw('IsPublished', 'boolean'),
      rw('CommentBody', 'textarea'),
      ...audit(),
    ],
  ],
  [
    // The org's custom object for idempotent addCaseComment (the case subgraph's org contract,
    // docs/real-org.md; CASE_COMMENT_REQUEST_OBJECT names it): one record per (principal, key),
    // inserted in the same all-or-none Composite transaction as the comment it asks for. Its
    // key is a unique, case-sensitive External ID (indexed, so reading it back is an index
    // probe, and a second insert with the same key is DUPLICATE_VALUE and rolls the comment
    // back: Salesforce Help, "Custom Field Attributes" / "External ID").
    'Case_Comment_Request__c',
    'Case Comment Request',
    [
      ro('Id', 'id'),
      ro('Name', 'string'),
      rw('Idempotency_Key__c', 'string', {
        externalId: true,
        unique: true,
        caseSensitive: true,
        length: 80,
      }),
      ref('Case__c', 'Case', 'Case__r', { required: true }),
      rw('Fingerprint__c', 'string', { length: 64 }),
      rw('Case_Comment_Id__c', 'string', { length: 18 }),
      ref('OwnerId', 'User', 'Owner'),
      ...audit(),
    ],
  ],
  [
    'User',
    'User',
    [
      ro('Id', 'id'),
      rw('Username', 'string', { required: true, unique: true }),
      rw('FirstName', 'string'),
      rw('LastName', 'string', { required: true }),
      ro('Name', 'string'),
      rw('Email', 'email', { required: true }),
      rw('Alias', 'string'),
      ref('ContactId', 'Contact', 'Contact'),
      rw('IsActive', 'boolean'),
      ro('UserType', 'picklist'),
      ro('LastLoginDate', 'datetime'),
      rw('Is_Agent__c', 'boolean'),
      ref('ProfileId', 'Profile', 'Profile'),
      ...audit(),
    ],
  ],
  [
    // A user's profile; its licence says what kind of user it is (Salesforce Integration: API
    // only). https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_profile.htm
    'Profile',
    'Profile',
    [
      ro('Id', 'id'),
      ro('Name', 'string'),
      ref('UserLicenseId', 'UserLicense', 'UserLicense', { readOnly: true }),
    ],
  ],
  [
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlicense.htm
    'UserLicense',
    'User License',
    [ro('Id', 'id'), ro('Name', 'string'), ro('LicenseDefinitionKey', 'string')],
  ],
  [
    'TwoFactorMethodsInfo',
    'Two Factor Methods Info',
    [
      ro('Id', 'id'),
      ref('UserId', 'User', 'User', { readOnly: true }),
      ro('HasUserVerifiedEmailAddress', 'boolean'),
      ro('HasUserVerifiedMobileNumber', 'boolean'),
      ro('HasVerifiedMobileNumber', 'boolean'),
      ro('HasSalesforceAuthenticator', 'boolean'),
      ro('HasTotp', 'boolean'),
      ...audit().filter((f) => f.name !== 'IsDeleted'),
    ],
  ],
  [
    // One row per OAuth grant (refresh token) of a connected app. Supported calls:
    // describeSObjects() and query() only; a token is deleted by sending its DeleteToken to the
    // revoke endpoint (`/services/oauth2/revoke?token=<DeleteToken>`).
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
    // https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-oauthtoken.html
    'OauthToken',
    'OAuth Token',
    [
      ro('Id', 'id'),
      ro('AccessToken', 'string'),
      ref('AppMenuItemId', 'AppMenuItem', 'AppMenuItem', { readOnly: true }),
      ro('AppName', 'string'),
      ro('CreatedDate', 'datetime'),
      ro('DeleteToken', 'string'),
      ro('LastUsedDate', 'datetime'),
      ro('RequestToken', 'string'),
      ro('UseCount', 'int'),
      ref('UserId', 'User', 'User', { readOnly: true }),
    ],
  ],
  [
    // A set of permissions; a profile's permissions are one too (IsOwnedByProfile). Only the
    // system permissions the contract names are modelled (emulator/crm/permissions.ts).
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionset.htm
    'PermissionSet',
    'Permission Set',
    [
      ro('Id', 'id'),
      ro('Name', 'string'),
      ro('Label', 'string'),
      ro('IsOwnedByProfile', 'boolean'),
      ro('PermissionsApiEnabled', 'boolean'),
      ro('PermissionsCustomizeApplication', 'boolean'),
      ro('PermissionsManageUsers', 'boolean'),
      ...audit().filter((f) => f.name !== 'IsDeleted'),
    ],
  ],
  [
    // Which user holds which permission set (the profile's included).
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_permissionsetassignment.htm
    'PermissionSetAssignment',
    'Permission Set Assignment',
    [
      ro('Id', 'id'),
      ref('AssigneeId', 'User', 'Assignee', { readOnly: true }),
      ref('PermissionSetId', 'PermissionSet', 'PermissionSet', { readOnly: true }),
      ro('SystemModstamp', 'datetime'),
    ],
  ],
];

DEFS.push([
  // The site's Headless Identity settings: which flows are on and what their init requests must
  // carry — an internal integration user's access token with the flow's scope
  // (Does…RequireAuth: user_registration_api, forgot_password) and/or a reCAPTCHA token
  // (IsRecaptchaRequired…). One row per Experience Cloud site (NetworkId). API 58.0+.
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_networkauthapisettings.htm
  // https://developer.salesforce.com/docs/platform/field-reference/references/field-reference/salesforce-field-reference-networkauthapisettings.html
  'NetworkAuthApiSettings',
  'Network Auth Api Setting',
  [
    ro('Id', 'id'),
    rw('NetworkId', 'reference', { referenceTo: 'Network' }),
    rw('IsHeadlessUserRegistrationAllowed', 'boolean'),
    rw('IsForgotPwdAllowed', 'boolean'),
    rw('IsPwdlessLoginAllowed', 'boolean'),
    rw('DoesRegistrationRequireAuth', 'boolean'),
    rw('DoesForgotPasswordRequireAuth', 'boolean'),
    rw('DoesPwdlessLoginRequireAuth', 'boolean'),
    rw('IsRecaptchaRequiredRgstr', 'boolean'),
    rw('IsRecaptchaRequiredForgotPwd', 'boolean'),
    rw('IsRecaptchaRequiredPwdlessLogin', 'boolean'),
    ...audit(),
  ],
]);

/**
 * Objects whose only supported calls are describe and query (no create, update or delete).
 * PermissionSet and PermissionSetAssignment accept DML in a real org; the emulator's org is
 * configured by its seed (and tests), never through the API.
 */
export const READ_ONLY_OBJECTS = new Set([
  'OauthToken',
  'PermissionSet',
  'PermissionSetAssignment',
]);

export const OBJECTS = new Map<string, ObjectDef>();
const byLowerName = new Map<string, ObjectDef>();
for (const [name, label, fields] of DEFS) {
  const def: ObjectDef = {
    name,
    label,
    fields,
    byLower: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
    relationships: new Map(
      fields.filter((f) => f.relationshipName).map((f) => [f.relationshipName!.toLowerCase(), f]),
    ),
  };
  OBJECTS.set(name, def);
  byLowerName.set(name.toLowerCase(), def);
}

/** The object definition for an API name (case-insensitive, as Salesforce accepts it). */
export function objectDef(name: string): ObjectDef | undefined {
  return byLowerName.get(name.toLowerCase());
}

export function fieldDef(obj: ObjectDef, name: string): FieldDef | undefined {
  return obj.byLower.get(name.toLowerCase());
}

/** The SOAP/describe type name of a field type. */
export function describeType(t: FieldType): string {
  return t === 'id' ? 'id' : t;
}

// Deterministic CRM seed from the world: per citizen a Contact, an Experience Cloud User and its
// TwoFactorMethodsInfo, 0–4 Cases with 0–3 CaseComments each; agents and the integration user.
// Fast path: object literals of one shape per type, shared strings, no hashing.
import type { EmulatorCore } from '../core/emulator-core.js';
import { createRandom, sfDateTime, sfId } from '../ids.js';

const CASE_KINDS: Array<{ type: string; subject: string; description: string }> = [
  {
    type: 'Permit',
    subject: 'Renew residential parking permit',
    description:
      'My residential parking permit expires at the end of the month. Please renew it for zone B.',
  },
  {
    type: 'Road',
    subject: 'Pothole on my street',
    description:
      'There is a deep pothole in front of my house that has damaged two tyres this week.',
  },
  {
    type: 'Noise',
    subject: 'Noise complaint: construction at night',
    description: 'A construction site nearby operates after 10 pm on weekdays.',
  },
  {
    type: 'Waste',
    subject: 'Missed bulk waste pickup',
    description: 'My scheduled bulk waste pickup was missed on Tuesday.',
  },
  {
    type: 'Permit',
    subject: 'Building permit status inquiry',
    description:
      'I submitted a building permit application for a deck three weeks ago and have heard nothing.',
  },
  {
    type: 'Lighting',
    subject: 'Streetlight out at intersection',
    description: 'The streetlight at the corner has been out for a week and the crossing is dark.',
  },
  {
    type: 'Billing',
    subject: 'Question about water bill',
    description: 'My water bill doubled this quarter although usage has not changed.',
  },
  {
    type: 'Parks',
    subject: 'Broken playground equipment',
    description: 'The swing set at the neighbourhood park has a broken chain.',
  },
  {
    type: 'Tax',
    subject: 'Property tax payment not reflected',
    description: 'I paid my property tax online but the portal still shows it as due.',
  },
  {
    type: 'Animal',
    subject: 'Stray dog in the neighbourhood',
    description: 'A stray dog has been roaming near the school for several days.',
  },
  {
    type: 'License',
    subject: 'Business license renewal',
    description: 'I need to renew the business license for my bakery before it lapses.',
  },
  {
    type: 'Trees',
    subject: 'Fallen tree blocking sidewalk',
    description: 'A tree fell during the storm and blocks the sidewalk.',
  },
];
const COMMENTS = [
  'Thank you for reporting this. We have forwarded it to the responsible department.',
  'A crew has been scheduled to inspect the location this week.',
  'Could you please confirm the exact address or nearest cross street?',
  'We have received your documents and are reviewing them.',
  'The issue has been resolved. Please reopen the case if it occurs again.',
  'Any update on this? It is still happening.',
  'I have attached a photo through the portal.',
  'Your request has been escalated to a supervisor.',
];
const STATUSES = ['New', 'Working', 'Escalated', 'Closed', 'Closed', 'Working'];
const PRIORITIES = ['Low', 'Medium', 'Medium', 'High'];
const ORIGINS = ['Web', 'Web', 'Phone', 'Email'];
const DAY = 86_400_000;

/** The profile of Experience Cloud (citizen) users. */
export const COMMUNITY_PROFILE = 'Customer Community User';
/** The demo site's NetworkAuthApiSettings row (its Network is the site, `sfdc_community_id`). */
export const DEMO_SITE_AUTH_SETTINGS_ID = sfId('0nA', 1);

/**
 * The demo site's Headless Identity Configuration: registration, forgot password and passwordless
 * login on; registration and forgot password demand an internal integration user's access token
 * (the product's default, IDENTITY_HEADLESS_PROTECTION=integration-token), not reCAPTCHA. Tests
 * change the row to play a site that demands reCAPTCHA instead.
 */
export const DEMO_SITE_AUTH_SETTINGS = {
  IsHeadlessUserRegistrationAllowed: true,
  IsForgotPwdAllowed: true,
  IsPwdlessLoginAllowed: true,
  DoesRegistrationRequireAuth: true,
  DoesForgotPasswordRequireAuth: true,
  DoesPwdlessLoginRequireAuth: false,
  IsRecaptchaRequiredRgstr: false,
  IsRecaptchaRequiredForgotPwd: false,
  IsRecaptchaRequiredPwdlessLogin: false,
} as const;

export function seedCrm(core: EmulatorCore): void {
  const { world, sobjects: store } = core;
  const rnd = createRandom((world.seed ^ 0x5eed_c4a3) >>> 0);
  const contacts = store.table('Contact');
  const users = store.table('User');
  const tfa = store.table('TwoFactorMethodsInfo');
  const cases = store.table('Case');
  const comments = store.table('CaseComment');
  const integ = world.integration;
  const now = world.now.getTime();
  const agentIds = world.agents.map((a) => a.userId);

  // Licences and the profiles on them: the integration user is an API-only Salesforce
  // Integration user, agents are Salesforce users, citizens Customer Community users.
  const licences = store.table('UserLicense');
  const profiles = store.table('Profile');
  const profile = (n: number, name: string, licence: string, key: string) => {
    const licenceId = sfId('100', n);
    licences.set(licenceId, { Id: licenceId, Name: licence, LicenseDefinitionKey: key });
    const id = sfId('00e', n);
    profiles.set(id, { Id: id, Name: name, UserLicenseId: licenceId });
    return id;
  };
  const integrationProfile = profile(
    1,
    'Minimum Access - API Only Integrations',
    'Salesforce Integration',
    'SFDC_INTEGRATION',
  );
  const staffProfile = profile(2, 'Standard User', 'Salesforce', 'SFDC');
  profile(3, COMMUNITY_PROFILE, 'Customer Community', 'PID_Customer_Community');

  const staffUser = (
    id: string,
    username: string,
    first: string,
    last: string,
    email: string,
    created: string,
  ) => {
    users.set(id, {
      ProfileId: id === integ.userId ? integrationProfile : staffProfile,
      Id: id,
      Username: username,
      FirstName: first,
      LastName: last,
      Name: `${first} ${last}`,
      Email: email,
      Alias: (first[0] + last).slice(0, 8).toLowerCase(),
      ContactId: null,
      IsActive: true,
      UserType: 'Standard',
      LastLoginDate: sfDateTime(new Date(now - DAY)),
      Is_Agent__c: true,
      IsDeleted: false,
      CreatedDate: created,
      CreatedById: integ.userId,
      LastModifiedDate: created,
      LastModifiedById: integ.userId,
      SystemModstamp: created,
    });
  };
  const orgCreated = sfDateTime(new Date(now - 4 * 365 * DAY));
  staffUser(integ.userId, integ.username, 'Integration', 'User', integ.username, orgCreated);
  for (const a of world.agents)
    staffUser(a.userId, a.username, a.firstName, a.lastName, a.email, orgCreated);

  // Profiles' permissions (permission sets owned by a profile) and who holds them: the
  // integration user can read every user's OauthToken rows ("Customize Application", the org
  // contract); agents cannot. emulator/crm/permissions.ts reads them.
  const permissionSets = store.table('PermissionSet');
  const assignments = store.table('PermissionSetAssignment');
  const audit = {
    CreatedDate: orgCreated,
    CreatedById: integ.userId,
    LastModifiedDate: orgCreated,
    LastModifiedById: integ.userId,
    SystemModstamp: orgCreated,
  };
  const permissionSet = (
    n: number,
    label: string,
    customizeApplication: boolean,
    ownedByProfile = true,
  ) => {
    const id = sfId('0PS', n);
    permissionSets.set(id, {
      Id: id,
      Name: ownedByProfile ? `X00e${String(n).padStart(11, '0')}` : label.replace(/\W+/g, '_'),
      Label: label,
      IsOwnedByProfile: ownedByProfile,
      PermissionsApiEnabled: true,
      PermissionsCustomizeApplication: customizeApplication,
      PermissionsManageUsers: false,
      ...audit,
    });
    return id;
  };
  // The API-only profile grants nothing; the contract's permissions come in a permission set.
  const integrationProfileSet = permissionSet(1, 'Minimum Access - API Only Integrations', false);
  const agentSet = permissionSet(2, 'Standard User', false);
  const integrationSet = permissionSet(3, 'Customer 360 Integration', true, false);
  let assignment = 0;
  const assign = (userId: string, setId: string) => {
    const id = sfId('0Pa', ++assignment);
    assignments.set(id, {
      Id: id,
      AssigneeId: userId,
      PermissionSetId: setId,
      SystemModstamp: orgCreated,
    });
  };
  assign(integ.userId, integrationProfileSet);
  assign(integ.userId, integrationSet);
  for (const a of world.agents) assign(a.userId, agentSet);
  const orgSetup = sfDateTime(new Date(now - 365 * DAY));
  store.table('NetworkAuthApiSettings').set(DEMO_SITE_AUTH_SETTINGS_ID, {
    Id: DEMO_SITE_AUTH_SETTINGS_ID,
    NetworkId: sfId('0DB', 1),
    ...DEMO_SITE_AUTH_SETTINGS,
    IsDeleted: false,
    CreatedDate: orgSetup,
    CreatedById: integ.userId,
    LastModifiedDate: orgSetup,
    LastModifiedById: integ.userId,
    SystemModstamp: orgSetup,
  });

  let caseSeq = 0;
  let commentSeq = 0;
  for (const c of world.citizens) {
    const created = c.createdAt.getTime();
    const createdStr = sfDateTime(c.createdAt);
    contacts.set(c.contactId, {
      Id: c.contactId,
      AccountId: null,
      FirstName: c.firstName,
      LastName: c.lastName,
      Name: `${c.firstName} ${c.lastName}`,
      MailingStreet: c.street,
      MailingCity: c.city,
      MailingState: c.stateCode,
      MailingPostalCode: c.postalCode,
      MailingCountry: c.countryCode,
      Phone: c.phone,
      MobilePhone: c.phone,
      Email: c.email,
      Birthdate: c.birthDate,
      HasOptedOutOfEmail: false,
      OwnerId: integ.userId,
      IsDeleted: false,
      CreatedDate: createdStr,
      CreatedById: integ.userId,
      LastModifiedDate: createdStr,
      LastModifiedById: integ.userId,
      SystemModstamp: createdStr,
    });
    const lastLogin = sfDateTime(new Date(now - rnd.int(0, 60) * DAY - rnd.int(0, 86_399) * 1000));
    users.set(c.userId, {
      Id: c.userId,
      Username: c.username,
      FirstName: c.firstName,
      LastName: c.lastName,
      Name: `${c.firstName} ${c.lastName}`,
      Email: c.email,
      Alias: (c.firstName[0] + c.lastName)
        .replace(/[^A-Za-z]/g, '')
        .slice(0, 8)
        .toLowerCase(),
      ContactId: c.contactId,
      IsActive: true,
      UserType: 'CspLitePortal',
      ProfileId: sfId('00e', 3),
      LastLoginDate: lastLogin,
      Is_Agent__c: false,
      IsDeleted: false,
      CreatedDate: createdStr,
      CreatedById: integ.userId,
      LastModifiedDate: createdStr,
      LastModifiedById: integ.userId,
      SystemModstamp: createdStr,
    });
    const tfaId = sfId('0Tf', 1000 + c.index);
    tfa.set(tfaId, {
      Id: tfaId,
      UserId: c.userId,
      HasUserVerifiedEmailAddress: rnd.chance(0.9),
      HasUserVerifiedMobileNumber: rnd.chance(0.4),
      HasVerifiedMobileNumber: false,
      HasSalesforceAuthenticator: false,
      HasTotp: false,
      CreatedDate: createdStr,
      CreatedById: integ.userId,
      LastModifiedDate: createdStr,
      LastModifiedById: integ.userId,
      SystemModstamp: createdStr,
    });

    const nCases = rnd.int(0, 4);
    for (let k = 0; k < nCases; k++) {
      const kind = CASE_KINDS[rnd.int(0, CASE_KINDS.length - 1)];
      const openedMs = created + Math.floor(rnd.next() * (now - created));
      const opened = sfDateTime(new Date(openedMs));
      const status = STATUSES[rnd.int(0, STATUSES.length - 1)];
      const modifiedMs = openedMs + Math.floor(rnd.next() * Math.min(20 * DAY, now - openedMs));
      const modified = sfDateTime(new Date(modifiedMs));
      const caseId = sfId('500', 1000 + caseSeq);
      const owner = agentIds[caseSeq % agentIds.length];
      caseSeq++;
      cases.set(caseId, {
        Id: caseId,
        CaseNumber: String(store.next('Case.CaseNumber', 0)).padStart(8, '0'),
        ContactId: c.contactId,
        AccountId: null,
        ParentId: null,
        SuppliedName: null,
        SuppliedEmail: c.email,
        SuppliedPhone: null,
        Type: kind.type,
        Status: status,
        Reason: null,
        Origin: ORIGINS[rnd.int(0, ORIGINS.length - 1)],
        Subject: kind.subject,
        Priority: PRIORITIES[rnd.int(0, PRIORITIES.length - 1)],
        Description: kind.description,
        IsClosed: status === 'Closed',
        ClosedDate: status === 'Closed' ? modified : null,
        IsEscalated: status === 'Escalated',
        OwnerId: owner,
        Idempotency_Key__c: null,
        IsDeleted: false,
        CreatedDate: opened,
        CreatedById: c.userId,
        LastModifiedDate: modified,
        LastModifiedById: owner,
        SystemModstamp: modified,
      });
      const nComments = rnd.int(0, 3);
      for (let j = 0; j < nComments; j++) {
        const at = sfDateTime(
          new Date(openedMs + Math.floor(((j + 1) / (nComments + 1)) * (modifiedMs - openedMs))),
        );
        const id = sfId('00a', 1000 + commentSeq++);
        const byAgent = rnd.chance(0.7);
        const author = byAgent ? owner : c.userId;
        comments.set(id, {
          Id: id,
          ParentId: caseId,
          IsPublished: rnd.chance(0.9),
          CommentBody: COMMENTS[rnd.int(0, COMMENTS.length - 1)],
          IsDeleted: false,
          CreatedDate: at,
          CreatedById: author,
          LastModifiedDate: at,
          LastModifiedById: author,
          SystemModstamp: at,
        });
      }
    }
  }
}

// The Identity view of a user: the CRM User record when CRM seeded it (or registration created
// it), otherwise the seeded world. Both describe the same person with the same ids.
import type { EmulatorCore } from '../core/emulator-core.js';
import { sfDateTime } from '../ids.js';
import { identityState } from './state.js';

export interface IdentityUser {
  userId: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  contactId?: string;
  active: boolean;
  emailVerified: boolean;
  /** 'CspLitePortal' for Experience Cloud citizens, 'Standard' for internal users. */
  userType: string;
  isAgent: boolean;
  isIntegration: boolean;
  updatedAt: string;
  /** Seeded citizen's other keys (custom attributes). */
  unifiedId?: string;
  commerceCustomerId?: string;
  commerceLogin?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export function findUser(core: EmulatorCore, userId: string): IdentityUser | undefined {
  const { world, sobjects } = core;
  const state = identityState(core);
  const idx = state.citizenByUserId.get(userId);
  const citizen = idx === undefined ? undefined : world.citizens[idx];
  const agent = world.agents.find((a) => a.userId === userId);
  const isIntegration = userId === world.integration.userId;
  const rec = sobjects.get('User', userId);
  const tfa = sobjects.findBy('TwoFactorMethodsInfo', 'UserId', userId)[0];

  const base: Omit<IdentityUser, 'active' | 'emailVerified' | 'updatedAt'> | undefined = citizen
    ? {
        userId,
        username: citizen.username,
        firstName: citizen.firstName,
        lastName: citizen.lastName,
        email: citizen.email,
        contactId: citizen.contactId,
        userType: 'CspLitePortal',
        isAgent: false,
        isIntegration: false,
        unifiedId: citizen.unifiedId,
        commerceCustomerId: citizen.commerceCustomerId,
        commerceLogin: citizen.email,
      }
    : agent
      ? { ...agent, userType: 'Standard', isAgent: true, isIntegration: false }
      : isIntegration
        ? {
            userId,
            username: world.integration.username,
            firstName: 'Integration',
            lastName: 'User',
            email: world.integration.username,
            userType: 'Standard',
            // The integration client carries the agent permission
            // (docs/salesforce/access-model.md#who-may-see-what).
            isAgent: true,
            isIntegration: true,
          }
        : undefined;

  if (!rec && !base) return undefined;
  const userType = str(rec?.UserType) ?? base?.userType ?? 'CspLitePortal';
  return {
    userId,
    username: str(rec?.Username) ?? base!.username,
    firstName: str(rec?.FirstName) ?? base?.firstName ?? '',
    lastName: str(rec?.LastName) ?? base?.lastName ?? '',
    email: str(rec?.Email) ?? base?.email ?? '',
    contactId: str(rec?.ContactId) ?? base?.contactId,
    active: rec ? rec.IsActive !== false : true,
    emailVerified: tfa ? tfa.HasUserVerifiedEmailAddress === true : !!base,
    userType,
    isAgent: rec?.Is_Agent__c === true || (base?.isAgent ?? false),
    isIntegration: base?.isIntegration ?? false,
    updatedAt: str(rec?.LastModifiedDate) ?? sfDateTime(world.now),
    unifiedId: base?.unifiedId,
    commerceCustomerId: base?.commerceCustomerId,
    commerceLogin: base?.commerceLogin,
  };
}

/** Stamps the User record's LastLoginDate (when CRM has the record). */
export function recordLogin(core: EmulatorCore, userId: string): void {
  if (core.sobjects.get('User', userId))
    core.sobjects.update('User', userId, { LastLoginDate: sfDateTime(new Date()) });
}

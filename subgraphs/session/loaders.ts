// Per-request DataLoaders over CRM SOQL. SOQL `IN` lists are batched at 200 ids (the batch limit
// the gateway uses for CRM), one query per batch, results aligned to the keys.
import DataLoader from 'dataloader';
import { soqlString, type SessionAccounts } from './client.js';
import type { IdentityAccountModel, TwoFactorRow } from './mappers.js';

export const SOQL_IN_BATCH = 200;

export function createLoaders(crm: SessionAccounts) {
  return {
    /** The Experience Cloud User of each Contact (null when the contact has no login). */
    userByContactId: new DataLoader<string, IdentityAccountModel | null>(
      async (contactIds) => {
        const rows = await crm.query<IdentityAccountModel>(
          `SELECT Id, Username, IsActive, LastLoginDate, ContactId FROM User WHERE ContactId IN (${contactIds.map(soqlString).join(', ')})`,
        );
        const byContact = new Map(rows.map((r) => [r.ContactId, r]));
        return contactIds.map((id) => byContact.get(id) ?? null);
      },
      { maxBatchSize: SOQL_IN_BATCH },
    ),
    /** Whether each user verified their email address (null when there is no row). */
    emailVerifiedByUserId: new DataLoader<string, boolean | null>(
      async (userIds) => {
        const rows = await crm.query<TwoFactorRow>(
          `SELECT UserId, HasUserVerifiedEmailAddress FROM TwoFactorMethodsInfo WHERE UserId IN (${userIds.map(soqlString).join(', ')})`,
        );
        const byUser = new Map(rows.map((r) => [r.UserId, r.HasUserVerifiedEmailAddress === true]));
        return userIds.map((id) => byUser.get(id) ?? null);
      },
      { maxBatchSize: SOQL_IN_BATCH },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

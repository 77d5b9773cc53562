// Upstream models behind the GraphQL types (codegen mappers: codegen-mappers.json).

/** A Citizen reference this subgraph resolves by its CRM Contact id. */
export interface CitizenModel {
  contactId: string;
}

/** A CRM User row: SELECT Id, Username, IsActive, LastLoginDate, ContactId FROM User. */
export interface IdentityAccountModel {
  Id: string;
  Username: string;
  IsActive: boolean;
  LastLoginDate: string | null;
  ContactId: string | null;
}

/** The signed-in citizen as the gateway's principal describes them. */
export interface ViewerModel {
  contactId: string;
  userId: string;
  username: string;
}

export interface SessionModel {
  userId: string;
  username: string;
}

/** SELECT UserId, HasUserVerifiedEmailAddress FROM TwoFactorMethodsInfo. */
export interface TwoFactorRow {
  UserId: string;
  HasUserVerifiedEmailAddress: boolean;
}

/** Salesforce DateTime (2026-01-02T03:04:05.000+0000) → ISO-8601 UTC. */
export function isoDateTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

// Models behind the GraphQL types (codegen mappers): the CRM records as they arrive
// (upstream-types.ts), and the mapping of CRM values to the public schema (statuses, dates).
import type { CrmCase, CrmCaseComment } from './upstream-types.js';

/** A Case is the CRM record as read; resolvers map its fields. */
export type CaseModel = CrmCase;
export type CaseCommentModel = CrmCaseComment;

/** The Citizen entity as far as this subgraph knows it: its CRM Contact id. */
export interface CitizenModel {
  contactId: string;
}

/** The fields every Case and CaseComment read selects (the records of upstream-types.ts). */
export const CASE_FIELDS = [
  'Id',
  'CaseNumber',
  'Subject',
  'Description',
  'Status',
  'Priority',
  'Origin',
  'ContactId',
  'CreatedDate',
  'LastModifiedDate',
] as const;
export const COMMENT_FIELDS = ['Id', 'ParentId', 'CommentBody', 'CreatedDate'] as const;

export type CaseStatusValue = 'NEW' | 'WORKING' | 'ESCALATED' | 'CLOSED';

/**
 * Case.Status picklist values for the enum, from CASE_STATUS_VALUES (default Salesforce's
 * standard New / Working / Escalated / Closed).
 */
export type CaseStatusValues = Record<CaseStatusValue, string>;

export const DEFAULT_STATUS_VALUES: CaseStatusValues = {
  NEW: 'New',
  WORKING: 'Working',
  ESCALATED: 'Escalated',
  CLOSED: 'Closed',
};

export const statusToCrm = (values: CaseStatusValues, s: CaseStatusValue) => values[s];

export type CasePriorityValue = 'HIGH' | 'MEDIUM' | 'LOW';

/**
 * Case.Priority picklist values for the enum, from CASE_PRIORITY_VALUES (default Salesforce's
 * standard High / Medium / Low); the org's values must be active (docs/real-org.md, org:check).
 */
export type CasePriorityValues = Record<CasePriorityValue, string>;

export const priorityToCrm = (values: CasePriorityValues, p: CasePriorityValue) => values[p];

/** The enum value of a Priority picklist value; null for a value the org added (no enum value). */
export function priorityFromCrm(
  values: CasePriorityValues,
  p: string | null | undefined,
): CasePriorityValue | null {
  const lower = (p ?? '').toLowerCase();
  for (const k of ['HIGH', 'MEDIUM', 'LOW'] as const)
    if (values[k].toLowerCase() === lower) return k;
  return null;
}

/** Orgs customise the Status picklist; values other than the configured four read as WORKING (still open). */
export function statusFromCrm(
  values: CaseStatusValues,
  s: string | null | undefined,
): CaseStatusValue {
  const lower = (s ?? '').toLowerCase();
  for (const k of ['NEW', 'ESCALATED', 'CLOSED'] as const)
    if (values[k].toLowerCase() === lower) return k;
  return 'WORKING';
}

/** Salesforce `2026-03-04T17:21:09.000+0000` → ISO-8601 `2026-03-04T17:21:09.000Z`. */
export function isoFromSf(v: string | null | undefined): string | null {
  if (!v) return null;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

// Upstream models the resolvers work on (codegen mappers) and the mapping of CRM values to
// the public schema (statuses, dates).
import type { SfRecord } from './client.js';

/** A CRM Case as the subgraph reads it. */
export interface CaseModel extends SfRecord {
  CaseNumber: string;
  Subject: string | null;
  Description: string | null;
  Status: string;
  Priority: string | null;
  Origin: string | null;
  ContactId: string | null;
  CreatedDate: string;
  LastModifiedDate: string | null;
}

export interface CaseCommentModel extends SfRecord {
  ParentId: string;
  CommentBody: string | null;
  CreatedDate: string;
}

/** The Citizen entity as far as this subgraph knows it: its CRM Contact id. */
export interface CitizenModel {
  contactId: string;
}

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

const TO_CRM: Record<CaseStatusValue, string> = {
  NEW: 'New',
  WORKING: 'Working',
  ESCALATED: 'Escalated',
  CLOSED: 'Closed',
};

export const statusToCrm = (s: CaseStatusValue) => TO_CRM[s];

/** Orgs customise the Status picklist; unknown values fall back to WORKING (still open). */
export function statusFromCrm(s: string | null | undefined): CaseStatusValue {
  switch ((s ?? '').toLowerCase()) {
    case 'new':
      return 'NEW';
    case 'escalated':
      return 'ESCALATED';
    case 'closed':
      return 'CLOSED';
    default:
      return 'WORKING';
  }
}

/** Salesforce `2026-03-04T17:21:09.000+0000` → ISO-8601 `2026-03-04T17:21:09.000Z`. */
export function isoFromSf(v: string | null | undefined): string | null {
  if (!v) return null;
  const ms = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

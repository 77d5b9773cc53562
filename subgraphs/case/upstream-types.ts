// The CRM wire shapes this subgraph reads (reference §1.3, §1.5, §1.7, §1.9): the Case and
// CaseComment records, and lib/salesforce's REST envelopes (query, composite, errors). Field
// names are the real ones; mappers.ts turns them into the models the resolvers work on.
import type { SfRecord } from '../../lib/salesforce/crm-client.js';

export type {
  CompositeSubrequest,
  CompositeSubresponse,
  CrmErrorItem,
  QueryResult,
} from '../../lib/salesforce/crm-client.js';

/** A CRM Case as the subgraph reads it. */
export interface CrmCase extends SfRecord {
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

/** A CRM CaseComment as the subgraph reads it. */
export interface CrmCaseComment extends SfRecord {
  ParentId: string;
  CommentBody: string | null;
  CreatedDate: string;
}

// The CRM wire shapes this subgraph reads (docs/salesforce/crm-rest.md#records-and-ids,
// crm-rest.md#soql-query, crm-rest.md#composite, crm-rest.md#standard-objects): the Case and
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

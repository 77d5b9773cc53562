// The Case subgraph speaks to Salesforce through lib/salesforce's CRM client (CRM REST with the
// integration client's token, re-authenticated once on 401); CaseConfig carries its options.
export {
  CrmClient,
  type CompositeSubrequest,
  type CompositeSubresponse,
  type CrmErrorItem,
  type QueryResult,
  type SfRecord,
} from '../../lib/salesforce/crm-client.js';

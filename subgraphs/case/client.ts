// The Case subgraph speaks to Salesforce through lib/salesforce's CRM client (CRM REST with the
// integration client's token, re-authenticated once on 401); CaseConfig carries its options.
// The CRM wire shapes the subgraph reads are in upstream-types.ts.
export { CrmClient, type SfRecord } from '../../lib/salesforce/crm-client.js';

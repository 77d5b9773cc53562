// The Salesforce access layer: one token cache, one re-authentication rule, one CRM client, one
// SOQL literal function. Subgraph clients build on these; nothing here knows a subgraph.
export * from './crm-client.js';
export * from './reauth.js';
export * from './soql.js';
export * from './token-cache.js';

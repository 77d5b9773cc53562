// The layer between the HTTP kernel and the resolvers, once for every subgraph.
export * from './connection.js';
export * from './user-error.js';
export * from './idempotency-key.js';

// Transitional: the SCAPI wire shapes moved to upstream-types.ts. Only loaders.ts still imports
// this path; delete this file once it imports './upstream-types.js'.
export type * from './upstream-types.js';

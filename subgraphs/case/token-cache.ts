// The case subgraph's core token: the shared cache of lib/salesforce (CaseConfig has its options).
export {
  CoreTokenCache,
  type CoreSession,
  type CoreTokenResponse,
} from '../../lib/salesforce/token-cache.js';

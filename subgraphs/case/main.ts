// Starts the Case subgraph on CASE_PORT (default 4002).
import { startSubgraph } from '../../lib/subgraph-main.js';
import { loadCaseConfig } from './config.js';
import { createCaseServer } from './server.js';

startSubgraph({
  name: 'case',
  loadConfig: loadCaseConfig,
  create: (config, shared) => createCaseServer(config, { lock: shared.lock, redis: shared.redis }),
  // Subscription.caseUpdated over GraphQL over WebSocket on the same /graphql.
  subscriptions: true,
});

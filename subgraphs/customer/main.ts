// Entry point: `tsx subgraphs/customer/main.ts` (CUSTOMER_PORT, default 4001).
import { startSubgraph } from '../../lib/subgraph-main.js';
import { loadCustomerConfig } from './config.js';
import { createCustomerServer } from './server.js';

startSubgraph({
  name: 'customer',
  loadConfig: loadCustomerConfig,
  create: (config, shared) => createCustomerServer(config, undefined, { redis: shared.redis }),
});

// Runs the Commerce subgraph on COMMERCE_PORT (default 4003).
import { startSubgraph } from '../../lib/subgraph-main.js';
import { loadCommerceConfig } from './config.js';
import { createCommerceServer } from './server.js';

startSubgraph({
  name: 'commerce',
  loadConfig: loadCommerceConfig,
  create: (config, shared) =>
    createCommerceServer(config, { lock: shared.lock, redis: shared.redis }),
  readyLine: (url, config) =>
    `commerce subgraph at ${url}/graphql (SCAPI ${config.scapiBaseUrl}, org ${config.organizationId}, site ${config.siteId})`,
});

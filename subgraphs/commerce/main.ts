// Runs the Commerce subgraph on COMMERCE_PORT (default 4003).
import { listen } from '../../lib/http.js';
import { loadCommerceConfig } from './config.js';
import { createCommerceServer } from './server.js';

const config = loadCommerceConfig(process.env);
const server = await createCommerceServer(config);
const up = await listen(server.app, config.port, config.host);
console.log(
  `commerce subgraph at ${up.url}/graphql (SCAPI ${config.scapiBaseUrl}, org ${config.organizationId}, site ${config.siteId})`,
);

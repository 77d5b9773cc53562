// Runs the Commerce subgraph on COMMERCE_PORT (default 4003).
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadCommerceConfig } from './config.js';
import { createCommerceServer } from './server.js';

const config = loadCommerceConfig(process.env);
const shutdownMs = shutdownTimeoutMs(process.env);
const server = await createCommerceServer(config);
const up = await listen(server.app, config.port, config.host);
console.log(
  `commerce subgraph at ${up.url}/graphql (SCAPI ${config.scapiBaseUrl}, org ${config.organizationId}, site ${config.siteId})`,
);
// SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
exitOnSignal('commerce subgraph', up.server, shutdownMs, () => server.stop());

// Runs the Commerce subgraph on COMMERCE_PORT (default 4003).
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadSharedStateConfig, openSharedState } from '../../lib/shared-state.js';
import { startTracing, stopTracing } from '../../lib/observability/tracing.js';
import { loadCommerceConfig } from './config.js';
import { createCommerceServer } from './server.js';

const config = loadCommerceConfig(process.env);
startTracing('commerce', process.env);
const shared = openSharedState(loadSharedStateConfig(process.env));
const shutdownMs = shutdownTimeoutMs(process.env);
const server = await createCommerceServer(config, { lock: shared.lock });
const up = await listen(server.app, config.port, config.host);
console.log(
  `commerce subgraph at ${up.url}/graphql (SCAPI ${config.scapiBaseUrl}, org ${config.organizationId}, site ${config.siteId})`,
);
// Can it reach Salesforce with its credentials? Said once at start (and by /readyz).
void server.checkReady().then((reason) => {
  if (reason) console.error(`commerce subgraph not ready: ${reason}`);
});
// SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
exitOnSignal('commerce subgraph', up.server, shutdownMs, async () => {
  await server.stop();
  await shared.close();
  await stopTracing();
});

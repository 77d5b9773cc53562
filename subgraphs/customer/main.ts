// Entry point: `tsx subgraphs/customer/main.ts`.
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadSharedStateConfig, openSharedState } from '../../lib/shared-state.js';
import { startTracing, stopTracing } from '../../lib/observability/tracing.js';
import { loadCustomerConfig } from './config.js';
import { createCustomerServer } from './server.js';

async function main() {
  const config = loadCustomerConfig(process.env);
  startTracing('customer', process.env);
  const shared = openSharedState(loadSharedStateConfig(process.env));
  const shutdownMs = shutdownTimeoutMs(process.env);
  const server = await createCustomerServer(config);
  const up = await listen(server.app, config.port, config.host);
  console.log(`customer subgraph ready at ${up.url}/graphql`);
  // Can it reach Salesforce with its credentials? Said once at start (and by /readyz).
  void server.checkReady().then((reason) => {
    if (reason) console.error(`customer subgraph not ready: ${reason}`);
  });
  // SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
  exitOnSignal('customer subgraph', up.server, shutdownMs, async () => {
    await server.stop();
    await shared.close();
    await stopTracing();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// Starts the Session subgraph on SESSION_PORT (default 4004).
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadSharedStateConfig, openSharedState } from '../../lib/shared-state.js';
import { startTracing, stopTracing } from '../../lib/observability/tracing.js';
import { loadSessionConfig } from './config.js';
import { createSessionServer } from './server.js';

const config = loadSessionConfig(process.env);
startTracing('session', process.env);
const shared = openSharedState(loadSharedStateConfig(process.env));
const shutdownMs = shutdownTimeoutMs(process.env);
const server = await createSessionServer(config, { limiter: shared.limiter });
const up = await listen(server.app, config.port, config.host);
console.log(`session subgraph ready at ${up.url}/graphql`);
// Can it reach Salesforce with its credentials? Said once at start (and by /readyz).
void server.checkReady().then((reason) => {
  if (reason) console.error(`session subgraph not ready: ${reason}`);
});
// SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
exitOnSignal('session subgraph', up.server, shutdownMs, async () => {
  await server.stop();
  await shared.close();
  await stopTracing();
});

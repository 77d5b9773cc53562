// Starts the Case subgraph on CASE_PORT (default 4002).
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadSharedStateConfig, openSharedState } from '../../lib/shared-state.js';
import { startTracing, stopTracing } from '../../lib/observability/tracing.js';
import { loadCaseConfig } from './config.js';
import { createCaseServer } from './server.js';

const config = loadCaseConfig(process.env);
startTracing('case', process.env);
const shared = openSharedState(loadSharedStateConfig(process.env));
const shutdownMs = shutdownTimeoutMs(process.env);
const server = await createCaseServer(config, { lock: shared.lock });
const up = await listen(server.app, config.port, config.host);
// Subscription.caseUpdated over GraphQL over WebSocket on the same /graphql.
const ws = server.attachWebSocket(up.server);
console.log(`case subgraph ready at ${up.url}/graphql (subscriptions: ws on the same path)`);
// Can it reach Salesforce with its credentials? Said once at start (and by /readyz).
void server.checkReady().then((reason) => {
  if (reason) console.error(`case subgraph not ready: ${reason}`);
});
// SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
exitOnSignal('case subgraph', up.server, shutdownMs, async () => {
  await ws.close();
  await server.stop();
  await shared.close();
  await stopTracing();
});

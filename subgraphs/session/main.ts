// Starts the Session subgraph on SESSION_PORT (default 4004).
import { exitOnSignal, listen, shutdownTimeoutMs } from '../../lib/http.js';
import { loadSessionConfig } from './config.js';
import { createSessionServer } from './server.js';

const config = loadSessionConfig(process.env);
const shutdownMs = shutdownTimeoutMs(process.env);
const server = await createSessionServer(config);
const up = await listen(server.app, config.port, config.host);
console.log(`session subgraph ready at ${up.url}/graphql`);
// SIGTERM: stop accepting, let in-flight requests finish (SHUTDOWN_TIMEOUT_MS), then exit.
exitOnSignal('session subgraph', up.server, shutdownMs, () => server.stop());

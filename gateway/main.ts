// npm run start:gateway — the gateway on the committed supergraph.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mountGraphiql } from './graphiql.js';
import { exitOnSignal, listen, shutdownTiming } from '../lib/http.js';
import { startTracing, stopTracing } from '../lib/observability/tracing.js';
import { loadGatewayConfig } from './config.js';
import { processEnv } from '../lib/env.js';
import { modeOf } from '../lib/config/registry.js';
import { createGateway } from './server.js';
import { attachGatewaySubscriptions } from './subscriptions/index.js';

const config = loadGatewayConfig(processEnv);
startTracing('gateway', processEnv);
const timing = shutdownTiming(processEnv);
const supergraphSdl = readFileSync(
  new URL('../schema/supergraph.graphql', import.meta.url),
  'utf8',
);
const graphiqlDir = fileURLToPath(new URL('../dist/graphiql', import.meta.url));
// `npm start` passes the emulator's demo citizen (--graphiql-demo-login <username> <password>) for
// GraphiQL to offer; never honoured in production.
const demoAt = process.argv.indexOf('--graphiql-demo-login');
const demoLogin =
  demoAt > 0 && modeOf(processEnv) !== 'production'
    ? { username: process.argv[demoAt + 1] ?? '', password: process.argv[demoAt + 2] ?? '' }
    : undefined;
const gateway = await createGateway({
  ...config,
  supergraphSdl,
  beforeGraphql: (app) => mountGraphiql(app, { dir: graphiqlDir, demoLogin }),
});
const http = await listen(gateway.app, config.port, config.host);
// Subscriptions (which @apollo/gateway cannot run) over WebSocket and SSE on the same /graphql.
const live = attachGatewaySubscriptions(http.server, gateway, config);
console.log(`gateway on ${http.url}/graphql (open it in a browser for GraphiQL)`);
if (config.mcp.enabled)
  console.log(`MCP tools for assistants on ${http.url}/mcp (README: Agents over MCP)`);
// SIGTERM: /readyz fails for SHUTDOWN_DELAY_MS while requests are still served; then the listener
// closes, WebSockets get 1001 and streams end, and what is open at SHUTDOWN_TIMEOUT_MS is cut.
exitOnSignal({
  name: 'gateway',
  server: http.server,
  ...timing,
  goingAway: () => live.close(),
  cleanup: async () => {
    await gateway.stop();
    await stopTracing();
  },
});

// startSubgraph: a subgraph process from start to exit, the same for all four; each
// subgraphs/<name>/main.ts passes its name, config loader and server factory. Config → tracing →
// shared state → server → listen → the readiness line → drain on SIGTERM/SIGINT.
import { processEnv, type Env, type ServiceEnv } from './env.js';
import { exitOnSignal, listen, shutdownTiming } from './http.js';
import { startTracing, stopTracing } from './observability/tracing.js';
import { loadSharedStateConfig, openSharedState, type SharedState } from './shared-state.js';
import type { SubgraphServer } from './subgraph-server.js';

export interface SubgraphProcess<C extends ServiceEnv> {
  /** As in schema/subgraphs.ts: names its traces and its log lines (`<name> subgraph …`). */
  name: string;
  loadConfig(env: Env): C;
  /** Builds the server; `shared` holds the Redis-backed limiter and lock when REDIS_URL is set. */
  create(config: C, shared: SharedState): Promise<SubgraphServer>;
  /** Also serves subscriptions (GraphQL over WebSocket) on the same /graphql. */
  subscriptions?: boolean;
  /** The line that says it is up; default `<name> subgraph ready at <url>/graphql`. */
  readyLine?(url: string, config: C): string;
}

async function runSubgraph<C extends ServiceEnv>(p: SubgraphProcess<C>, env: Env): Promise<void> {
  const config = p.loadConfig(env);
  startTracing(p.name, env);
  const shared = openSharedState(loadSharedStateConfig(env));
  const timing = shutdownTiming(env);
  const server = await p.create(config, shared);
  const up = await listen(server.app, config.port, config.host);
  const ws = p.subscriptions ? server.attachWebSocket(up.server) : undefined;
  console.log(
    p.readyLine?.(up.url, config) ??
      `${p.name} subgraph ready at ${up.url}/graphql` +
        (ws ? ' (subscriptions: ws on the same path)' : ''),
  );
  // Can it reach Salesforce with its credentials? Said once at start (and by /readyz).
  void server.checkReady().then((reason) => {
    if (reason) console.error(`${p.name} subgraph not ready: ${reason}`);
  });
  // SIGTERM: /readyz fails for SHUTDOWN_DELAY_MS while requests are still served; then the
  // listener closes, WebSockets get 1001, and what is open at SHUTDOWN_TIMEOUT_MS is cut.
  exitOnSignal({
    name: `${p.name} subgraph`,
    server: up.server,
    ...timing,
    goingAway: () => ws?.close(),
    cleanup: async () => {
      await server.stop();
      await shared.close();
      await stopTracing();
    },
  });
}

/** Runs the subgraph; a failure to start (bad config, port taken) is printed and exits 1. */
export function startSubgraph<C extends ServiceEnv>(
  p: SubgraphProcess<C>,
  env: Env = processEnv,
): void {
  runSubgraph(p, env).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

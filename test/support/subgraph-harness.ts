// One subgraph against its own emulator, both on port 0 (test/harness.ts's startEmulator and
// startSubgraph): what every subgraph's __tests__/harness.ts starts. Each harness adds only
// what is its own (its call counters, its principals).
import type { Emulator } from '../../emulator/server.js';
import type { PubSubServer } from '../../emulator/pubsub/server.js';
import type { Listening } from '../../lib/http.js';
import type { SubgraphServer } from '../../lib/subgraph-server.js';
import {
  startEmulator,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningSubgraph,
  type Stoppable,
} from '../harness.js';

export interface SubgraphHarness<Config> extends Stoppable {
  emu: Emulator;
  /** Origin of the emulator (its families live under /crm, /datacloud, /scapi, /identity). */
  emulatorUrl: string;
  /** With `pubsub`: the emulator's Pub/Sub API. */
  pubsub?: PubSubServer;
  /** The environment the subgraph was built from: the emulator's URLs, the secret, `env`. */
  env: NodeJS.ProcessEnv;
  /** The subgraph's configuration, loaded from `env` as its server loaded it. */
  config: Config;
  server: SubgraphServer;
  /** The subgraph's HTTP listener. */
  sub: Listening;
  /** POSTs an operation with `principal` signed as the gateway signs it: { status, body }. */
  gql: RunningSubgraph['gql'];
  close(): Promise<void>;
}

/**
 * The emulator (`citizens` seeded, its Pub/Sub API with `pubsub`) and the subgraph `name` on its
 * URLs, with PRINCIPAL_SECRET = TEST_PRINCIPAL_SECRET and `env` on top; `live` adds the
 * subgraph's GraphQL over WebSocket. Disposable: `await using h = await startSubgraphHarness(…)`.
 */
export async function startSubgraphHarness<Config>(
  name: string,
  loadConfig: (env: NodeJS.ProcessEnv) => Config,
  o: { citizens: number; pubsub?: boolean; live?: boolean; env?: NodeJS.ProcessEnv },
): Promise<SubgraphHarness<Config>> {
  const upstream = await startEmulator({ citizens: o.citizens, pubsub: o.pubsub });
  const env = { ...upstream.env, PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET, ...o.env };
  let subgraph: RunningSubgraph;
  try {
    subgraph = await startSubgraph(name, env, { live: o.live });
  } catch (err) {
    await upstream.stop();
    throw err;
  }
  const stop = async () => {
    try {
      await subgraph.stop();
    } finally {
      await upstream.stop();
    }
  };
  return {
    emu: upstream.emulator,
    emulatorUrl: upstream.url,
    pubsub: upstream.pubsub,
    env,
    config: loadConfig(env),
    server: subgraph.server,
    sub: subgraph.http,
    gql: subgraph.gql,
    close: stop,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

// The one subgraph test harness: a subgraph against its own emulator, both on port 0
// (test/harness.ts's startEmulator and startSubgraph). Every subgraph's tests and the conformance
// suite (test/support/subgraph-conformance.ts) start it with the same call,
// `startSubgraphHarness(name, options)`, and get the same shape back.
import type { Emulator } from '../../emulator/server.js';
import type { CallRecord, Family } from '../../emulator/core/call-log.js';
import type { PubSubServer } from '../../emulator/pubsub/server.js';
import type { Listening } from '../../lib/http.js';
import type { Principal } from '../../lib/principal.js';
import type { SubgraphServer } from '../../lib/subgraph-server.js';
import { loadCaseConfig, type CaseConfig } from '../../subgraphs/case/config.js';
import { loadCommerceConfig, type CommerceConfig } from '../../subgraphs/commerce/config.js';
import { loadCustomerConfig, type CustomerConfig } from '../../subgraphs/customer/config.js';
import { loadSessionConfig, type SessionConfig } from '../../subgraphs/session/config.js';
import {
  startEmulator,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningSubgraph,
  type Stoppable,
} from '../harness.js';
import { integrationToken } from './integration-token.js';

/** A subgraph's response body, loosely typed for assertions. */
export interface GraphQLBody {
  data?: any;
  errors?: any;
  extensions?: any;
}

/** Each subgraph's configuration, as its server loads it from the environment. */
export interface SubgraphConfigs {
  customer: CustomerConfig;
  case: CaseConfig;
  commerce: CommerceConfig;
  session: SessionConfig;
}
export type SubgraphName = keyof SubgraphConfigs;

const LOADERS: { [N in SubgraphName]: (env: NodeJS.ProcessEnv) => SubgraphConfigs[N] } = {
  customer: loadCustomerConfig,
  case: loadCaseConfig,
  commerce: loadCommerceConfig,
  session: loadSessionConfig,
};

export interface SubgraphHarnessOptions {
  /** Seeded citizens (the emulator's world): 60 unless told. */
  citizens?: number;
  /** Start the emulator's Pub/Sub API (`pubsub` in the harness). */
  pubsub?: boolean;
  /** Serve the subgraph's GraphQL over WebSocket too. */
  live?: boolean;
  /** Adds to (or overrides) the subgraph's environment. */
  env?: NodeJS.ProcessEnv;
}

export interface UpstreamCallFilter {
  /** Substring of the path below the family prefix. */
  path?: string;
  method?: string;
  /** Token requests (paths with /oauth2/) included: true unless told. */
  tokens?: boolean;
}

export interface SubgraphHarness<N extends SubgraphName = SubgraphName> extends Stoppable {
  name: N;
  emu: Emulator;
  /** Origin of the emulator (its families live under /crm, /datacloud, /scapi, /identity). */
  emulatorUrl: string;
  /** With `pubsub`: the emulator's Pub/Sub API. */
  pubsub?: PubSubServer;
  /** The environment the subgraph was built from: the emulator's URLs, the secret, `env`. */
  env: NodeJS.ProcessEnv;
  /** The subgraph's configuration, loaded from `env` as its server loaded it. */
  config: SubgraphConfigs[N];
  server: SubgraphServer;
  /** The subgraph's HTTP listener. */
  sub: Listening;
  /** The subgraph's GraphQL endpoint. */
  url: string;
  /** POSTs an operation with `principal` signed as the gateway signs it: { status, body }. */
  request(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody }>;
  /** The response body of an operation sent with `principal` signed. */
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLBody>;
  /** The emulator's logged calls of `family` since its last reset. */
  calls(family: Family, filter?: UpstreamCallFilter): CallRecord[];
  /** A CRM access token of the integration client, for a test's own writes to the org. */
  integrationToken(): Promise<string>;
  close(): Promise<void>;
}

/** The anonymous caller (no one signed in), as the gateway signs it. */
export const ANONYMOUS: Principal = { kind: 'anonymous' };

/**
 * The emulator (`citizens` seeded, its Pub/Sub API with `pubsub`) and the subgraph `name` on its
 * URLs, with PRINCIPAL_SECRET = TEST_PRINCIPAL_SECRET and `env` on top; `live` adds the
 * subgraph's GraphQL over WebSocket. Disposable: `await using h = await startSubgraphHarness(…)`.
 */
export async function startSubgraphHarness<N extends SubgraphName>(
  name: N,
  o: SubgraphHarnessOptions = {},
): Promise<SubgraphHarness<N>> {
  const upstream = await startEmulator({ citizens: o.citizens ?? 60, pubsub: o.pubsub });
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
  const emu = upstream.emulator;
  return {
    name,
    emu,
    emulatorUrl: upstream.url,
    pubsub: upstream.pubsub,
    env,
    config: LOADERS[name](env),
    server: subgraph.server,
    sub: subgraph.http,
    url: subgraph.url,
    request: (principal, query, variables = {}, headers = {}) =>
      subgraph.gql(principal, query, variables, headers),
    gql: async (principal, query, variables = {}, headers = {}) =>
      (await subgraph.gql(principal, query, variables, headers)).body,
    calls: (family, { path, method, tokens = true } = {}) =>
      emu.log.list({ family, path, method }).filter((c) => tokens || !c.path.includes('/oauth2/')),
    integrationToken: () => integrationToken(emu, upstream.url),
    close: stop,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

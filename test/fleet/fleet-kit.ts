// A fleet in one process, as deployed (issue 24): one real redis-server, the emulator with its
// Pub/Sub API, TWO replicas each of the case and commerce subgraphs behind a round-robin TCP
// proxy (test/support/round-robin-proxy.ts, WebSocket upgrades included), one customer and one
// session subgraph, and TWO gateways (with their subscription transports) on the proxies. Every
// replica has its own Redis connections, as a process would. A case or commerce replica can be
// killed (its Redis cut first, nothing given back) and started again in its proxy slot.
import type { Redis } from 'ioredis';
import { connectRedis } from '../../lib/redis/connect.js';
import { loadSharedStateConfig, sharedStateOn } from '../../lib/shared-state.js';
import { RedisGrantStore } from '../../subgraphs/session/session-grants.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { attachGatewaySubscriptions } from '../../gateway/subscriptions/index.js';
import type { GatewayOptions } from '../../gateway/server.js';
import {
  startEmulator,
  startGateway,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
  type RunningGateway,
  type RunningSubgraph,
  type SharedDeps,
  type Stack,
} from '../harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { budget } from '../support/budget.js';

/**
 * The subgraphs' Salesforce calls time out after this long (the late-commit scenario's first
 * attempt must): short enough for a quick test, long enough for a warm call on a busy machine.
 */
export const CALL_TIMEOUT_MS = 2500;
/**
 * A Redis command waits at most this long (once Redis is gone, commands fail at once: no offline
 * queue); generous, so a loaded machine does not make a holder lose its lease.
 */
const REDIS_COMMAND_TIMEOUT_MS = 2000;

export interface FleetReplica {
  name: string;
  sub: RunningSubgraph;
  /** Its own Redis connections (shared state; the case subgraph's events too). */
  connections: Redis[];
  /** As a killed process: its Redis connections cut first, so it gives nothing back. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface FleetGateway {
  gw: RunningGateway;
  redis: Redis;
  /** A Stack view of this gateway, for test/client.ts and test/live/live-kit.ts. */
  stack: Stack;
  /** Ends its subscriptions (graphql-ws 1001 "going away", streams ended). */
  closeSubscriptions(): Promise<void>;
  stop(): Promise<void>;
}

export interface Fleet {
  redisServer: RedisServer;
  upstream: RunningEmulator;
  env: NodeJS.ProcessEnv;
  proxies: { case: RoundRobinProxy; commerce: RoundRobinProxy };
  /** Two each, by proxy slot (a restarted replica takes its slot). */
  replicas: { case: FleetReplica[]; commerce: FleetReplica[] };
  others: RunningSubgraph[];
  /** The subgraph URLs every gateway is given (case and commerce: the proxies). */
  subgraphUrls: Record<string, string>;
  gateways: FleetGateway[];
  /** A new replica of `name` in proxy slot `slot` (the old one should be dead). */
  restart(name: 'case' | 'commerce', slot: number): Promise<FleetReplica>;
  /** One more gateway on the fleet's subgraphs (its own configuration on top of the fleet's). */
  gateway(
    env?: NodeJS.ProcessEnv,
    o?: { subgraphBreakers?: GatewayOptions['subgraphBreakers'] },
  ): Promise<FleetGateway>;
  stop(): Promise<void>;
}

const redisFor = (server: RedisServer) =>
  connectRedis({ url: server.url, commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS });

async function quit(redis: Redis) {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

/** Resolves once the case change events' lease is held (by the only case replica so far). */
async function leaseTaken(server: RedisServer) {
  const admin = connectRedis({ url: server.url });
  try {
    const until = Date.now() + budget(0.3);
    while (!(await admin.get('lease:{pubsub:/data/CaseChangeEvent}'))) {
      if (Date.now() > until) throw new Error('no case replica took the change-event lease');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    admin.disconnect();
  }
}

export async function startFleet(): Promise<Fleet> {
  let fleetRef: Fleet | undefined;
  const closers: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    const redisServer = await startRedisServer();
    // The fleet's Redis of the moment (the outage scenario starts another on its port).
    closers.push(() => (fleetRef?.redisServer ?? redisServer).stop());
    const upstream = await startEmulator({ citizens: 60, pubsub: true });
    closers.push(() => upstream.stop());
    const env: NodeJS.ProcessEnv = {
      ...upstream.env,
      PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
      UPSTREAM_CALLS_PER_MINUTE_CITIZEN: '100000',
      UPSTREAM_CALLS_PER_MINUTE_AGENT: '100000',
      UPSTREAM_CALLS_PER_MINUTE_ANONYMOUS: '100000',
      REQUEST_DEADLINE_MS: String(budget(0.4)),
      SUBGRAPH_TIMEOUT_MS: String(budget(0.4) - 2_000),
      IDENTITY_TIMEOUT_MS: String(budget(0.2)),
      UPSTREAM_TIMEOUT_MS: String(budget(0.2)),
      CRM_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      COMMERCE_UPSTREAM_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      PUBSUB_RETRY_MS: '50',
      // Short leases: a killed consumer is replaced within seconds (waited on, never slept on).
      PUBSUB_LEASE_MS: '1500',
    };
    const unknownOutcomeMs = loadSharedStateConfig(env).unknownOutcomeMs;

    async function replica(name: string): Promise<FleetReplica> {
      const redis = redisFor(redisServer);
      const connections = [redis];
      const deps: SharedDeps = { ...sharedStateOn(redis, { unknownOutcomeMs }) };
      if (name === 'case') {
        deps.eventsRedis = redisFor(redisServer);
        connections.push(deps.eventsRedis);
      }
      if (name === 'session') deps.grants = new RedisGrantStore(redis);
      const sub = await startSubgraph(name, env, { deps, live: name === 'case' });
      let stopped: Promise<void> | undefined;
      const r: FleetReplica = {
        name,
        sub,
        connections,
        stop: () =>
          (stopped ??= (async () => {
            await sub.stop();
            for (const c of connections) await quit(c);
          })()),
        kill: async () => {
          for (const c of connections) c.disconnect();
          await r.stop();
        },
      };
      return r;
    }

    const replicas = { case: [] as FleetReplica[], commerce: [] as FleetReplica[] };
    closers.push(async () => {
      for (const r of [...replicas.case, ...replicas.commerce]) await r.stop();
    });
    // The first case replica takes the change-event lease before the second starts (who holds it
    // later, the tests ask each replica's /readyz: a lease can change hands on a loaded machine).
    for (const name of ['case', 'commerce'] as const)
      for (let i = 0; i < 2; i++) {
        replicas[name].push(await replica(name));
        if (name === 'case' && i === 0) await leaseTaken(redisServer);
      }
    const others: RunningSubgraph[] = [];
    closers.push(async () => {
      for (const o of others) await o.stop();
    });
    const othersReplicas: FleetReplica[] = [];
    for (const name of ['customer', 'session']) {
      const r = await replica(name);
      othersReplicas.push(r);
      others.push(r.sub);
    }
    closers.push(async () => {
      for (const r of othersReplicas) for (const c of r.connections) await quit(c);
    });
    const proxies = {
      case: await startRoundRobinProxy(replicas.case.map((r) => r.sub.url)),
      commerce: await startRoundRobinProxy(replicas.commerce.map((r) => r.sub.url)),
    };
    closers.push(() => proxies.case.close());
    closers.push(() => proxies.commerce.close());
    const subgraphUrls: Record<string, string> = {
      customer: others[0].url,
      session: others[1].url,
      case: `${proxies.case.url}/graphql`,
      commerce: `${proxies.commerce.url}/graphql`,
    };

    const gateways: FleetGateway[] = [];
    async function gateway(
      extra: NodeJS.ProcessEnv = {},
      o: { subgraphBreakers?: GatewayOptions['subgraphBreakers'] } = {},
    ): Promise<FleetGateway> {
      const genv = { ...env, ...extra };
      const redis = redisFor(redisServer);
      const gw = await startGateway(genv, subgraphUrls, {
        redis,
        subgraphBreakers: o.subgraphBreakers,
      });
      const live = attachGatewaySubscriptions(gw.http.server, gw.gateway, {
        ...loadGatewayConfig(genv),
        subgraphUrls,
      });
      let stopped: Promise<void> | undefined;
      const g: FleetGateway = {
        gw,
        redis,
        stack: {
          emulator: upstream.emulator,
          gateway: gw.gateway,
          gatewayUrl: gw.url,
          subgraphUrls,
          env: genv,
          pubsub: upstream.pubsub,
        } as Stack,
        closeSubscriptions: () => live.close(),
        stop: () =>
          (stopped ??= (async () => {
            await live.close().catch(() => undefined);
            await gw.stop().catch(() => undefined);
            await quit(redis);
          })()),
      };
      closers.push(() => g.stop());
      return g;
    }
    for (let i = 0; i < 2; i++) gateways.push(await gateway());

    const fleet: Fleet = {
      redisServer,
      upstream,
      env,
      proxies,
      replicas,
      others,
      subgraphUrls,
      gateways,
      gateway,
      async restart(name, slot) {
        const r = await replica(name);
        replicas[name][slot] = r;
        proxies[name].setTarget(slot, r.sub.url);
        return r;
      },
      stop: stopAll,
    };
    fleetRef = fleet;
    return fleet;
  } catch (err) {
    await stopAll();
    throw err;
  }
}

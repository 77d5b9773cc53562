// The Case subgraph server: the long-lived token cache and the idempotency lock live here (one
// per server instance), per-request pieces in the context.
import { registerFleetGauges } from '../../lib/observability/metrics.js';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { dirname, join } from 'node:path';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { InMemoryKeyedLock, type KeyedLock } from '../../lib/keyed-lock.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import type { CaseConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';
import { CoreTokenCache } from './token-cache.js';
import { PubSubSubscriber, readCa } from '../../lib/salesforce/pubsub-subscriber.js';
import { CaseEventHub } from './case-events.js';

// Works under ESM (tsx/node) and under jest's CommonJS transform.
const here = () =>
  typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));

export interface CaseServerOptions {
  /**
   * Serialises the idempotent writes per (principal, idempotency key). The in-process default
   * covers one replica; several replicas need a shared lock (e.g. Redis-backed) here.
   */
  lock?: KeyedLock;
  /** The clock principals are checked against (tests inject one). */
  now?: () => number;
  /** The process's shared-state Redis (REDIS_URL), reported by /readyz. */
  redis?: Redis;
  /**
   * With Redis (REDIS_URL): the change events are consumed once for the whole fleet (a lease per
   * topic), checkpointed and fanned out to every replica (lib/salesforce/pubsub-fleet.ts).
   * Without it this process consumes on its own, its replay id in memory. Defaults to `redis`;
   * null: this process consumes on its own even with a shared-state Redis (tests).
   */
  eventsRedis?: Redis | null;
}

export async function createCaseServer(
  config: CaseConfig,
  options: CaseServerOptions = {},
): Promise<SubgraphServer> {
  const tokens = new CoreTokenCache(config);
  const lock =
    options.lock ?? new InMemoryKeyedLock({ unknownOutcomeMs: config.idempotencyUnknownOutcomeMs });
  // One Pub/Sub API subscriber per process: its streams open with the first subscription.
  const subscriber = new PubSubSubscriber({
    url: config.pubsub.url,
    protoPath: join(here(), 'pubsub_api.proto'),
    caPem: readCa(config.pubsub.caFile),
    batchSize: config.pubsub.batchSize,
    retryMs: config.pubsub.retryMs,
    maxRetryMs: config.pubsub.maxRetryMs,
    session: () => tokens.get({}),
    invalidate: (accessToken) => tokens.invalidate(accessToken),
    log: (m) => console.warn(`case subgraph: ${m}`),
  });
  const eventsRedis = options.eventsRedis === undefined ? options.redis : options.eventsRedis;
  const caseEvents = new CaseEventHub(
    subscriber,
    config.pubsub,
    eventsRedis
      ? {
          redis: eventsRedis,
          leaseMs: config.pubsub.leaseMs,
          log: (m) => console.warn(`case subgraph: ${m}`),
        }
      : undefined,
  );
  const server = await createSubgraphServer<Context>({
    name: 'case',
    typeDefs: loadSubgraphTypeDefs('case'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    now: options.now,
    redis: options.redis,
    // With Redis, the fleet consumer's state per topic: holder or follower, checkpoint age, lag.
    readyDetails: () => (eventsRedis ? { events: caseEvents.fleetState() } : {}),
    // Ready: the org accepts the integration client, and no live-update stream is failing to
    // connect (a stream opens with the first subscription; one that failed FAILING_ATTEMPTS
    // times in a row — a refused certificate, an unreachable PUBSUB_URL — makes /readyz 503 with
    // the reason until it connects again). No Pub/Sub call is made for the probe itself.
    readiness: async (transport) => {
      await tokens.get(transport);
      const stream = subscriber.health();
      if (stream) throw new Error(stream);
    },
    createContext: createContextFactory(config, tokens, lock, caseEvents),
  });
  if (eventsRedis) registerFleetGauges(server.metrics.registry, () => caseEvents.fleetState());
  const stop = server.stop;
  return {
    ...server,
    stop: async () => {
      await caseEvents.close();
      await stop();
    },
  };
}

// createCustomerServer: the Customer subgraph over Data Cloud. The token cache and the citizen
// change feed (citizen-events.ts) live here (one per process); clients and loaders are created
// per request in the context factory.
import type { Redis } from 'ioredis';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { pubSubSubscriberFor } from '../../lib/salesforce/pubsub-subscriber.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import { DataCloudAuth } from './auth.js';
import { CitizenEventHub, type CitizenChangeListener } from './citizen-events.js';
import type { CustomerConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { DataCloudGate } from './data-cloud-gate.js';
import { resolvers } from './resolvers.js';
import { createReadCache, type ReadCache } from '../../lib/read-cache/read-cache.js';

export interface CustomerServerOptions {
  /** The process's bound on Data Cloud calls (tests pass one to watch it). */
  gate?: DataCloudGate;
  /** The process's shared-state Redis (REDIS_URL), reported by /readyz; the read cache lives there. */
  redis?: Redis;
  /** The read cache (lib/read-cache); default: from config.readCache. */
  readCache?: ReadCache;
  /**
   * With Redis: the citizen change events are consumed once for the fleet (a lease on the
   * topic), checkpointed and fanned out to every replica (lib/salesforce/pubsub-fleet.ts).
   * Defaults to `redis`; null: this process consumes on its own (tests).
   */
  eventsRedis?: Redis | null;
  /**
   * Called for each citizen change BEFORE any `citizenUpdated` subscriber gets it (awaited,
   * bounded): where a read cache invalidates the citizen (citizen-events.ts onCitizenChanged).
   */
  onCitizenChanged?: CitizenChangeListener;
}

/** The customer subgraph's server, with its citizen change feed. */
export type CustomerServer = SubgraphServer & { citizenEvents: CitizenEventHub };

export async function createCustomerServer(
  config: CustomerConfig,
  options: CustomerServerOptions = {},
): Promise<CustomerServer> {
  const gate = options.gate ?? new DataCloudGate(config.maxConcurrency, config.throttleCooldownMs);
  const auth = new DataCloudAuth(config);
  const readCache = options.readCache ?? createReadCache(config.readCache, options.redis);
  const log = (m: string) => console.warn(`customer subgraph: ${m}`);
  // One Pub/Sub API subscriber per process: its stream opens with the first subscription.
  const subscriber = pubSubSubscriberFor(
    config.pubsub,
    {
      session: () => auth.coreToken({}),
      invalidate: (accessToken) => auth.invalidateCore(accessToken),
    },
    log,
  );
  const eventsRedis = options.eventsRedis === undefined ? options.redis : options.eventsRedis;
  const citizenEvents = new CitizenEventHub(
    subscriber,
    config.pubsub.citizenTopic,
    eventsRedis ? { redis: eventsRedis, leaseMs: config.pubsub.leaseMs, log } : undefined,
    log,
  );
  // Data Cloud has no change feed of its own: the platform event invalidates the citizen's reads
  // before any citizenUpdated subscriber hears of it (and re-reads); a lost replay, every
  // Data Cloud read (their TTLs bound what the cache holds meanwhile).
  // With a cache to keep true, this process's stream opens from the start (as the case
  // subgraph's, subgraphs/case/server.ts).
  if (readCache.enabled)
    citizenEvents.onCitizenChanged((change) =>
      readCache.invalidate(
        change.unifiedId
          ? [`individual:${change.unifiedId}`]
          : ['type:identity', 'type:insights', 'type:segments'],
        'datacloud',
      ),
    );
  if (options.onCitizenChanged) citizenEvents.onCitizenChanged(options.onCitizenChanged);
  const server = await createSubgraphServer<Context>({
    name: 'customer',
    typeDefs: loadSubgraphTypeDefs('customer'),
    resolvers,
    principalSecret: config.principalSecret,
    metricsToken: config.metricsToken,
    limits: config.requestLimits,
    redis: options.redis,
    // Ready: Data Cloud accepts the integration client, and the live-update stream (once open)
    // is not failing to connect. No Pub/Sub call is made for the probe itself.
    readiness: async (transport) => {
      await auth.dataCloudToken(transport);
      const stream = subscriber.health();
      if (stream) throw new Error(stream);
    },
    createContext: createContextFactory(config, auth, gate, citizenEvents, readCache),
  });
  readCache.observe(server.metrics.readCache);
  const stop = server.stop;
  return {
    ...server,
    citizenEvents,
    stop: async () => {
      await citizenEvents.close();
      await stop();
    },
  };
}

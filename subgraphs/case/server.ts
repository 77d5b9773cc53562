// The Case subgraph server: the long-lived token cache and the idempotency lock live here (one
// per server instance), per-request pieces in the context.
import { registerFleetGauges } from '../../lib/observability/metrics.js';
import type { Redis } from 'ioredis';
import { loadSubgraphTypeDefs } from '../../lib/graphql/subgraph-sdl.js';
import { InMemoryKeyedLock, type KeyedLock } from '../../lib/keyed-lock.js';
import { createSubgraphServer, type SubgraphServer } from '../../lib/subgraph-server.js';
import type { CaseConfig } from './config.js';
import { createContextFactory, type Context } from './context.js';
import { resolvers } from './resolvers.js';
import { CoreTokenCache } from '../../lib/salesforce/token-cache.js';
import { pubSubSubscriberFor } from '../../lib/salesforce/pubsub-subscriber.js';
import { CaseEventHub, type CaseChange } from './case-events.js';
import { createReadCache, type ReadCache } from '../../lib/read-cache/read-cache.js';

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
  /** The read cache (lib/read-cache); default: from config.readCache, on `redis` when set. */
  readCache?: ReadCache;
}

/** The read-cache tags a case change names: the case, its contact; gaps purge every CRM read. */
export function caseChangeTags(changes: readonly CaseChange[]): { tags: string[]; gap: boolean } {
  const tags: string[] = [];
  let gap = false;
  for (const c of changes) {
    if (c.kind === 'GAP' || c.kind === 'GAP_OVERFLOW') gap = true;
    if (c.caseId) tags.push(`case:${c.caseId.slice(0, 15)}`);
    if (c.contactId) tags.push(`contact:${c.contactId.slice(0, 15)}`);
  }
  if (gap) tags.push('type:crm');
  return { tags, gap };
}

export async function createCaseServer(
  config: CaseConfig,
  options: CaseServerOptions = {},
): Promise<SubgraphServer> {
  const tokens = new CoreTokenCache(config);
  const lock =
    options.lock ?? new InMemoryKeyedLock({ unknownOutcomeMs: config.idempotencyUnknownOutcomeMs });
  // One Pub/Sub API subscriber per process: its streams open with the first subscription.
  const subscriber = pubSubSubscriberFor(
    config.pubsub,
    {
      session: () => tokens.get({}),
      invalidate: (accessToken) => tokens.invalidate(accessToken),
    },
    (m) => console.warn(`case subgraph: ${m}`),
  );
  const eventsRedis = options.eventsRedis === undefined ? options.redis : options.eventsRedis;
  const readCache = options.readCache ?? createReadCache(config.readCache, options.redis);
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
    // Salesforce's own change events keep the read cache true: the records an event names are
    // invalidated before any subscriber hears of it (and re-reads).
    readCache.enabled
      ? async (changes) => {
          const { tags, gap } = caseChangeTags(changes);
          await readCache.invalidate(tags, gap ? 'gap' : 'event');
        }
      : undefined,
  );
  // Without the fleet, this process's streams open with the first listener: with a cache to
  // keep true, from the start.
  const stopListening =
    readCache.enabled && !eventsRedis ? caseEvents.listen(() => {}) : () => undefined;
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
    // Ready: the org accepts the integration client (cached briefly), and no live-update stream
    // is failing to connect (a stream opens with the first subscription; one that failed
    // FAILING_ATTEMPTS times in a row — a refused certificate, an unreachable PUBSUB_URL — makes
    // /readyz 503 with the reason until it connects again). No Pub/Sub call is made for the
    // probe itself: the streams' state is read on every /readyz.
    readiness: async (transport) => {
      await tokens.get(transport);
    },
    health: () => subscriber.health(),
    createContext: createContextFactory(config, tokens, lock, caseEvents, readCache),
  });
  readCache.observe(server.metrics.readCache);
  if (eventsRedis) registerFleetGauges(server.metrics.registry, () => caseEvents.fleetState());
  const stop = server.stop;
  return {
    ...server,
    stop: async () => {
      stopListening();
      await caseEvents.close();
      await stop();
    },
  };
}

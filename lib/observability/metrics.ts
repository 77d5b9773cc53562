// Prometheus metrics of one service (prom-client), served at GET /metrics. Each server owns its
// Registry, so several servers in one process (the tests, `npm start`'s children) never mix.
// Label cardinality is closed: an operation label is one of the trusted documents' operation
// names (the codegen manifests), "anonymous" or "other" — a client cannot mint label values by
// naming its operations; endpoints are templates with ids replaced, bounded per family.
// GET /metrics is not public: with METRICS_TOKEN it requires `Authorization: Bearer <token>`;
// without, it answers loopback clients only (the socket's address, never X-Forwarded-For).
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Request, Response } from 'express';
import { isLoopback } from '../config/registry.js';
import { redisRegistry } from '../redis/connect.js';
import { log } from './log.js';
import type { UpstreamCall, UpstreamObserver } from './upstream-observer.js';

const MAX_ENDPOINTS_PER_FAMILY = 60;

/** The operation names of the trusted documents in these codegen manifests (missing files: none). */
export function trustedOperationNames(manifestPaths: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const path of manifestPaths) {
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    for (const text of Object.values(manifest))
      for (const d of parse(text).definitions)
        if (d.kind === 'OperationDefinition' && d.name) names.add(d.name.value);
  }
  return names;
}

export interface ServiceMetricsOptions {
  /** The only operation names that become labels (else "other"). */
  operations?: Iterable<string>;
  /** Bearer token GET /metrics requires; unset: loopback clients only. */
  token?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations: ReadonlySet<string>;
  private readonly endpoints = new Map<string, Set<string>>();

  readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, partial, error).',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation name.',
    labelNames: ['operation'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamCalls = new Counter({
    name: 'salesforce_calls_total',
    help: 'Salesforce API calls by family, endpoint template and HTTP status (0: no answer).',
    labelNames: ['family', 'endpoint', 'status'],
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'salesforce_call_duration_seconds',
    help: 'Salesforce API call latency by family.',
    labelNames: ['family'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'salesforce_retries_total',
    help: 'Retried Salesforce calls by family.',
    labelNames: ['family'],
    registers: [this.registry],
  });
  readonly apiRemaining = new Gauge({
    name: 'salesforce_daily_api_requests_remaining',
    help: "The org's daily API allowance left, from Sforce-Limit-Info.",
    labelNames: ['family'],
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups by cache and result (hit, miss).',
    labelNames: ['cache', 'result'],
    registers: [this.registry],
  });
  readonly readCacheLookups = new Counter({
    name: 'salesforce_read_cache_lookups_total',
    help: 'Salesforce reads looked up in the read cache by family and result: hit, miss, stale (past its TTL, served while the org is low on API calls), refused (not cached while low: RATE_LIMITED), bypass (the store failed).',
    labelNames: ['family', 'result'],
    registers: [this.registry],
  });
  readonly readCacheInvalidations = new Counter({
    name: 'salesforce_read_cache_invalidations_total',
    help: 'Tags the read cache invalidated, by source: write (through the graph), event (change events), gap (gap and overflow events), datacloud, manual.',
    labelNames: ['source'],
    registers: [this.registry],
  });
  readonly breakerState = new Gauge({
    name: 'circuit_breaker_open',
    help: '1 while a circuit breaker is open (or half open), else 0: the gateway\'s per subgraph (family "subgraph", target its name), a subgraph\'s per Salesforce family and base URL.',
    labelNames: ['family', 'target'],
    registers: [this.registry],
  });

  /** Follows a breaker: circuit_breaker_open{family, target} is 1 while it is open or half open. */
  circuit(family: string, target: string, state: 'open' | 'halfOpen' | 'closed'): void {
    this.breakerState.set({ family, target }, state === 'closed' ? 0 : 1);
  }

  constructor(
    readonly service: string,
    private readonly o: ServiceMetricsOptions = {},
  ) {
    this.operations = new Set(o.operations ?? []);
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** An operation name as a label: a trusted document's name, "anonymous" or "other". */
  operationLabel(name: string | null | undefined): string {
    // Subgraph fetches are named `{Operation}__{subgraph}__{n}` by the gateway.
    const base = (name ?? '').split('__')[0];
    if (!base) return 'anonymous';
    return this.operations.has(base) ? base : 'other';
  }

  private endpointLabel(family: string, endpoint: string): string {
    let set = this.endpoints.get(family);
    if (!set) this.endpoints.set(family, (set = new Set()));
    if (set.has(endpoint)) return endpoint;
    if (set.size >= MAX_ENDPOINTS_PER_FAMILY) return 'other';
    set.add(endpoint);
    return endpoint;
  }

  /** Feeds upstream calls into the metrics and logs each failure once. */
  readonly observer: UpstreamObserver = {
    call: (c: UpstreamCall) => {
      const endpoint = this.endpointLabel(c.family, c.endpoint);
      this.upstreamCalls.inc({ family: c.family, endpoint, status: String(c.status) });
      this.upstreamDuration.observe({ family: c.family }, c.ms / 1000);
      if (c.retry) this.retries.inc({ family: c.family });
      if ((c.status === 0 || c.status >= 400) && !c.expected)
        log().warn(
          {
            service: this.service,
            family: c.family,
            method: c.method,
            endpoint: c.endpoint,
            status: c.status,
            upstreamCode: c.upstreamCode,
            ms: Math.round(c.ms),
          },
          'salesforce call failed',
        );
    },
    apiUsage: (family, used, max) => this.apiRemaining.set({ family }, Math.max(0, max - used)),
  };

  /** What the read cache counts (lib/read-cache: ReadCache.observe). */
  readonly readCache = {
    lookup: (family: string, result: string) => this.readCacheLookups.inc({ family, result }),
    invalidated: (source: string, tags: number) =>
      this.readCacheInvalidations.inc({ source }, tags),
  };

  /** Counts requests by operation and outcome, with latency. */
  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ request, response, operationName }) => {
            const operation = this.operationLabel(operationName ?? request.operationName);
            const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
            const outcome = !body?.errors?.length ? 'ok' : body.data ? 'partial' : 'error';
            this.requests.inc({ operation, outcome });
            this.requestDuration.observe({ operation }, (performance.now() - started) / 1000);
          },
        };
      },
    };
  }

  /** GET /metrics in the Prometheus text format, for the token's holder or a loopback client. */
  handler() {
    const token = this.o.token ? digest(this.o.token) : undefined;
    return async (req: Request, res: Response) => {
      if (token) {
        const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        if (!m || !timingSafeEqual(digest(m[1]), token)) {
          res
            .status(401)
            .set('www-authenticate', 'Bearer')
            .json({ error: 'METRICS_TOKEN required' });
          return;
        }
      } else if (!isLoopback(req.socket.remoteAddress ?? '')) {
        res
          .status(403)
          .json({ error: 'metrics are served to loopback clients only (or set METRICS_TOKEN)' });
        return;
      }
      res.set('content-type', this.registry.contentType);
      // The process's Redis metrics (one connection per process) follow the server's own.
      res.send((await this.registry.metrics()) + (await redisRegistry.metrics()));
    };
  }
}

/** One topic of the fleet's change-event consumer (lib/salesforce/pubsub-fleet.ts `state()`). */
export interface FleetTopicGaugeState {
  topic: string;
  role: 'holder' | 'follower';
  checkpoint: { replayId: string; ageMs: number } | null;
  lagMs: number | null;
}

/**
 * The durable consumer's state on `registry`, read at each scrape: `pubsub_fleet_holder{topic}`
 * (1: this replica consumes the topic for the fleet, 0: a follower fed through Redis),
 * `pubsub_checkpoint_age_seconds{topic}` (the holder's last checkpoint, how long ago) and
 * `pubsub_event_lag_seconds{topic}` (the last event: from its commit in Salesforce to here).
 */
export function registerFleetGauges(registry: Registry, state: () => FleetTopicGaugeState[]): void {
  new Gauge({
    name: 'pubsub_fleet_holder',
    help: '1 while this replica consumes the topic for the fleet (holds its lease), 0 as a follower',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state()) this.set({ topic: t.topic }, t.role === 'holder' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'pubsub_checkpoint_age_seconds',
    help: "Seconds since this replica, holding the topic's lease, last checkpointed a replay id",
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state())
        if (t.checkpoint) this.set({ topic: t.topic }, t.checkpoint.ageMs / 1000);
    },
  });
  new Gauge({
    name: 'pubsub_event_lag_seconds',
    help: 'The last change event this replica received: seconds from its commit in Salesforce to its arrival here',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state()) if (t.lagMs !== null) this.set({ topic: t.topic }, t.lagMs / 1000);
    },
  });
}

// Prometheus metrics of one service (prom-client), served at GET /metrics. Each server owns its
// Registry, so several servers in one process (the tests, `npm start`'s children) never mix.
// Label cardinality is bounded: operation names are kept for the first MAX_OPERATIONS distinct
// names and folded into "other" after; endpoints are templates with ids replaced.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Request, Response } from 'express';
import { log } from './log.js';
import type { UpstreamCall, UpstreamObserver } from './upstream-observer.js';

const MAX_OPERATIONS = 100;
const MAX_ENDPOINTS_PER_FAMILY = 60;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
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
  readonly breakerState = new Gauge({
    name: 'circuit_breaker_open',
    help: '1 while the circuit breaker of an upstream family is open (or half open), else 0.',
    labelNames: ['family'],
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** An operation name as a label: known names up to MAX_OPERATIONS, then "other". */
  operationLabel(name: string | null | undefined): string {
    // Subgraph fetches are named `{Operation}__{subgraph}__{n}` by the gateway.
    const base = (name ?? '').split('__')[0];
    if (!base || !NAME.test(base)) return 'anonymous';
    if (this.operations.has(base)) return base;
    if (this.operations.size >= MAX_OPERATIONS) return 'other';
    this.operations.add(base);
    return base;
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
      if (c.status === 0 || c.status >= 400)
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

  /** GET /metrics in the Prometheus text format. */
  handler() {
    return async (_req: Request, res: Response) => {
      res.set('content-type', this.registry.contentType);
      res.send(await this.registry.metrics());
    };
  }
}

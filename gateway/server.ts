// createGateway: @apollo/gateway on the static supergraph behind @apollo/server + express.
// Builds the app; only main.ts listens.
import { introspectionFieldsRule } from './introspection-fields.js';
import { fileURLToPath } from 'node:url';
import express, { type Request } from 'express';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import cors from 'cors';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloGateway } from './engine.js';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costModelFromSupergraph, queryCostPlugin, type AnalyzeRequest } from './query-cost.js';
import {
  analyzeOperation,
  operationLimits,
  refusalOfText,
  type OperationAnalysis,
} from './operation-limits.js';
import type { Redis } from 'ioredis';
import { InMemoryRateLimiter, type RateLimiter } from '../lib/rate-limit.js';
import { Breakers, type BreakerOptions } from '../lib/resilience.js';
import { formatError } from '../lib/errors.js';
import { HttpPool } from '../lib/http-pool.js';
import { compose } from '../lib/outbound/pipeline.js';
import { deadline } from '../lib/outbound/deadline.js';
import { transport } from '../lib/outbound/transport.js';

import { connectRedis, redisState } from '../lib/redis/connect.js';
import { ResilientRateLimiter } from '../lib/redis/rate-limiter.js';
import { RedisKeyValueCache } from '../lib/redis/key-value-cache.js';
import { RedisPrincipalCache } from './principal-cache.js';
import { jsonErrorHandler } from '../lib/subgraph-server.js';
import { UPSTREAM_COST_HEADER, UpstreamCost } from '../lib/upstream-cost.js';
import type { GatewayContext } from './context.js';
import type { Principal } from '../lib/principal.js';
import { errorPolicyPlugin } from './error-policy.js';
import { tokenLimit } from './token-limit.js';
import { PrincipalResolver } from './principal-resolver.js';
import {
  anonymousOperationsPlugin,
  ignoreInvalidToken,
  mayIgnoreInvalidToken,
} from './anonymous-operations.js';
import { cacheControlPlugin, PRIVATE } from './cache-control.js';
import {
  PersistedDocuments,
  persistedDocumentsMiddleware,
  type TrustedDocumentsConfig,
} from './persisted-documents.js';
import { SubgraphDataSource } from './subgraph-data-source.js';
import { withCallBudget } from './call-budget.js';
import { DeferringGateway } from './defer/deferring-gateway.js';
import { multipartResponses } from './defer/multipart-response.js';
import { plainHttpRefusals } from './subscriptions/plain-http.js';
import type { GatewayConfig } from './config.js';
import { SUBGRAPHS } from '../schema/subgraphs.js';
import { ServiceMetrics, trustedOperationNames } from '../lib/observability/metrics.js';
import { traceRequests } from '../lib/observability/tracing.js';
import { accessInfo, accessLog, REQUEST_ID_HEADER } from '../lib/observability/access-log.js';
import { mountMcp } from './mcp/index.js';

/** How long the gateway's /readyz waits for each subgraph's /readyz. */
const READINESS_PROBE_MS = 2_000;

/** The manifest codegen writes for this repository's canonical operations. */
const DEFAULT_MANIFEST = fileURLToPath(new URL('../gql/persisted-documents.json', import.meta.url));

export interface GatewayOptions extends Omit<GatewayConfig, 'port' | 'host'> {
  supergraphSdl: string;
  /** A Redis connection to share state with other replicas (else one is made from redisUrl, if set). */
  redis?: Redis;
  /**
   * Trusted documents (gateway/persisted-documents.ts): the codegen manifests, and whether only
   * their documents may run. Default: gql/persisted-documents.json if present, any document runs.
   */
  trustedDocuments?: TrustedDocumentsConfig;
  /** The MCP budget's limiter (default: on Redis when configured, else in memory). */
  mcpLimiter?: RateLimiter;
  /** Per subgraph, breaker options over `subgraphBreaker` (e.g. a test's slow-call line for one). */
  subgraphBreakers?: Record<string, Partial<BreakerOptions>>;
  /** Extra express middleware mounted before /graphql (e.g. GraphiQL). */
  beforeGraphql?: (app: express.Express) => void;
}

export interface Gateway {
  app: express.Express;
  metrics: ServiceMetrics;
  principals: PrincipalResolver;
  /** The trusted-documents manifest and whether only its documents may run (subscriptions too). */
  trusted: { documents: PersistedDocuments; only: boolean };
  /**
   * Runs an operation in this process through the same pipeline as POST /graphql — the bearer
   * token resolved, the query plan, depth/alias/cost limits, the upstream call budget and the
   * error policy — without the HTTP hop (live subscriptions resolve each event with it). The
   * document is the gateway's own, so the trusted-documents check of /graphql does not apply.
   */
  execute(
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    authorization: string | undefined,
    options?: ExecuteOptions,
  ): Promise<ExecutionResult>;
  /**
   * This gateway's limits and cost estimate for a document (operation-limits.ts analyzeOperation
   * with its config, API schema and the subgraphs' declared costs): what every other way in
   * (WebSocket, SSE, MCP) calls before it runs anything. Answer `refusal` as the transport's 400.
   */
  analyze(
    document: DocumentNode,
    request?: { operationName?: string | null; variables?: Record<string, unknown> },
  ): OperationAnalysis;
  stop(): Promise<void>;
}

/** What an in-process caller adds to an execution (the MCP server: its audit record). */
export interface ExecuteOptions {
  /** Filled with the Salesforce calls the subgraphs report, per family. */
  cost?: UpstreamCost;
  /** Extra request headers for the subgraphs (e.g. x-request-id). */
  headers?: Record<string, string | undefined>;
  clientAddress?: string;
}

/** Reports what the request cost upstream when the client asks (x-upstream-cost: 1). */
const upstreamCostPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        // Reads served past their TTL because the org is low on API calls (lib/read-cache).
        const staleReads = contextValue.cost.staleReads();
        if (!contextValue.wantsCost && !staleReads) return;
        response.body.singleResult.extensions = {
          ...response.body.singleResult.extensions,
          ...(contextValue.wantsCost ? { upstreamCost: contextValue.cost.report() } : {}),
          ...(staleReads ? { staleReads } : {}),
        };
      },
    };
  },
};

/**
 * A logout revokes the token upstream; this gateway forgets it at once too. The session
 * subgraph says so in its response (SubgraphDataSource sets `sessionEnded`), so it holds for
 * aliases, fragments and any future field that ends a session — no field names are matched here.
 */
function sessionEndedPlugin(principals: PrincipalResolver): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue }) {
          if (contextValue.sessionEnded)
            await principals.forget(contextValue.headers.authorization);
        },
      };
    },
  };
}

/** Names the request in the access log with the Salesforce calls it cost (summed over subgraphs). */
const accessPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, operationName, request }) {
        if (!contextValue.res) return;
        const a = accessInfo(contextValue.res);
        a.operation = operationName ?? request.operationName ?? undefined;
        a.upstreamCalls = Object.fromEntries(
          Object.entries(contextValue.cost.report()).map(([f, v]) => [f, v?.calls ?? 0]),
        );
      },
    };
  },
};

/** The per-operation context, for an HTTP request and for an in-process execution alike. */
function contextFor(
  principal: Principal,
  headers: Record<string, string | undefined>,
  clientAddress?: string,
): GatewayContext {
  return {
    principal,
    headers,
    wantsCost: !!headers[UPSTREAM_COST_HEADER],
    cost: new UpstreamCost(),
    clientAddress,
  };
}

export async function createGateway(o: GatewayOptions): Promise<Gateway> {
  // Shared state across replicas when Redis is configured; this process's memory otherwise.
  const ownsRedis = !o.redis && !!o.redisUrl;
  const redis =
    o.redis ??
    (o.redisUrl
      ? connectRedis({ url: o.redisUrl, commandTimeoutMs: o.redisCommandTimeoutMs })
      : undefined);
  const trusted = o.trustedDocuments ?? { only: false, manifestPaths: [] };
  const manifestPaths = trusted.manifestPaths.length ? trusted.manifestPaths : [DEFAULT_MANIFEST];
  const metrics = new ServiceMetrics('gateway', {
    operations: trustedOperationNames(manifestPaths),
    token: o.metricsToken,
  });
  // Per-caller Salesforce call budgets: operations (query-cost.ts) and token validations alike.
  // On Redis they are shared by every replica; while Redis fails, each process keeps its own.
  const callLimiter = redis
    ? new ResilientRateLimiter(redis, 'per-process')
    : new InMemoryRateLimiter();
  const principals = new PrincipalResolver({
    metrics,
    cache: redis ? new RedisPrincipalCache(redis) : undefined,
    identitySiteUrl: o.identitySiteUrl,
    agentClientIds: o.agentClientIds,
    attributes: o.identityAttributes,
    cacheSize: o.tokenCacheSize,
    cacheMaxSeconds: o.tokenCacheMaxSeconds,
    timeoutMs: o.identityTimeoutMs,
    introspection: o.tokenIntrospection,
    refusedCacheSeconds: o.tokenRefusedCacheSeconds,
    validationLimits: {
      limiter: callLimiter,
      perAddressPerMinute: o.tokenValidationsPerMinutePerAddress,
      anonymousCallsPerMinute: o.limits.upstreamCallsPerMinute.anonymous,
    },
  });
  // @apollo/gateway reads this switch in its constructor; it is the only way to keep its usage
  // exporter (and the cloud-metadata probes it starts with) from opening connections.
  // A write of the library's own switch, not a configuration read (lib/config/registry.ts).
  // eslint-disable-next-line no-restricted-properties
  if (!o.apolloTelemetry) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  // The gateway's one breaker registry (lib/resilience.ts Breakers), a breaker per subgraph keyed
  // by its name, followed by circuit_breaker_open and listed by /readyz.
  const breakers = new Breakers();
  breakers.observe((family, key, state) => metrics.circuit(family, key, state));
  const dataSources: SubgraphDataSource[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: o.supergraphSdl,
    buildService: ({ name, url }) => {
      const source = new SubgraphDataSource(
        o.subgraphUrls[name] ?? url!,
        o.principalSecret,
        o.subgraphTimeoutsMs?.[name] ?? o.subgraphTimeoutMs,
        {
          name,
          breakers,
          breaker: { ...o.subgraphBreaker, ...o.subgraphBreakers?.[name] },
          requestDeadlineMs: o.requestDeadlineMs,
          forwardBearer: SUBGRAPHS.some((s) => s.name === name && s.receivesBearerToken),
          pool: { maxSockets: o.subgraphMaxSockets },
          principalTtlSeconds: o.subgraphPrincipalTtlSeconds,
        },
      );
      dataSources.push(source);
      // The runtime budget: no fetch once the request has made MAX_UPSTREAM_CALLS calls.
      return withCallBudget(source, o.limits.maxUpstreamCalls);
    },
  });
  // Selections, depth, aliases, directives and cost: one linear analysis (operation-limits.ts);
  // tokens are counted before Apollo (token-limit.ts). graphql-armor only hides field suggestions.
  const costModel = costModelFromSupergraph(o.supergraphSdl);
  const analyze: AnalyzeRequest = (document, operationName, variables, schema) =>
    analyzeOperation(document, {
      limits: o.limits,
      operationName,
      variables,
      cost: { schema, model: costModel },
    });
  // The API schema the gateway serves, for analyze() outside a request (the plugin gets it).
  let servedSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    servedSchema = apiSchema;
  });
  const apiSchema = () => {
    if (!servedSchema) throw new Error('The gateway has not loaded its schema yet.');
    return servedSchema;
  };
  const armor = new ApolloArmor({
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxTokens: { enabled: false },
    maxDirectives: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !o.introspection },
  });
  const protection = armor.protect();
  const persisted = PersistedDocuments.fromFiles(manifestPaths, trusted.only);
  const apollo = new ApolloServer<GatewayContext>({
    // @defer (gateway/defer/): the same pipeline; later parts streamed as multipart/mixed.
    gateway: new DeferringGateway(gateway, {
      formatError: (e) => formatError(e.toJSON(), e),
      limits: o.limits,
    }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // No CSRF prevention: the graph authenticates by bearer token only (no cookie, no HTTP basic
    // auth), so a cross-site request carries no one's identity and a "simple" request can only do
    // what its sender could do directly. Apollo's check would only refuse clients' default GETs
    // (urql sends no preflight header). Mutations over GET stay refused (400), and a POST must be
    // application/json.
    csrfPrevention: false,
    // The process's drain (lib/http.ts exitOnSignal) owns SIGTERM/SIGINT, not Apollo.
    stopOnTerminationSignals: false,
    introspection: o.introspection,
    // Automatic persisted queries: shared by every replica when Redis is configured.
    ...(redis ? { persistedQueries: { cache: new RedisKeyValueCache(redis, 'apq') } } : {}),
    validationRules: [...protection.validationRules, introspectionFieldsRule] as never,
    plugins: [
      // A subscription or an unknown operationName sent here: 400, saying what to do.
      plainHttpRefusals as ApolloServerPlugin<GatewayContext>,
      // Says when a stale token was ignored for an anonymous-allowed operation.
      anonymousOperationsPlugin,
      // Cache-Control: public for an anonymous GET of the catalogue, else private, no-store
      // (Apollo's own cache-control plugin off: cache-control.ts says why).
      cacheControlPlugin(o.catalogueMaxAgeSeconds),
      ApolloServerPluginCacheControlDisabled(),
      // graphql-armor is typed against @apollo/server's CommonJS declarations; same runtime object.
      ...(protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[]),
      ApolloServerPluginLandingPageDisabled(),
      queryCostPlugin(analyze, {
        limiter: callLimiter,
        perMinute: o.limits.upstreamCallsPerMinute,
      }),
      upstreamCostPlugin,
      sessionEndedPlugin(principals),
      errorPolicyPlugin,
      metrics.plugin<GatewayContext>(),
      accessPlugin,
    ],
  });
  await apollo.start();

  const execute: Gateway['execute'] = async (request, authorization, options = {}) => {
    // An invalid token throws UNAUTHENTICATED here, as the HTTP path answers 401.
    const principal = await principals.resolve(authorization);
    // The same limits as /graphql before Apollo parses and validates (the cost in the plugin).
    const refusal = refusalOfText(request.query, o.limits, request.operationName);
    if (refusal) return { errors: [refusal] };
    const context = contextFor(
      principal,
      { ...options.headers, authorization },
      options.clientAddress,
    );
    if (options.cost) context.cost = options.cost;
    const response = await apollo.executeOperation(request, { contextValue: context });
    if (response.body.kind !== 'single')
      throw new Error('A deferred operation cannot be executed in-process.');
    return response.body.singleResult as ExecutionResult;
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', o.trustProxy);
  app.use(traceRequests('gateway'));
  // CORS for the listed origins only (preflight answered here); others get no CORS headers, so
  // browsers keep them out. Apollo's CSRF prevention still refuses "simple" requests.
  app.use(
    '/graphql',
    cors({
      origin: (origin, done) => done(null, !!origin && o.corsOrigins.includes(origin)),
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'apollo-require-preflight',
        'x-apollo-operation-name',
        'x-request-id',
        'x-upstream-cost',
      ],
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    }),
  );
  app.use(accessLog('gateway'));
  app.get('/metrics', metrics.handler());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready while it can answer: the supergraph is loaded. One subgraph down makes answers partial,
  // not impossible, and a 503 here would pull every replica out of the load balancer at once;
  // so the subgraphs' own readiness and the open circuit breakers (a subgraph failed fast) are
  // reported in the body ("degraded"), not in the status. (While the process shuts down,
  // lib/http.ts gracefulShutdown answers 503 here.) Redis likewise: while it fails, the token cache
  // and APQ live in memory and budgets are per process, signed-in queries keep answering; only
  // keyed writes and lockouts refuse (retryably). So Redis down is `degraded` with
  // `redis: "unavailable"` in the body, still HTTP 200 (the body names Redis only when REDIS_URL
  // is set).
  // Each subgraph's /readyz, asked over the outbound transport (a small keep-alive pool per
  // subgraph, not the global fetch) within the deadline stage's bound; not through the breaker (a
  // probe is how an operator sees a subgraph that the breaker fails fast).
  const probePools = new Map<string, HttpPool>();
  const probePool = (url: string) => {
    const origin = new URL(url).origin;
    let pool = probePools.get(origin);
    if (!pool) probePools.set(origin, (pool = new HttpPool(origin, { maxSockets: 2 })));
    return pool;
  };
  const probe = compose([deadline(undefined)], transport({ pool: probePool }));
  app.get('/readyz', async (_req, res) => {
    const redisNow = redis ? redisState(redis) : Promise.resolve(undefined);
    const circuits = breakers.notClosed('subgraph');
    const checks = await Promise.all(
      Object.entries(o.subgraphUrls).map(async ([name, url]) => {
        try {
          const r = await probe({
            target: 'subgraph',
            key: name,
            method: 'GET',
            url: new URL('/readyz', url).href,
            headers: { accept: 'application/json' },
            timeoutMs: READINESS_PROBE_MS,
          });
          return [name, r.ok ? 'ready' : 'not ready'] as const;
        } catch {
          return [name, 'unreachable'] as const;
        }
      }),
    );
    const redisIs = await redisNow;
    const allReady =
      checks.every(([, state]) => state === 'ready') &&
      !Object.keys(circuits).length &&
      redisIs !== 'unavailable';
    res.json({
      status: allReady ? 'ready' : 'degraded',
      subgraphs: Object.fromEntries(checks),
      openCircuits: circuits,
      ...(redisIs ? { redis: redisIs } : {}),
    });
  });
  // The trusted operations marked for agents, as MCP tools (gateway/mcp), on the same pipeline.
  if (o.mcp.enabled)
    mountMcp(app, o, {
      principals,
      documents: persisted,
      schema: gateway.schema!,
      limiter:
        o.mcpLimiter ??
        (redis ? new ResilientRateLimiter(redis, 'per-process') : new InMemoryRateLimiter()),
      metrics,
      execute,
    });
  o.beforeGraphql?.(app);
  app.use(
    '/graphql',
    // Every answer is private, no-store unless the cache-control plugin makes it public (a
    // refusal before Apollo — 401, 413, a limit — included).
    (_req: express.Request, res: express.Response, next: express.NextFunction) => {
      res.setHeader('cache-control', PRIVATE);
      next();
    },
    express.json({ limit: o.limits.maxBodyBytes }),
    persistedDocumentsMiddleware(persisted, trusted.only),
    tokenLimit(o.limits.maxTokens),
    operationLimits(o.limits),
    multipartResponses(),
    expressMiddleware(apollo, {
      context: async ({ req, res }: { req: Request; res: express.Response }) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
        // The request id the access log uses (given or generated) travels to the subgraphs.
        headers[REQUEST_ID_HEADER] = accessInfo(res).requestId;
        let principal: Principal;
        let ignored = false;
        try {
          principal = await principals.resolve(
            headers.authorization,
            req.ip ?? req.socket.remoteAddress,
          );
        } catch (err) {
          // A bad token: 401, unless the operation is one anonymous callers may run
          // (anonymous-operations.ts: sign-in, refresh, registration, reset, catalogue).
          const unauthenticated =
            err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED';
          if (!unauthenticated || !mayIgnoreInvalidToken(req)) throw err;
          principal = { kind: 'anonymous' };
          ignored = true;
        }
        const context = contextFor(principal, headers, req.ip ?? req.socket.remoteAddress);
        context.res = res;
        if (ignored) ignoreInvalidToken(context);
        return context;
      },
    }),
  );
  app.use(jsonErrorHandler);
  return {
    app,
    metrics,
    principals,
    trusted: { documents: persisted, only: trusted.only },
    analyze: (document, request = {}) =>
      analyzeOperation(document, {
        limits: o.limits,
        operationName: request.operationName,
        variables: request.variables,
        cost: { schema: apiSchema(), model: costModel },
      }),
    execute,
    stop: async () => {
      await apollo.stop();
      for (const source of dataSources) source.close();
      for (const pool of probePools.values()) pool.close();
      if (ownsRedis) await redis?.quit();
    },
  };
}

// createSubgraphServer: the Apollo Server + express setup shared by all four subgraphs. Each
// subgraph's server.ts supplies its schema, resolvers and per-request context factory.
import { fieldsPerSetRefusal } from './graphql/fields-per-set.js';
import type { Redis } from 'ioredis';
import { redisState } from './redis/connect.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { formatError } from './errors.js';
import {
  bodyHash,
  PRINCIPAL_HEADER,
  verifyPrincipalClaims,
  type Principal,
  type PrincipalClaims,
} from './principal.js';
import type { EnvReader } from './env.js';
import { UPSTREAM_COST_HEADER, UpstreamCost } from './upstream-cost.js';
import {
  boundRequestDeadline,
  currentScope,
  MAX_REQUEST_DEADLINE_MS,
  type UpstreamTransport,
} from './upstream-http.js';
import type { Breakers } from './resilience.js';
import { traceRequests } from './observability/tracing.js';
import { ServiceMetrics, trustedOperationNames } from './observability/metrics.js';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from './graphql/subgraph-sdl.js';
import { accessInfo, accessLog } from './observability/access-log.js';

export interface RequestBase extends BaseContext {
  principal: Principal;
  cost: UpstreamCost;
  /** Headers the gateway forwarded (allow-listed there), lower-case. */
  headers: Record<string, string | undefined>;
  /** The end client's address, from the signed principal (never from a header a client could set). */
  clientAddress?: string;
  /**
   * Set by a resolver that ended the caller's session (logout): the response then carries
   * `extensions.sessionEnded`, and the gateway stops trusting the bearer token at once, however
   * the operation was written (aliases, fragments).
   */
  sessionEnded?: boolean;
}

export const SESSION_ENDED_EXTENSION = 'sessionEnded';

export interface SubgraphServerOptions<C extends RequestBase> {
  name: string;
  typeDefs: DocumentNode;
  /**
   * The subgraph's codegen `Resolvers` object as it is (each subgraph types its resolvers with
   * its own generated types; the one cast to @apollo/subgraph's map happens here, once).
   */
  resolvers: object;
  /** The shared secret that signs the gateway's principal header. */
  principalSecret: string;
  /** Bearer token GET /metrics requires (METRICS_TOKEN); unset: loopback clients only. */
  metricsToken?: string;
  /** Builds the per-request context: clients and DataLoaders are born here, never at module scope. */
  createContext(base: RequestBase): C | Promise<C>;
  /**
   * Can this subgraph reach its Salesforce API with its credentials? Throws (an UpstreamError)
   * with the reason when not. Run at start and by /readyz, its answer cached briefly.
   */
  readiness?: (transport: UpstreamTransport) => Promise<void>;
  /**
   * This process's own state that makes it not ready (a reason) — no upstream call, so read on
   * every /readyz, never cached: a live-update stream that cannot connect shows at once.
   */
  health?: () => string | null;
  /** This subgraph's own request limits (defaults: DEFAULT_SUBGRAPH_LIMITS). */
  limits?: Partial<SubgraphLimits>;
  /** The clock principals are checked against (tests inject one). */
  now?: () => number;
  /**
   * The process's shared-state Redis, when REDIS_URL is set: /readyz names its state in the body.
   * Redis failing leaves the subgraph ready (its users fall back or refuse retryably at once).
   */
  redis?: Redis;
  /** More of /readyz's body (the case subgraph: its change-event consumer's state). */
  readyDetails?: () => Record<string, unknown>;
}

/**
 * A subgraph's own limits, enforced whoever calls it (the gateway, or anyone who reached it with
 * a principal): before any resolver runs, so no request straight at a subgraph spends more than
 * one through the gateway could. Generous enough for every plan the gateway makes from a request
 * within ITS limits (a subgraph fetch is at most one level deeper: `_entities`).
 */
export interface SubgraphLimits {
  maxBodyBytes: number;
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /**
   * Fields one selection set may hold with its fragments merged in, checked before validation
   * (whose OverlappingFieldsCanBeMerged is quadratic in them): lib/graphql/fields-per-set.ts.
   */
  maxFieldsPerSet: number;
  /** Representations one request may ask `_entities` for, over all its `_entities` fields. */
  maxEntities: number;
  /** The same for an anonymous principal (the catalogue needs none). */
  maxEntitiesAnonymous: number;
  /** How often subscription connections are checked for an expired principal. */
  principalSweepMs: number;
  /**
   * UPSTREAM_SLOW_CALL_MS: a Salesforce call still running after this long counts against its
   * family's circuit breaker (lib/resilience.ts SlowCalls); 0 = off.
   */
  upstreamSlowCallMs: number;
  /**
   * MAX_REQUEST_DEADLINE_MS: the longest any request may keep Salesforce calls going, whatever
   * its caller's x-c360-deadline says.
   */
  maxRequestDeadlineMs: number;
}

export const DEFAULT_SUBGRAPH_LIMITS: SubgraphLimits = {
  maxBodyBytes: 512_000,
  maxTokens: 4_000,
  maxDepth: 16,
  maxAliases: 30,
  maxDirectives: 50,
  maxFieldsPerSet: 400,
  maxEntities: 500,
  maxEntitiesAnonymous: 24,
  principalSweepMs: 1_000,
  upstreamSlowCallMs: 0,
  maxRequestDeadlineMs: MAX_REQUEST_DEADLINE_MS,
};

/** The limits from the environment (each subgraph's config.ts reads them with its EnvReader). */
export function subgraphLimitsFromEnv(e: EnvReader): SubgraphLimits {
  const d = DEFAULT_SUBGRAPH_LIMITS;
  return {
    maxBodyBytes: e.get('SUBGRAPH_MAX_BODY_BYTES'),
    maxTokens: e.get('SUBGRAPH_MAX_TOKENS'),
    maxDepth: e.get('SUBGRAPH_MAX_DEPTH'),
    maxAliases: e.get('SUBGRAPH_MAX_ALIASES'),
    maxDirectives: d.maxDirectives,
    maxFieldsPerSet: e.get('SUBGRAPH_MAX_FIELDS_PER_SET'),
    maxEntities: e.get('SUBGRAPH_MAX_ENTITIES'),
    maxEntitiesAnonymous: e.get('SUBGRAPH_MAX_ENTITIES_ANONYMOUS'),
    principalSweepMs: d.principalSweepMs,
    upstreamSlowCallMs: e.get('UPSTREAM_SLOW_CALL_MS'),
    maxRequestDeadlineMs: e.get('MAX_REQUEST_DEADLINE_MS'),
  };
}

/** How long a readiness answer is reused: probes must not spend the org's API allowance. */
const READINESS_CACHE_MS = 10_000;

/** The codegen manifest of the repository's trusted documents (their names label metrics). */
const TRUSTED_MANIFEST = join(REPOSITORY_ROOT, 'gql/persisted-documents.json');

export interface SubgraphServer {
  app: express.Express;
  metrics: ServiceMetrics;
  /** The readiness probe: null when ready, else the reason (main.ts runs it at start and logs it). */
  checkReady(): Promise<string | null>;
  /**
   * Serves subscriptions (GraphQL over WebSocket, graphql-ws) on this server's /graphql. The
   * gateway is the only client: the signed principal comes in the upgrade request's principal
   * header or the connection_init payload under the same name, and is verified as for HTTP.
   */
  attachWebSocket(server: HttpServer): SubgraphWebSocket;
  stop(): Promise<void>;
}

export interface SubgraphWebSocket {
  /**
   * Closes (4403) every connection whose principal has expired; the gateway then connects again
   * with a fresh one. Run every `principalSweepMs`; returns how many it closed.
   */
  closeExpired(): number;
  /** Open connections (each accepted with a live principal). */
  connections(): number;
  close(): Promise<void>;
}

/** Representations asked of `_entities` over the whole operation (aliases add up). */
function entitiesAsked(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  let n = 0;
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.name.value !== '_entities') continue;
    const arg = sel.arguments?.find((a) => a.name.value === 'representations');
    if (!arg) continue;
    if (arg.value.kind === Kind.LIST) n += arg.value.values.length;
    else if (arg.value.kind === Kind.VARIABLE) {
      const v = variables?.[arg.value.name.value];
      n += Array.isArray(v) ? v.length : 1;
    } else n += 1;
  }
  return n;
}

/** Refuses (400) an operation asking `_entities` for more representations than its principal may. */
function entityLimitPlugin<C extends RequestBase>(limits: SubgraphLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, contextValue }) {
          if (!operation) return;
          const limit =
            contextValue.principal.kind === 'anonymous'
              ? limits.maxEntitiesAnonymous
              : limits.maxEntities;
          const asked = entitiesAsked(operation, request.variables);
          if (asked > limit)
            throw new GraphQLError(
              `This request asks for ${asked} entities; the limit is ${limit}.`,
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            );
        },
      };
    },
  };
}

/** Reports back to the gateway: `upstreamCost` when it asks, `sessionEnded` after a logout. */
function reportPlugin<C extends RequestBase>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      const wantsCost = !!request.http?.headers.get(UPSTREAM_COST_HEADER);
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const extra: Record<string, unknown> = {};
          if (wantsCost) extra.upstreamCost = contextValue.cost.report();
          const stale = contextValue.cost.staleReads();
          if (stale) extra.staleReads = stale;
          if (contextValue.sessionEnded) extra[SESSION_ENDED_EXTENSION] = true;
          if (!Object.keys(extra).length) return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            ...extra,
          };
        },
      };
    },
  };
}

/** Names the request in the access log and records what it cost upstream. */
function accessPlugin<C extends RequestBase>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operationName, request }) {
          const res = (contextValue as C & { res?: Response }).res;
          if (!res) return;
          const a = accessInfo(res);
          a.operation = operationName ?? request.operationName ?? undefined;
          a.upstreamCalls = contextValue.cost.calls();
        },
      };
    },
  };
}

export async function createSubgraphServer<C extends RequestBase>(
  o: SubgraphServerOptions<C>,
): Promise<SubgraphServer> {
  // Operation labels: the repository's trusted documents (the gateway names subgraph fetches
  // after the client's operation).
  const metrics = new ServiceMetrics(o.name, {
    operations: trustedOperationNames([TRUSTED_MANIFEST]),
    token: o.metricsToken,
  });
  const limits: SubgraphLimits = { ...DEFAULT_SUBGRAPH_LIMITS, ...o.limits };
  const now = o.now ?? Date.now;
  // Depth, aliases and directives: graphql-armor, as at the gateway (tokens: the parser's own).
  const armor = new ApolloArmor({
    // Nothing is exempt here (the gateway reads no subgraph's introspection).
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: false },
    maxAliases: { n: limits.maxAliases, allowList: [] },
    maxDirectives: { n: limits.maxDirectives },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  const schema = buildSubgraphSchema([
    {
      typeDefs: o.typeDefs,
      // Codegen's Resolvers and @apollo/subgraph's GraphQLResolverMap describe the same object;
      // their TypeScript shapes differ only in how scalars and __resolveReference are typed.
      resolvers: o.resolvers as GraphQLResolverMap<unknown>,
    },
  ]);
  const apollo = new ApolloServer<C>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // The process's drain (lib/http.ts exitOnSignal) owns SIGTERM/SIGINT, not Apollo.
    stopOnTerminationSignals: false,
    // A document past the token limit stops parsing there (400 GRAPHQL_PARSE_FAILED).
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armor.validationRules as never,
    plugins: [
      // graphql-armor is typed against @apollo/server's CommonJS declarations; same runtime object.
      ...(armor.plugins as unknown as ApolloServerPlugin<C>[]),
      entityLimitPlugin<C>(limits),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      reportPlugin<C>(),
      metrics.plugin<C>(),
      accessPlugin<C>(),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Only the gateway reads a subgraph's answers, never conditionally: no ETag (a SHA-1 of every
  // response body, the largest hash in a subgraph's profile under the bench).
  app.set('etag', false);
  app.use(traceRequests(o.name));
  // The circuit breakers of this server's Salesforce calls (one registry per HTTP server, see
  // lib/upstream-http.ts): configured and followed by circuit_breaker_open from its first request.
  const followed = new WeakSet<Breakers>();
  app.use((req, _res, next) => {
    // This server's own bound on the request's deadline (MAX_REQUEST_DEADLINE_MS).
    boundRequestDeadline(req, limits.maxRequestDeadlineMs);
    const breakers = currentScope()?.breakers;
    if (breakers && !followed.has(breakers)) {
      followed.add(breakers);
      breakers.configure({ slowCallMs: limits.upstreamSlowCallMs });
      breakers.observe((family, key, state) => metrics.circuit(family, key, state));
    }
    next();
  });
  app.use(accessLog(o.name));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', subgraph: o.name });
  });
  app.get('/metrics', metrics.handler());
  // Ready means able to serve: the upstream answers and accepts this subgraph's credentials.
  let readiness: { at: number; result: Promise<string | null> } | undefined;
  const checkReady = (): Promise<string | null> => {
    const unhealthy = o.health?.();
    if (unhealthy) return Promise.resolve(unhealthy);
    if (!o.readiness) return Promise.resolve(null);
    if (readiness && Date.now() - readiness.at < READINESS_CACHE_MS) return readiness.result;
    const result = o
      .readiness({ cost: new UpstreamCost(metrics.observer) })
      .then(() => null)
      .catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    readiness = { at: Date.now(), result };
    return result;
  };
  // Open circuit breakers are listed, not made a 503: every replica sees the same Salesforce, so
  // failing them all would only turn fast UPSTREAM_UNAVAILABLE answers into no answers.
  app.get('/readyz', async (_req, res) => {
    const [reason, redis] = await Promise.all([
      checkReady(),
      o.redis ? redisState(o.redis) : undefined,
    ]);
    const openCircuits = currentScope()?.breakers.notClosed() ?? {};
    const shared = { ...(redis ? { redis } : {}), ...o.readyDetails?.() };
    if (reason)
      res
        .status(503)
        .json({ status: 'not ready', subgraph: o.name, reason, openCircuits, ...shared });
    else
      res.json({
        status: Object.keys(openCircuits).length || redis === 'unavailable' ? 'degraded' : 'ready',
        subgraph: o.name,
        openCircuits,
        ...shared,
      });
  });

  const refuse = (res: Response) =>
    res.status(401).json({
      errors: [
        {
          message: 'A valid gateway principal is required.',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  // Every GraphQL request must carry a principal the gateway signed for THIS subgraph, still
  // alive; anything else is refused before the body is read.
  const requirePrincipal = (req: Request, res: Response, next: NextFunction) => {
    const claims = verifyPrincipalClaims(req.header(PRINCIPAL_HEADER), o.principalSecret, {
      audience: o.name,
      now,
    });
    if (!claims) return void refuse(res);
    res.locals.claims = claims;
    next();
  };
  // ... and for THIS request: the hash of the body as received must be the one signed.
  const requireSignedBody = (_req: Request, res: Response, next: NextFunction) => {
    const claims = res.locals.claims as PrincipalClaims;
    if (!res.locals.bodyHash || res.locals.bodyHash !== claims.bodyHash) return void refuse(res);
    next();
  };

  // A set wider than SUBGRAPH_MAX_FIELDS_PER_SET is a 400 before Apollo validates (its
  // OverlappingFieldsCanBeMerged compares a set's fields pairwise). The document is parsed here
  // within the same token limit (linear); one that does not parse is left to Apollo's answer.
  const refuseWideSets = (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string') return next();
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens, noLocation: true });
    } catch {
      return next();
    }
    const refusal = fieldsPerSetRefusal(
      document,
      limits.maxFieldsPerSet,
      'SUBGRAPH_MAX_FIELDS_PER_SET',
    );
    if (!refusal) return next();
    const { http: _http, ...extensions } = refusal.extensions as Record<string, unknown>;
    res.status(400).json({ errors: [{ message: refusal.message, extensions }] });
  };

  app.use(
    '/graphql',
    requirePrincipal,
    express.json({
      limit: limits.maxBodyBytes,
      verify: (_req, res, buf) => {
        (res as unknown as Response).locals.bodyHash = bodyHash(buf);
      },
    }),
    requireSignedBody,
    refuseWideSets,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
        const claims = res.locals.claims as PrincipalClaims;
        const ctx = await o.createContext({
          principal: claims.principal,
          clientAddress: claims.clientAddress,
          cost: new UpstreamCost(metrics.observer),
          headers,
        });
        return Object.assign(ctx, { res });
      },
    }),
  );
  app.use(jsonErrorHandler);

  const attachWebSocket = (server: HttpServer) => {
    // A frame is bounded like a request body (the ws default is 100 MiB), before it is read.
    const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: limits.maxBodyBytes });
    const claimsOf = (ctx: {
      connectionParams?: Readonly<Record<string, unknown>>;
      extra: { request: { headers: Record<string, string | string[] | undefined> } };
    }) => {
      const fromParams = ctx.connectionParams?.[PRINCIPAL_HEADER];
      const fromHeader = ctx.extra.request.headers[PRINCIPAL_HEADER];
      const token =
        typeof fromParams === 'string'
          ? fromParams
          : Array.isArray(fromHeader)
            ? fromHeader[0]
            : fromHeader;
      return verifyPrincipalClaims(token, o.principalSecret, {
        audience: o.name,
        subscription: true,
        now,
      });
    };
    // Open connections and when their principal expires: closed then (4403), so a captured
    // principal never buys a feed longer than its own life.
    const open = new Map<{ close(code: number, reason: string): void }, number>();
    const closeExpired = () => {
      let n = 0;
      for (const [socket, expiresAtMs] of open)
        if (expiresAtMs <= now()) {
          open.delete(socket);
          socket.close(4403, 'Principal expired');
          n++;
        }
      return n;
    };
    const sweep = setInterval(closeExpired, limits.principalSweepMs);
    sweep.unref();
    wss.on('connection', (socket) => socket.once('close', () => open.delete(socket)));
    const disposable = useServer<Record<string, unknown>>(
      {
        schema,
        // The same token, depth, alias and directive limits as a request.
        parse: (source) => parse(source, { maxTokens: limits.maxTokens }),
        validate: (schema, document) => {
          const refusal = fieldsPerSetRefusal(
            document,
            limits.maxFieldsPerSet,
            'SUBGRAPH_MAX_FIELDS_PER_SET',
          );
          if (refusal) return [refusal];
          return validate(schema, document, [
            ...specifiedRules,
            ...(armor.validationRules as unknown as ValidationRule[]),
          ]);
        },
        // Refused connections close with 4403 Forbidden (graphql-ws).
        onConnect: (ctx) => {
          const claims = claimsOf(ctx);
          if (!claims) return false;
          open.set(ctx.extra.socket, claims.expiresAtMs);
          return true;
        },
        context: async (ctx) => {
          const claims = claimsOf(ctx);
          // Expired between connecting and subscribing: the sweep closes it; nothing runs.
          if (!claims) throw new GraphQLError('The principal expired.');
          return o.createContext({
            principal: claims.principal,
            clientAddress: claims.clientAddress,
            cost: new UpstreamCost(metrics.observer),
            headers: {},
          });
        },
        onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      },
      wss,
    );
    return {
      closeExpired,
      connections: () => open.size,
      close: async () => {
        clearInterval(sweep);
        await disposable.dispose();
        await new Promise<void>((r) => wss.close(() => r()));
      },
    };
  };
  return { app, metrics, checkReady, attachWebSocket, stop: () => apollo.stop() };
}

/** Malformed JSON and other body errors become a JSON 400 instead of express's HTML stack page. */
export function jsonErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(err);
  const e = err as { status?: number; statusCode?: number; type?: string };
  const status = e.status ?? e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    res.status(status).json({
      errors: [
        {
          message:
            e.type === 'entity.too.large'
              ? 'Request body is too large.'
              : 'Request body is not valid JSON.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    return;
  }
  res.status(500).json({
    errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
  });
}

// createSubgraphServer: the Apollo Server + express setup shared by all four subgraphs. Each
// subgraph's server.ts supplies its schema, resolvers and per-request context factory.
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { formatError } from './errors.js';
import {
  PRINCIPAL_HEADER,
  verifyPrincipalClaims,
  type Principal,
  type PrincipalClaims,
} from './principal.js';
import { UPSTREAM_COST_HEADER, UpstreamCost } from './upstream-cost.js';
import type { UpstreamTransport } from './upstream-http.js';
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
  attachWebSocket(server: HttpServer): { close(): Promise<void> };
  stop(): Promise<void>;
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
    plugins: [
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
  app.use(accessLog(o.name));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', subgraph: o.name });
  });
  app.get('/metrics', metrics.handler());
  // Ready means able to serve: the upstream answers and accepts this subgraph's credentials.
  let readiness: { at: number; result: Promise<string | null> } | undefined;
  const checkReady = (): Promise<string | null> => {
    if (!o.readiness) return Promise.resolve(null);
    if (readiness && Date.now() - readiness.at < READINESS_CACHE_MS) return readiness.result;
    const result = o
      .readiness({ cost: new UpstreamCost(metrics.observer) })
      .then(() => null)
      .catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    readiness = { at: Date.now(), result };
    return result;
  };
  app.get('/readyz', async (_req, res) => {
    const reason = await checkReady();
    if (reason) res.status(503).json({ status: 'not ready', subgraph: o.name, reason });
    else res.json({ status: 'ready', subgraph: o.name });
  });

  // Every GraphQL request must carry a principal the gateway signed; anything else is refused.
  const requirePrincipal = (req: Request, res: Response, next: NextFunction) => {
    const claims = verifyPrincipalClaims(req.header(PRINCIPAL_HEADER), o.principalSecret);
    if (!claims) {
      res.status(401).json({
        errors: [
          {
            message: 'A valid gateway principal is required.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      return;
    }
    res.locals.claims = claims;
    next();
  };

  app.use(
    '/graphql',
    requirePrincipal,
    express.json({ limit: '1mb' }),
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
    const wss = new WebSocketServer({ server, path: '/graphql' });
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
      return verifyPrincipalClaims(token, o.principalSecret);
    };
    const disposable = useServer<Record<string, unknown>>(
      {
        schema,
        // Refused connections close with 4403 Forbidden (graphql-ws).
        onConnect: (ctx) => !!claimsOf(ctx),
        context: async (ctx) => {
          const claims = claimsOf(ctx)!;
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
      close: async () => {
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

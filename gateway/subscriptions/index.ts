// attachSubscriptions: GraphQL subscriptions on the gateway's /graphql, which @apollo/gateway
// cannot execute — over WebSocket (graphql-ws: the bearer token in connection_init's payload
// `{ authorization: "Bearer …" }`) and over SSE (graphql-sse: the request's Authorization
// header). Tokens are validated like a request's (PrincipalResolver), re-checked on each event and
// every `recheckMs`; the subscription ends with UNAUTHENTICATED when the token expires or is
// revoked. See live-operation.ts for how each event is resolved through the federated plan.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { buildSchema, GraphQLError, type ExecutionResult } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { createHandler } from 'graphql-sse/lib/use/http';
import type { Principal } from '../../lib/principal.js';
import type { GatewayConfig } from '../config.js';
import type { Gateway } from '../server.js';
import { checkLiveOperation, runLiveOperation, type LiveDeps } from './live-operation.js';
import { SubscriptionCounter, type SubscriptionLimits } from './limits.js';
import {
  trustedSubscriptionText,
  type SubscriptionPayload,
  type TrustedDocuments,
} from './trusted-subscription.js';

export interface SubscriptionDeps extends LiveDeps {
  limits: SubscriptionLimits;
  /** The gateway's trusted documents (Gateway.trusted): subscriptions obey them as queries do. */
  trusted: TrustedDocuments;
}

const releaseOnEnd = (it: AsyncIterableIterator<ExecutionResult>, release: () => void) => {
  const wrapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await it.next();
      if (r.done) release();
      return r;
    },
    async return() {
      release();
      return it.return ? it.return() : { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  };
  return wrapped;
};

const asResult = (err: unknown): ExecutionResult => ({
  errors: [
    err instanceof GraphQLError
      ? err
      : new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
  ],
});

export function attachSubscriptions(httpServer: Server, deps: SubscriptionDeps) {
  const counter = new SubscriptionCounter(deps.limits);

  // GraphQL over WebSocket.
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  interface Extra {
    authorization?: string;
    principal?: Principal;
    connection: { count: number };
  }
  const ws = useServer<Record<string, unknown> | undefined, Partial<Extra>>(
    {
      schema: deps.schema,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        const authorization = typeof auth === 'string' ? auth : undefined;
        try {
          ctx.extra.principal = await deps.resolvePrincipal(authorization);
        } catch {
          return false; // 4403 Forbidden
        }
        ctx.extra.authorization = authorization;
        ctx.extra.connection = { count: 0 };
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        try {
          const text = trustedSubscriptionText(deps.trusted, payload as SubscriptionPayload);
          const { doc } = checkLiveOperation(deps, text, payload.operationName);
          return {
            schema: deps.schema,
            document: doc,
            operationName: payload.operationName,
            variableValues: payload.variables ?? undefined,
            contextValue: { extra: ctx.extra },
          };
        } catch (err) {
          return asResult(err).errors as GraphQLError[];
        }
      },
      subscribe: (args) => {
        const extra = (args.contextValue as { extra: Partial<Extra> }).extra;
        try {
          const checked = checkLiveOperation(deps, args.document, args.operationName);
          const release = counter.acquire(extra.principal!, extra.connection!);
          return releaseOnEnd(
            runLiveOperation(
              deps,
              checked,
              args.variableValues as Record<string, unknown>,
              extra.authorization,
              extra.principal!,
            ),
            release,
          );
        } catch (err) {
          return asResult(err);
        }
      },
      context: (ctx) => ({ extra: ctx.extra }),
    },
    wss,
  );

  // GraphQL over SSE (single connection mode off: one stream per subscription).
  const sse = createHandler<{ authorization?: string; principal: Principal }>({
    schema: deps.schema,
    authenticate: async (req) => {
      const authorization = req.headers.get('authorization') ?? undefined;
      try {
        await deps.resolvePrincipal(authorization);
      } catch {
        return [
          JSON.stringify({
            errors: [
              {
                message: 'The session has expired or was revoked.',
                extensions: { code: 'UNAUTHENTICATED' },
              },
            ],
          }),
          {
            status: 401,
            statusText: 'Unauthorized',
            headers: { 'content-type': 'application/json' },
          },
        ];
      }
      return authorization ?? '';
    },
    onSubscribe: async (req, params) => {
      try {
        const text = trustedSubscriptionText(deps.trusted, params as SubscriptionPayload);
        const { doc } = checkLiveOperation(deps, text, params.operationName);
        const authorization = req.headers.get('authorization') ?? undefined;
        return {
          schema: deps.schema,
          document: doc,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: { authorization, principal: await deps.resolvePrincipal(authorization) },
        };
      } catch (err) {
        // Refused before it starts: an HTTP 400 with the GraphQL errors, as /graphql answers.
        return [
          JSON.stringify(asResult(err)),
          {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'content-type': 'application/json; charset=utf-8' },
          },
        ];
      }
    },
    context: async (req) => {
      const authorization = req.headers.get('authorization') ?? undefined;
      return { authorization, principal: await deps.resolvePrincipal(authorization) };
    },
    subscribe: (args) => {
      const ctx = args.contextValue as {
        authorization?: string;
        principal: Principal;
        connection?: { count: number };
      };
      try {
        const checked = checkLiveOperation(deps, args.document, args.operationName);
        const release = counter.acquire(ctx.principal, (ctx.connection ??= { count: 0 }));
        return releaseOnEnd(
          runLiveOperation(
            deps,
            checked,
            args.variableValues as Record<string, unknown>,
            ctx.authorization,
            ctx.principal,
          ),
          release,
        );
      } catch (err) {
        return asResult(err);
      }
    },
  });
  // SSE requests (Accept: text/event-stream on /graphql) go to graphql-sse; everything else to
  // the listeners already on the server (the gateway's express app).
  const previous = httpServer.listeners('request') as Array<
    (req: IncomingMessage, res: ServerResponse) => void
  >;
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/graphql' && String(req.headers.accept ?? '').includes('text/event-stream')) {
      void sse(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    for (const l of previous) l.call(httpServer, req, res);
  });

  return {
    close: async () => {
      await ws.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

export type { LiveDeps, SubscriptionLimits };

/**
 * Subscriptions for a gateway made by createGateway, from its config: the one place that wires
 * them (gateway/main.ts, the test harness and the GraphiQL browser test use it).
 */
export function attachGatewaySubscriptions(
  httpServer: Server,
  gateway: Pick<Gateway, 'principals' | 'execute' | 'trusted'>,
  config: Pick<
    GatewayConfig,
    'subgraphUrls' | 'principalSecret' | 'limits' | 'subscriptionRecheckMs'
  >,
  overrides: { recheckMs?: number } = {},
) {
  return attachSubscriptions(httpServer, {
    schema: apiSchema(),
    resolvePrincipal: (authorization) => gateway.principals.resolve(authorization),
    execute: gateway.execute,
    trusted: gateway.trusted,
    caseSubgraphWsUrl: config.subgraphUrls.case.replace(/^http/, 'ws'),
    principalSecret: config.principalSecret,
    maxDepth: config.limits.maxDepth,
    recheckMs: overrides.recheckMs ?? config.subscriptionRecheckMs,
    limits: {
      perConnection: config.limits.subscriptionsPerConnection,
      perPrincipal: config.limits.subscriptionsPerPrincipal,
    },
  });
}

/** The API schema clients validate against (written by `npm run compose`). */
const apiSchema = () =>
  buildSchema(readFileSync(new URL('../../schema/api-schema.graphql', import.meta.url), 'utf8'));

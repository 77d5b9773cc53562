// attachSubscriptions: GraphQL subscriptions on the gateway's /graphql, which @apollo/gateway
// cannot execute — over WebSocket (graphql-ws: the bearer token in connection_init's payload
// `{ authorization: "Bearer …" }`), over SSE (graphql-sse, distinct connections) and over
// Apollo's multipart HTTP protocol (`accept: multipart/mixed;subscriptionSpec=1.0`, what Apollo
// Client's HttpLink sends), both with the request's Authorization header. negotiate.ts says which
// request goes where: queries and mutations always reach the ordinary handler.
//
// Every way in is bounded before work is spent: WebSocket frames and HTTP bodies at the POST body
// limit (MAX_BODY_BYTES), the document through the POST limits (limits.ts), no anonymous caller,
// at most SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS open connections per client address, and a
// WebSocket that holds no subscription is closed after SUBSCRIPTION_IDLE_TIMEOUT_MS. Tokens are
// validated like a request's (PrincipalResolver), re-checked on each event and every
// `recheckMs`; the subscription ends with UNAUTHENTICATED when the token expires or is revoked.
// See live-operation.ts for how each event is resolved through the federated plan.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { buildSchema, GraphQLError, parse, type ExecutionResult } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { createHandler as createSseHandler } from 'graphql-sse';
import type { Express } from 'express';
import type { Principal } from '../../lib/principal.js';
import type { GatewayConfig } from '../config.js';
import type { Gateway } from '../server.js';
import { countTokens } from '../token-limit.js';
import { checkLiveOperation, runLiveOperation, type LiveDeps } from './live-operation.js';
import { liveRoutes } from './routes.js';
import {
  AddressConnections,
  operationOf,
  realSchedule,
  subscriptionDocumentLimits,
  SubscriptionCounter,
  type ConnectionSlots,
  type DocumentLimits,
  type Schedule,
  type SubscriptionLimits,
} from './limits.js';
import { negotiate, type StreamTransport } from './negotiate.js';
import { plainHttpSubscriptionError } from './plain-http.js';
import { formatted, readBody, sendErrors, streamMultipart } from './http-streams.js';
import {
  trustedSubscriptionText,
  type SubscriptionPayload,
  type TrustedDocuments,
} from './trusted-subscription.js';

export interface SubscriptionDeps extends LiveDeps {
  limits: SubscriptionLimits;
  /** The gateway's trusted documents (Gateway.trusted): subscriptions obey them as queries do. */
  trusted: TrustedDocuments;
  /** The POST limits for a subscription's document (limits.ts). */
  documentLimits: DocumentLimits;
  /** MAX_QUERY_TOKENS: a longer document is never parsed here (the ordinary handler refuses it). */
  maxTokens: number;
  /** MAX_BODY_BYTES: the largest HTTP body and WebSocket message read. */
  maxBodyBytes: number;
  /** Open WebSocket, SSE and multipart connections one client address may hold. */
  maxConnectionsPerAddress: number;
  /** A WebSocket that holds no subscription this long is closed (4408). */
  idleTimeoutMs: number;
  /** A WebSocket that has not sent connection_init this long is closed (graphql-ws, 4408). */
  connectionInitWaitMs: number;
  /** Heartbeat parts of a multipart subscription. */
  heartbeatMs: number;
  /** The client address of a request (the gateway's `trust proxy` rule). */
  clientAddress: (req: IncomingMessage) => string;
  /** CORS_ORIGINS: browser origins whose streamed answers carry CORS headers. */
  corsOrigins: string[];
  /** Timers (tests inject one they fire by hand). */
  schedule?: Schedule;
}

/** Runs the subscription; its slot is released when it ends, or at once if it cannot start. */
const releaseOnEnd = (start: () => AsyncIterableIterator<ExecutionResult>, release: () => void) => {
  let it: AsyncIterableIterator<ExecutionResult>;
  try {
    it = start();
  } catch (err) {
    release();
    throw err;
  }
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

/** The HTTP status a refusal asks for (limits.ts `refusal`), else 400. */
const statusOf = (err: unknown) => {
  const ext = err instanceof GraphQLError ? err.extensions : undefined;
  const http = ext?.http as { status?: number } | undefined;
  if (http?.status) return http.status;
  if (ext?.code === 'RATE_LIMITED') return 429;
  if (ext?.code === 'UNAUTHENTICATED') return 401;
  return err instanceof GraphQLError ? 400 : 500;
};

const NOT_SIGNED_IN =
  'Subscriptions need a signed-in caller: send Authorization: Bearer <token> (over WebSocket, connection_init {"authorization": "Bearer <token>"}).';
const EXPIRED = 'The session has expired or was revoked.';
const TOO_MANY_CONNECTIONS =
  'Too many open subscription connections from this address (SUBSCRIPTION_MAX_CONNECTIONS_PER_ADDRESS).';

/** A GraphQL request's parameters, from a JSON body or a GET URL. */
type Params = SubscriptionPayload & {
  query?: unknown;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
};

const paramsFromUrl = (url: string): Params | undefined => {
  const search = new URL(url, 'http://localhost').searchParams;
  try {
    const json = (k: string) => {
      const v = search.get(k);
      return v ? (JSON.parse(v) as never) : undefined;
    };
    return {
      query: search.get('query') ?? undefined,
      operationName: search.get('operationName'),
      variables: json('variables'),
      extensions: json('extensions'),
    };
  } catch {
    return undefined;
  }
};

export function attachSubscriptions(httpServer: Server, deps: SubscriptionDeps) {
  const schedule = deps.schedule ?? realSchedule;
  const counter = new SubscriptionCounter(deps.limits);
  const connections = new AddressConnections(deps.maxConnectionsPerAddress);

  /** The text a request would run (by documentId, or its query). */
  const documentText = (params: Params) => {
    try {
      return trustedSubscriptionText({ ...deps.trusted, only: false }, params);
    } catch {
      return undefined;
    }
  };
  /** Whether the request's operation is a subscription (never parses past MAX_QUERY_TOKENS). */
  const isSubscription = (params: Params) => {
    const text = documentText(params);
    if (!text || (countTokens(text, deps.maxTokens) ?? Infinity) > deps.maxTokens) return false;
    try {
      return operationOf(parse(text), params.operationName).operation === 'subscription';
    } catch {
      return false; // the ordinary handler says what is wrong with it
    }
  };
  /** The request's document, through the trusted-documents rule and the POST limits. */
  const limitedDocument = (params: Params) => {
    const text = trustedSubscriptionText(deps.trusted, params);
    return { text, doc: deps.documentLimits(text, params.operationName, params.variables) };
  };
  /** The subscription's document, limited, and of the one shape served (live-operation.ts). */
  const checkedDocument = (params: Params) =>
    checkLiveOperation(deps, limitedDocument(params).doc, params.operationName);
  /** The caller of a bearer header; anonymous callers and bad tokens are refused (throws 401). */
  const signedIn = async (authorization: string | undefined) => {
    const unauthenticated = (message: string) =>
      new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    if (!authorization) throw unauthenticated(NOT_SIGNED_IN);
    let principal: Principal;
    try {
      principal = await deps.resolvePrincipal(authorization);
    } catch {
      throw unauthenticated(EXPIRED);
    }
    if (principal.kind === 'anonymous') throw unauthenticated(NOT_SIGNED_IN);
    return principal;
  };

  // GraphQL over WebSocket: frames above MAX_BODY_BYTES close the socket (1009) before they are
  // buffered; the upgrade is refused (429) for an address at its connection cap.
  const wss = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: deps.maxBodyBytes,
    verifyClient: (info, done) => {
      const release = connections.acquire(deps.clientAddress(info.req));
      if (!release) return done(false, 429, TOO_MANY_CONNECTIONS);
      info.req.socket.once('close', release);
      done(true);
    },
  });
  const slotsOf = new WeakMap<object, ConnectionSlots>();
  // Open SSE and multipart streams, ended when the process goes away (close()).
  const streams = new Set<ServerResponse>();
  wss.on('connection', (socket) => {
    // Closed when it holds no subscription for idleTimeoutMs: from its opening, and again from
    // the end of its last subscription.
    const slots: ConnectionSlots = { count: 0 };
    let cancel = () => {};
    const arm = () => {
      cancel();
      cancel = schedule(deps.idleTimeoutMs, () => {
        if (slots.count === 0)
          socket.close(
            4408,
            `Closed: no subscription within ${deps.idleTimeoutMs} ms (SUBSCRIPTION_IDLE_TIMEOUT_MS).`,
          );
      });
    };
    slots.changed = () => (slots.count === 0 ? arm() : cancel());
    arm();
    socket.once('close', () => cancel());
    slotsOf.set(socket, slots);
  });
  interface Extra {
    authorization?: string;
    principal?: Principal;
    connection: ConnectionSlots;
    socket: { close(code: number, reason: string): void };
  }
  const ws = useServer<Record<string, unknown> | undefined, Partial<Extra>>(
    {
      schema: deps.schema,
      connectionInitWaitTimeout: deps.connectionInitWaitMs,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization;
        const authorization = typeof auth === 'string' ? auth : undefined;
        try {
          ctx.extra.principal = await signedIn(authorization);
        } catch (err) {
          // 4401 with the reason (graphql-ws's own refusal is a bare 4403 Forbidden).
          ctx.extra.socket!.close(
            4401,
            (err as Error).message === EXPIRED
              ? `Unauthorized: ${EXPIRED}`
              : 'Unauthorized: send connection_init {"authorization": "Bearer <token>"}.',
          );
          return false;
        }
        ctx.extra.authorization = authorization;
        ctx.extra.connection = slotsOf.get(ctx.extra.socket!) ?? { count: 0 };
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        try {
          const { doc } = checkedDocument(payload as Params);
          return {
            schema: deps.schema,
            document: doc,
            operationName: payload.operationName,
            variableValues: payload.variables ?? undefined,
            contextValue: { extra: ctx.extra },
          };
        } catch (err) {
          // The operation's `error` message: the refusal without its HTTP status.
          return asResult(err).errors!.map((e) => {
            const { http: _http, ...extensions } = e.extensions ?? {};
            return new GraphQLError(e.message, { extensions });
          });
        }
      },
      subscribe: (args) => {
        const extra = (args.contextValue as { extra: Partial<Extra> }).extra;
        try {
          const checked = checkLiveOperation(deps, args.document, args.operationName);
          const release = counter.acquire(extra.principal!, extra.connection!);
          return releaseOnEnd(
            () =>
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

  // GraphQL over SSE (distinct connections: one stream per subscription). The router below has
  // read the body (bounded) and signed the caller in; graphql-sse gets both in the request.
  type SseContext = {
    authorization: string;
    principal: Principal;
    connection: ConnectionSlots;
  } & Record<PropertyKey, unknown>;
  const sse = createSseHandler<IncomingMessage, SseContext, SseContext>({
    schema: deps.schema,
    authenticate: () => '',
    onSubscribe: async (req, params) => {
      try {
        const { text, doc } = limitedDocument(params as Params);
        // A query or mutation sent to graphql-sse (it prefers text/event-stream): one `next`
        // with the answer of the ordinary pipeline, then `complete`.
        if (operationOf(doc, params.operationName).operation !== 'subscription') {
          const result = await deps.execute(
            {
              query: text,
              variables: params.variables ?? undefined,
              operationName: params.operationName ?? undefined,
            },
            req.context.authorization,
          );
          // graphql-sse tells a result from arguments by its `data` key.
          return { ...result, data: result.data ?? null };
        }
        checkLiveOperation(deps, doc, params.operationName);
        return {
          schema: deps.schema,
          document: doc,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: req.context,
        };
      } catch (err) {
        // Refused before it starts: the HTTP status and GraphQL errors /graphql would answer.
        return [
          JSON.stringify({
            errors: asResult(err).errors!.map((e) => formatted(e as GraphQLError)),
          }),
          {
            status: statusOf(err),
            statusText: 'Refused',
            headers: { 'content-type': 'application/json; charset=utf-8' },
          },
        ];
      }
    },
    subscribe: (args) => {
      const ctx = args.contextValue;
      try {
        const checked = checkLiveOperation(deps, args.document, args.operationName);
        const release = counter.acquire(ctx.principal, ctx.connection);
        return releaseOnEnd(
          () =>
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

  async function serveSse(
    req: IncomingMessage,
    res: ServerResponse,
    body: Params | null,
    context: SseContext,
  ) {
    const [out, init] = await sse({
      method: req.method!,
      url: req.url!,
      headers: {
        // The client chose SSE (negotiate.ts); graphql-sse serves distinct connections only to
        // exactly `text/event-stream`, so a longer Accept (urql's) is given to it as that.
        get: (key) =>
          key === 'accept' ? 'text/event-stream' : (req.headers[key] as string | undefined),
      },
      body: body as Record<PropertyKey, unknown> | null,
      raw: req,
      context,
    });
    res.writeHead(init.status, init.statusText, init.headers);
    if (!out || typeof out === 'string') return void res.end(out);
    const stop = () => void out.return(undefined);
    res.once('close', stop);
    for await (const chunk of out) {
      if (!res.writable) break;
      res.write(chunk);
    }
    res.off('close', stop);
    res.end();
  }

  async function serveMultipart(
    res: ServerResponse,
    params: Params,
    context: SseContext,
    req: IncomingMessage,
  ) {
    let results: AsyncIterableIterator<ExecutionResult>;
    try {
      const checked = checkedDocument(params);
      const release = counter.acquire(context.principal, context.connection);
      results = releaseOnEnd(
        () =>
          runLiveOperation(
            deps,
            checked,
            params.variables ?? undefined,
            context.authorization,
            context.principal,
          ),
        release,
      );
    } catch (err) {
      return sendErrors(
        req,
        res,
        statusOf(err),
        asResult(err).errors!.map((e) => formatted(e as GraphQLError)),
      );
    }
    await streamMultipart(res, results, { heartbeatMs: deps.heartbeatMs, schedule });
  }

  /** A subscription stream (or a request that prefers SSE): capped, signed in, then served. */
  async function stream(
    req: IncomingMessage,
    res: ServerResponse,
    transport: StreamTransport,
    params: Params | null,
  ) {
    const release = connections.acquire(deps.clientAddress(req));
    if (!release)
      return sendErrors(req, res, 429, [
        { message: TOO_MANY_CONNECTIONS, extensions: { code: 'RATE_LIMITED' } },
      ]);
    res.once('close', release);
    streams.add(res);
    res.once('close', () => streams.delete(res));
    // The gateway's CORS rule (its express app answers the preflight): listed origins only.
    const origin = req.headers.origin;
    if (origin && deps.corsOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'x-request-id');
      res.setHeader('vary', 'Origin');
    }
    const authorization = req.headers.authorization;
    let principal: Principal;
    try {
      principal = await signedIn(authorization);
    } catch (err) {
      return sendErrors(req, res, 401, [formatted(err as GraphQLError)], {
        'www-authenticate': 'Bearer',
      });
    }
    if (req.method === 'POST' && params === null) {
      const read = await readBody(req, deps.maxBodyBytes);
      if (!read.ok)
        return sendErrors(req, res, read.status, [
          { message: read.message, extensions: { code: 'BAD_REQUEST' } },
        ]);
      params = parseJson(read.text) ?? null;
      if (!params)
        return sendErrors(req, res, 400, [
          {
            message: 'The request body is not a JSON object.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ]);
    }
    const context: SseContext = {
      authorization: authorization!,
      principal,
      connection: { count: 0 },
    };
    if (transport === 'sse') return serveSse(req, res, params, context);
    return serveMultipart(res, params ?? paramsFromUrl(req.url ?? '') ?? {}, context, req);
  }

  /** Decides a /graphql request (negotiate.ts); `pass` hands it to the gateway's express app. */
  async function route(req: IncomingMessage, res: ServerResponse, pass: () => void) {
    const accept = negotiate(req);
    const json = /application\/json/i.test(req.headers['content-type'] ?? '');
    if (accept.prefersSse) return stream(req, res, 'sse', null);
    let params: Params | undefined;
    if (req.method === 'GET') {
      // Apollo's own answer to a GET subscription does not say where to send it.
      params = paramsFromUrl(req.url ?? '');
      if (!accept.subscription && params && isSubscription(params))
        return sendErrors(req, res, 400, [formatted(plainHttpSubscriptionError() as GraphQLError)]);
    } else if (!accept.subscription || !json) return pass();
    else {
      // The body is read once, under the POST limit, and handed on parsed if it is not a
      // subscription (express.json skips a request whose body has been read).
      const read = await readBody(req, deps.maxBodyBytes);
      if (!read.ok)
        return sendErrors(req, res, read.status, [
          { message: read.message, extensions: { code: 'BAD_REQUEST' } },
        ]);
      params = parseJson(read.text);
      if (!params)
        return sendErrors(req, res, 400, [
          {
            message: 'The request body is not a JSON object.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ]);
      (req as IncomingMessage & { body?: unknown }).body = params;
    }
    if (!accept.subscription || !params || !isSubscription(params)) return pass();
    return stream(req, res, accept.subscription, req.method === 'POST' ? params : null);
  }

  const previous = httpServer.listeners('request') as Array<
    (req: IncomingMessage, res: ServerResponse) => void
  >;
  httpServer.removeAllListeners('request');
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => {
      for (const l of previous) l.call(httpServer, req, res);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/graphql' || (req.method !== 'GET' && req.method !== 'POST')) return pass();
    route(req, res, pass).catch(() => {
      if (!res.headersSent) sendErrors(req, res, 500, [{ message: 'Unexpected error.' }]);
      else res.end();
    });
  });

  return {
    /**
     * The process is going away: every WebSocket gets 1001 ("going away", so clients reconnect
     * to another replica) and every SSE or multipart stream ends. Resolves once the WebSockets
     * are closed (the shutdown's timeout cuts any that never answer the close).
     */
    close: async () => {
      for (const res of streams) res.end();
      await ws.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

function parseJson(text: string): Params | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : undefined;
  } catch {
    return undefined;
  }
}

export type { LiveDeps, SubscriptionLimits };

/**
 * Subscriptions for a gateway made by createGateway, from its config: the one place that wires
 * them (gateway/main.ts, the test harness and the GraphiQL browser test use it).
 */
export function attachGatewaySubscriptions(
  httpServer: Server,
  gateway: Pick<Gateway, 'principals' | 'execute' | 'trusted'> & { app?: Express },
  config: Pick<
    GatewayConfig,
    | 'subgraphUrls'
    | 'principalSecret'
    | 'limits'
    | 'subscriptionRecheckMs'
    | 'introspection'
    | 'subscriptions'
    | 'corsOrigins'
  >,
  overrides: { recheckMs?: number; schedule?: Schedule } = {},
) {
  const schema = apiSchema();
  const supergraphSdl = readFileSync(
    new URL('../../schema/supergraph.graphql', import.meta.url),
    'utf8',
  );
  const s = config.subscriptions;
  return attachSubscriptions(httpServer, {
    schema,
    resolvePrincipal: (authorization) => gateway.principals.resolve(authorization),
    execute: gateway.execute,
    trusted: gateway.trusted,
    // Each Subscription field goes to the subgraph the supergraph says serves it (routes.ts).
    subgraphWsUrls: Object.fromEntries(
      Object.entries(config.subgraphUrls).map(([name, url]) => [name, url.replace(/^http/, 'ws')]),
    ),
    routes: liveRoutes(schema, supergraphSdl),
    principalSecret: config.principalSecret,
    recheckMs: overrides.recheckMs ?? config.subscriptionRecheckMs,
    limits: {
      perConnection: config.limits.subscriptionsPerConnection,
      perPrincipal: config.limits.subscriptionsPerPrincipal,
    },
    documentLimits: subscriptionDocumentLimits({
      schema,
      supergraphSdl,
      limits: config.limits,
      introspection: config.introspection,
    }),
    maxTokens: config.limits.maxTokens,
    maxBodyBytes: config.limits.maxBodyBytes,
    maxConnectionsPerAddress: s.maxConnectionsPerAddress,
    idleTimeoutMs: s.idleTimeoutMs,
    connectionInitWaitMs: s.connectionInitWaitMs,
    heartbeatMs: s.heartbeatMs,
    clientAddress: clientAddressOf(gateway.app),
    corsOrigins: config.corsOrigins,
    schedule: overrides.schedule,
  });
}

/**
 * The client address as the gateway's express app reads it (its `trust proxy` rule applied to
 * X-Forwarded-For), for requests that never pass through express (WebSocket upgrades, streams).
 */
function clientAddressOf(app: Express | undefined) {
  return (req: IncomingMessage): string => {
    if (app) {
      const view = { app, headers: req.headers, socket: req.socket, connection: req.socket };
      const ip = Reflect.get(app.request, 'ip', view) as string | undefined;
      if (ip) return ip;
    }
    return req.socket.remoteAddress ?? 'unknown';
  };
}

/** The API schema clients validate against (written by `npm run compose`). */
const apiSchema = () =>
  buildSchema(readFileSync(new URL('../../schema/api-schema.graphql', import.meta.url), 'utf8'));

// How the gateway talks to a subgraph: a signed principal instead of anything the client claims,
// an explicit allow-list of forwarded headers, and the upstream cost each subgraph reports folded
// into the total. The fetch itself is the gateway → subgraph composition of the outbound stages
// (lib/outbound/pipeline.ts): breaker (the gateway's one registry, keyed by subgraph) → cancel
// (the client went away) → deadline (one per request, sent along as x-c360-deadline) → answer →
// transport (a keep-alive pool per subgraph); failures are UpstreamErrors of target 'subgraph'.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from './engine.js';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode, SUBGRAPH_MESSAGES, UpstreamError } from '../lib/errors.js';
import { Breakers, type BreakerOptions, type CircuitState } from '../lib/resilience.js';
import { currentScope, DEADLINE_HEADER } from '../lib/upstream-http.js';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../lib/principal.js';
import { UPSTREAM_COST_HEADER, type UpstreamCostReport } from '../lib/upstream-cost.js';
import { SESSION_ENDED_EXTENSION } from '../lib/subgraph-server.js';
import { injectTraceHeaders } from '../lib/observability/tracing.js';
import { type BufferedResponse, HttpPool, type PoolOptions } from '../lib/http-pool.js';
import { compose, type Stage } from '../lib/outbound/pipeline.js';
import { breaker } from '../lib/outbound/breaker.js';
import { cancel } from '../lib/outbound/cancel.js';
import { deadline } from '../lib/outbound/deadline.js';
import { transport } from '../lib/outbound/transport.js';

/** What @apollo/gateway's data source passes its fetcher (`@apollo/utils.fetcher`). */
type FetcherRequestInit = NonNullable<Parameters<RemoteGraphQLDataSource['fetcher']>[1]>;
import type { GatewayContext } from './context.js';

/** Client headers a subgraph may see. Everything else (including any principal header) is dropped. */
export const FORWARDED_HEADERS = [
  'authorization',
  'x-correlation-id',
  'x-request-id',
  'accept-language',
] as const;

export interface SubgraphDataSourceOptions {
  /** The subgraph's name, reported as `serviceName` on its failures. */
  name?: string;
  /** Forward the client's `authorization` header (only the session subgraph needs the token). */
  forwardBearer?: boolean;
  /** One deadline per client request (default 8 s). */
  requestDeadlineMs?: number;
  /**
   * The breaker registry (the gateway's one, shared by its subgraphs; default: this source's
   * own). The breaker is keyed `subgraph <name>`; its options are DEFAULT_BREAKERS.subgraph
   * with `breaker` over them.
   */
  breakers?: Breakers;
  breaker?: Partial<BreakerOptions>;
  /** The keep-alive pool to this subgraph (default: 128 sockets). */
  pool?: PoolOptions;
  /** Life of each signed principal (default DEFAULT_PRINCIPAL_TTL_SECONDS, at most 60). */
  principalTtlSeconds?: number;
}

/**
 * Carries the request's principal from willSendRequest (which has the request's context) to the
 * fetch (which has the exact body bytes); replaced there by the signed principal, never sent.
 */
const UNSIGNED_PRINCIPAL = 'x-c360-unsigned-principal';

export const DEFAULT_REQUEST_DEADLINE_MS = 8_000;

const deadlines = new WeakMap<object, number>();

/** The request's one deadline (absolute epoch ms), fixed at its first subgraph fetch. */
export function deadlineOf(context: object, deadlineMs: number): number {
  let d = deadlines.get(context);
  if (d === undefined) deadlines.set(context, (d = Date.now() + deadlineMs));
  return d;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly serviceName: string;
  private readonly requestDeadlineMs: number;
  private readonly forwardBearer: boolean;
  private readonly principalTtlSeconds: number | undefined;
  /** The breaker registry this subgraph's breaker lives in (key: its name). */
  readonly breakers: Breakers;
  private readonly pool: HttpPool;

  constructor(
    url: string,
    private readonly principalSecret: string,
    timeoutMs: number,
    options: SubgraphDataSourceOptions = {},
  ) {
    super({ url });
    // The gateway names every subgraph (buildService); a bare data source is named by its host.
    this.serviceName = options.name ?? new URL(url).host;
    this.requestDeadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
    this.forwardBearer = options.forwardBearer ?? false;
    this.principalTtlSeconds = options.principalTtlSeconds;
    // Counts no answer, a timeout and a 5xx, and a fetch still running after slowCallMs (counted
    // then: a hung subgraph opens it without waiting for the fetches' timeouts); a client that
    // went away, or a deadline that passed, is not the subgraph's fault.
    this.breakers = options.breakers ?? new Breakers();
    if (options.breaker)
      this.breakers.configureTarget('subgraph', this.serviceName, options.breaker);
    this.pool = new HttpPool(url, options.pool ?? { maxSockets: 128 });
    this.fetcher = (input, init) => this.guardedFetch(input, init ?? {}, timeoutMs);
  }

  /** The subgraph's name. */
  get name(): string {
    return this.serviceName;
  }

  /** The breaker's state now (the gateway's /readyz lists those not closed). */
  circuit(): CircuitState {
    return this.breakers.state('subgraph', this.serviceName);
  }

  /** Closes the pool's idle sockets (the gateway stops). */
  close() {
    this.pool.close();
  }

  /**
   * The request's headers with its principal signed for this subgraph and this exact body: a
   * principal captured from one fetch is refused by any other subgraph, with any other body,
   * and after a few seconds.
   */
  private signed(init: FetcherRequestInit): Record<string, string> | undefined {
    const headers = init.headers as Record<string, string> | undefined;
    const pending = headers?.[UNSIGNED_PRINCIPAL];
    if (!headers || pending === undefined) return headers;
    const { [UNSIGNED_PRINCIPAL]: _, ...rest } = headers;
    const { principal, clientAddress } = JSON.parse(
      Buffer.from(pending, 'base64url').toString('utf8'),
    ) as {
      principal: Principal;
      clientAddress?: string;
    };
    rest[PRINCIPAL_HEADER] = signPrincipal(principal, this.principalSecret, {
      audience: this.serviceName ?? '',
      body: typeof init.body === 'string' ? init.body : '',
      clientAddress,
      ttlSeconds: this.principalTtlSeconds,
    });
    return rest;
  }

  private async guardedFetch(
    input: string,
    init: FetcherRequestInit,
    timeoutMs: number,
  ): Promise<BufferedResponse> {
    const headers = (this.signed(init) ?? {}) as Record<string, string>;
    const at = Number(headers[DEADLINE_HEADER]) || Date.now() + this.requestDeadlineMs;
    const send = compose(
      [breaker(this.breakers), cancel(currentScope()?.signal), deadline(at), subgraphAnswer],
      transport({ pool: () => this.pool }),
    );
    return send({
      target: 'subgraph',
      key: this.serviceName,
      method: init.method ?? 'POST',
      url: input,
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
      timeoutMs,
    });
  }

  /** A failed fetch becomes one coded error at the entity's path, naming the subgraph. */
  override async process(
    options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0],
  ) {
    try {
      return await super.process(options);
    } catch (err) {
      // The entity fetch's place in the response, e.g. ['citizen'] (up to the first list).
      const raw =
        'pathInIncomingRequest' in options
          ? (options.pathInIncomingRequest as Array<string | number> | undefined)
          : undefined;
      const at = raw?.indexOf('@') ?? -1;
      const cursor = raw && at >= 0 ? raw.slice(0, at) : raw;
      throw this.toGraphQLError(err, cursor);
    }
  }

  private toGraphQLError(err: unknown, path: Array<string | number> | undefined): GraphQLError {
    const code =
      err instanceof UpstreamError && err.code === ErrorCode.UPSTREAM_TIMEOUT
        ? ErrorCode.UPSTREAM_TIMEOUT
        : ErrorCode.UPSTREAM_UNAVAILABLE;
    return new GraphQLError(SUBGRAPH_MESSAGES[code], {
      path: path?.length ? path : undefined,
      originalError: err instanceof Error ? err : undefined,
      extensions: { code, serviceName: this.serviceName },
    });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = request.http?.headers;
    if (!headers || !context?.principal) return;
    headers.set(DEADLINE_HEADER, String(deadlineOf(context, this.requestDeadlineMs)));
    for (const name of FORWARDED_HEADERS) {
      if (name === 'authorization' && !this.forwardBearer) continue;
      const value = context.headers[name];
      if (value) headers.set(name, value);
    }
    // Signed per fetch, when its body is known (guardedFetch), with the end client's address as
    // this gateway saw it inside the signature: a subgraph trusts no unsigned header. A
    // client's own principal header was never forwarded (FORWARDED_HEADERS).
    // (base64url: a header value carries no characters beyond Latin-1, a username may.)
    headers.set(
      UNSIGNED_PRINCIPAL,
      Buffer.from(
        JSON.stringify({ principal: context.principal, clientAddress: context.clientAddress }),
      ).toString('base64url'),
    );
    // Always asked: the access log and metrics count every request's Salesforce calls; the
    // client sees the report only when it asked (upstreamCostPlugin).
    headers.set(UPSTREAM_COST_HEADER, '1');
    // The trace continues in the subgraph (the active span is @apollo/gateway's gateway.fetch).
    injectTraceHeaders((k, v) => headers.set(k, v));
  }

  override didReceiveResponse({
    response,
    context,
  }: {
    response: GatewayGraphQLResponse;
    context: GatewayContext;
  }) {
    const report = response.extensions?.upstreamCost as UpstreamCostReport | undefined;
    if (report) {
      context.cost?.merge(report);
      delete response.extensions!.upstreamCost;
    }
    // The session subgraph ended this request's session (logout, however it was written).
    if (response.extensions?.[SESSION_ENDED_EXTENSION]) {
      context.sessionEnded = true;
      delete response.extensions[SESSION_ENDED_EXTENSION];
    }
    return response;
  }
}

/**
 * The gateway's answer stage: a 5xx that is not a GraphQL answer is an unavailable subgraph (a
 * GraphQL answer, even a 5xx, is the subgraph's own, with its errors, for Apollo to read).
 */
const subgraphAnswer: Stage = (next) => async (call) => {
  const res = await next(call);
  if (res.status >= 500 && !(res.headers.get('content-type') ?? '').includes('json'))
    throw UpstreamError.answered('subgraph', res.status, `${call.key} answered ${res.status}`);
  return res;
};

// How the gateway talks to a subgraph: a signed principal instead of anything the client claims,
// an explicit allow-list of forwarded headers, one deadline per request (sent along as
// x-c360-deadline and bounding every fetch), cancellation when the client goes away, a circuit
// breaker per subgraph (a hung subgraph is failed fast, not waited for on every request), typed
// errors naming the subgraph, and the upstream cost each subgraph reports folded into the total.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import CircuitBreaker from 'opossum';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/errors.js';
import {
  circuitState,
  SlowCalls,
  watchCircuit,
  type BreakerOptions,
  type CircuitState,
} from '../lib/resilience.js';
import { callSignal } from '../lib/abort.js';
import { currentScope, DEADLINE_HEADER } from '../lib/upstream-http.js';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../lib/principal.js';
import { UPSTREAM_COST_HEADER, type UpstreamCostReport } from '../lib/upstream-cost.js';
import { SESSION_ENDED_EXTENSION } from '../lib/subgraph-server.js';
import { injectTraceHeaders } from '../lib/observability/tracing.js';
import { type BufferedResponse, HttpPool, type PoolOptions } from '../lib/http-pool.js';

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
  breaker?: Partial<SubgraphBreakerOptions>;
  /** Told every state the breaker enters (the gateway's circuit_breaker_open metric). */
  onCircuit?: (state: CircuitState) => void;
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

/** The same options as the Salesforce breakers (lib/resilience.ts), slow calls included. */
export type SubgraphBreakerOptions = BreakerOptions;

export const DEFAULT_REQUEST_DEADLINE_MS = 8_000;
export const DEFAULT_SUBGRAPH_BREAKER: SubgraphBreakerOptions = {
  rollingCountTimeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeout: 5_000,
};

/** A failed fetch of one subgraph, classified where it happened (never from a message). */
export class SubgraphFetchError extends Error {
  override readonly name = 'SubgraphFetchError';
  constructor(
    readonly code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAVAILABLE' | 'CIRCUIT_OPEN' | 'CANCELLED',
    message: string,
  ) {
    super(message);
  }
}

const deadlines = new WeakMap<object, number>();

/** The request's one deadline (absolute epoch ms), fixed at its first subgraph fetch. */
export function deadlineOf(context: object, deadlineMs: number): number {
  let d = deadlines.get(context);
  if (d === undefined) deadlines.set(context, (d = Date.now() + deadlineMs));
  return d;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private serviceName: string | undefined;
  private readonly requestDeadlineMs: number;
  private readonly forwardBearer: boolean;
  private readonly principalTtlSeconds: number | undefined;
  readonly breaker: CircuitBreaker<[() => Promise<BufferedResponse>], BufferedResponse>;
  private readonly slowCalls: SlowCalls;
  private readonly pool: HttpPool;

  constructor(
    url: string,
    private readonly principalSecret: string,
    timeoutMs: number,
    options: SubgraphDataSourceOptions = {},
  ) {
    super({ url });
    this.serviceName = options.name;
    this.requestDeadlineMs = options.requestDeadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS;
    this.forwardBearer = options.forwardBearer ?? false;
    this.principalTtlSeconds = options.principalTtlSeconds;
    // Owned by this data source (one per subgraph per gateway instance). Counts no answer, a
    // timeout and a 5xx, and a fetch still running after slowCallMs (counted then: a hung
    // subgraph opens it without waiting for the fetches' timeouts); a client that went away is
    // not the subgraph's fault.
    const breakerOptions = { ...DEFAULT_SUBGRAPH_BREAKER, ...options.breaker };
    this.breaker = new CircuitBreaker((fn: () => Promise<BufferedResponse>) => fn(), {
      ...breakerOptions,
      timeout: false,
      errorFilter: (err: unknown) => err instanceof SubgraphFetchError && err.code === 'CANCELLED',
    });
    this.slowCalls = new SlowCalls(this.breaker, breakerOptions);
    if (options.onCircuit) watchCircuit(this.breaker, options.onCircuit);
    this.pool = new HttpPool(url, options.pool ?? { maxSockets: 128 });
    this.fetcher = (input, init) => this.guardedFetch(input, init ?? {}, timeoutMs);
    // Until the gateway passes names, learn it from the subgraph's liveness answer.
    if (!this.serviceName) {
      void fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.json() as Promise<{ subgraph?: string }>)
        .then((b) => (this.serviceName ??= b.subgraph))
        .catch(() => undefined);
    }
  }

  /** The subgraph's name (given, or learnt from its /healthz). */
  get name(): string | undefined {
    return this.serviceName;
  }

  /** The breaker's state now (the gateway's /readyz lists those not closed). */
  circuit(): CircuitState {
    return circuitState(this.breaker);
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

  private async guardedFetch(input: string, init: FetcherRequestInit, timeoutMs: number) {
    init = { ...init, headers: this.signed(init) };
    const headers = init.headers;
    const deadline = Number(headers?.[DEADLINE_HEADER]) || Date.now() + this.requestDeadlineMs;
    const left = deadline - Date.now();
    // No fetch is started for a request that has no time left.
    if (left <= 0)
      throw new SubgraphFetchError('UPSTREAM_TIMEOUT', 'no time left before the deadline');
    const client = currentScope()?.signal;
    // Not AbortSignal.any + AbortSignal.timeout: see lib/abort.ts (a GC could disconnect them).
    const call = callSignal(Math.min(timeoutMs, left), client);
    try {
      return await this.breaker.fire(() =>
        this.slowCalls.run(async () => {
          let res: BufferedResponse;
          try {
            // The whole answer is read under the same signal, so it can be let go after.
            res = await this.pool.send(
              input,
              { method: init.method, headers: init.headers, body: init.body },
              call.signal,
            );
          } catch (err) {
            if (client?.aborted) throw new SubgraphFetchError('CANCELLED', 'the client went away');
            const name = (err as Error)?.name;
            if (name === 'TimeoutError' || name === 'AbortError')
              throw new SubgraphFetchError(
                'UPSTREAM_TIMEOUT',
                `no answer within ${Math.min(timeoutMs, left)} ms`,
              );
            throw new SubgraphFetchError('UPSTREAM_UNAVAILABLE', (err as Error).message);
          }
          if (res.status >= 500 && !(res.headers.get('content-type') ?? '').includes('json'))
            throw new SubgraphFetchError('UPSTREAM_UNAVAILABLE', `answered ${res.status}`);
          return res;
        }),
      );
    } catch (err) {
      if ((err as { code?: string })?.code === 'EOPENBREAKER')
        throw new SubgraphFetchError('CIRCUIT_OPEN', 'circuit open after repeated failures');
      throw err;
    } finally {
      call.done();
    }
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
      err instanceof SubgraphFetchError &&
      (err.code === 'UPSTREAM_TIMEOUT' || err.code === 'CANCELLED')
        ? ErrorCode.UPSTREAM_TIMEOUT
        : ErrorCode.UPSTREAM_UNAVAILABLE;
    return new GraphQLError(
      code === ErrorCode.UPSTREAM_TIMEOUT
        ? 'A subgraph did not answer in time.'
        : 'A subgraph is unavailable.',
      {
        path: path?.length ? path : undefined,
        originalError: err instanceof Error ? err : undefined,
        extensions: {
          code,
          ...(this.serviceName ? { serviceName: this.serviceName } : {}),
        },
      },
    );
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

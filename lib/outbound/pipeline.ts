// One outbound-call pipeline for both hops (subgraph → Salesforce in lib/upstream-http.ts,
// gateway → subgraph in gateway/subgraph-data-source.ts): small stages, each in its own file,
// composed per target over one transport (lib/http-pool.ts). A stage is a function of the next
// one; the composition is read outermost first:
//
//   subgraph → Salesforce: retry → breaker → cancel → deadline → trace → cost → [cache] → answer → transport
//   gateway → subgraph:            breaker → cancel → deadline →                 answer → transport
//
// (`answer` is each hop's own check of the status, in its module; `cache` is where a read cache
// slots in: inside the retry, breaker, cancellation and deadline, before the transport.)
import type { UpstreamTarget } from '../errors.js';

export interface OutboundCall {
  /** Who is called (a Salesforce family, or 'subgraph'): errors, metrics and breakers name it. */
  target: UpstreamTarget;
  /** The breaker key within the target: a Salesforce origin, or a subgraph's name. */
  key: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  redirect?: 'follow' | 'manual';
  /** This attempt's timeout; the deadline stage shortens it to the time the request has left. */
  timeoutMs: number;
  /** Aborted when the call must stop (the client went away, its timeout, the deadline). */
  signal?: AbortSignal;
  /** Set by the retry stage: a repeated attempt. */
  retry?: boolean;
}

/** A whole answer, already read (the transport reads the body under the call's signal). */
export interface OutboundResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  clone(): OutboundResponse;
}

export type Send<R extends OutboundResponse = OutboundResponse> = (
  call: OutboundCall,
) => Promise<R>;
export type Stage = <R extends OutboundResponse>(next: Send<R>) => Send<R>;

/** The stages (outermost first) around the transport. Skipped stages may be `undefined`. */
export function compose<R extends OutboundResponse>(
  stages: Array<Stage | undefined | false>,
  transport: Send<R>,
): Send<R> {
  let send = transport;
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i];
    if (stage) send = stage(send);
  }
  return send;
}

/** An abort of the call's own signal (timeout, deadline or client), as the transport names it. */
export function isAbort(err: unknown): boolean {
  const name = (err as Error | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

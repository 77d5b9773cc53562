// Per-request account of what a GraphQL request cost upstream: calls and time per API family.
// Subgraphs report it in `extensions.upstreamCost`; the gateway sums the subgraphs' reports.
import type { UpstreamFamily } from './errors.js';
import type { UpstreamCall, UpstreamObserver } from './observability/upstream-observer.js';

export const UPSTREAM_COST_HEADER = 'x-upstream-cost';

/**
 * Per family: calls made and their time; `cacheHits` (when any) reads the read cache answered
 * instead (lib/read-cache), `staleReads` how many of those were past their TTL (served because
 * the org's API allowance was low).
 */
export type UpstreamCostReport = Partial<
  Record<UpstreamFamily, { calls: number; ms: number; cacheHits?: number; staleReads?: number }>
>;

export class UpstreamCost {
  private readonly byFamily: UpstreamCostReport = {};

  /** `observer` sees every call too (the server's metrics and failure log). */
  constructor(readonly observer?: UpstreamObserver) {}

  /** One finished call (or attempt): counted here and told to the observer. */
  call(c: UpstreamCall): void {
    this.record(c.family, c.ms);
    this.observer?.call(c);
  }

  /** Calls per family so far (for the access log). */
  calls(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.byFamily).map(([f, v]) => [f, v!.calls]));
  }

  /** Calls so far, all families. */
  total(): number {
    let n = 0;
    for (const v of Object.values(this.byFamily)) n += v?.calls ?? 0;
    return n;
  }

  /** A read the read cache answered (`stale`: past its TTL, served while the org is low). */
  cacheHit(family: UpstreamFamily, stale = false): void {
    const entry = (this.byFamily[family] ??= { calls: 0, ms: 0 });
    entry.cacheHits = (entry.cacheHits ?? 0) + 1;
    if (stale) entry.staleReads = (entry.staleReads ?? 0) + 1;
  }

  /** Stale reads per family so far (extensions.staleReads), or undefined when none. */
  staleReads(): Record<string, number> | undefined {
    const out: Record<string, number> = {};
    for (const [f, v] of Object.entries(this.byFamily)) if (v?.staleReads) out[f] = v.staleReads;
    return Object.keys(out).length ? out : undefined;
  }

  record(family: UpstreamFamily, ms: number): void {
    const entry = (this.byFamily[family] ??= { calls: 0, ms: 0 });
    entry.calls++;
    entry.ms += ms;
  }

  merge(report: UpstreamCostReport | undefined): void {
    for (const [family, v] of Object.entries(report ?? {})) {
      if (!v) continue;
      const entry = (this.byFamily[family as UpstreamFamily] ??= { calls: 0, ms: 0 });
      entry.calls += v.calls;
      entry.ms += v.ms;
      if (v.cacheHits) entry.cacheHits = (entry.cacheHits ?? 0) + v.cacheHits;
      if (v.staleReads) entry.staleReads = (entry.staleReads ?? 0) + v.staleReads;
    }
  }

  report(): UpstreamCostReport {
    const out: UpstreamCostReport = {};
    for (const [family, v] of Object.entries(this.byFamily))
      out[family as UpstreamFamily] = {
        calls: v.calls,
        ms: Math.round(v.ms * 10) / 10,
        ...(v.cacheHits ? { cacheHits: v.cacheHits } : {}),
        ...(v.staleReads ? { staleReads: v.staleReads } : {}),
      };
    return out;
  }
}

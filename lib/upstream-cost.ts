// Per-request account of what a GraphQL request cost upstream: calls and time per API family.
// Subgraphs report it in `extensions.upstreamCost`; the gateway sums the subgraphs' reports.
import type { UpstreamFamily } from './errors.js';
import type { UpstreamCall, UpstreamObserver } from './observability/upstream-observer.js';

export const UPSTREAM_COST_HEADER = 'x-upstream-cost';

export type UpstreamCostReport = Partial<Record<UpstreamFamily, { calls: number; ms: number }>>;

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
    }
  }

  report(): UpstreamCostReport {
    const out: UpstreamCostReport = {};
    for (const [family, v] of Object.entries(this.byFamily))
      out[family as UpstreamFamily] = { calls: v.calls, ms: Math.round(v.ms * 10) / 10 };
    return out;
  }
}

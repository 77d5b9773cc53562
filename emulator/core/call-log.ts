// The log of every call an API client made to the emulator: the contract tests and the
// batching tests count upstream calls from it (/__emulator/calls).
export type Family = 'crm' | 'datacloud' | 'scapi' | 'identity';

export interface CallRecord {
  seq: number;
  family: Family;
  method: string;
  /** Path below the family prefix, without the query string, e.g. /services/data/v62.0/query */
  path: string;
  query: string;
  status: number;
  durationMs: number;
  at: string;
  /**
   * Data Cloud tenant-endpoint calls that count against an API limit: how many calls of the same
   * API (data-cloud/limits.ts) were in progress when this one arrived, itself included.
   */
  inFlight?: number;
}

export interface CallFilter {
  family?: Family;
  method?: string;
  /** Substring of the path. */
  path?: string;
}

export class CallLog {
  private calls: CallRecord[] = [];
  private seq = 0;

  record(call: Omit<CallRecord, 'seq'>): void {
    this.calls.push({ seq: ++this.seq, ...call });
    // Bounded so a long soak cannot grow memory without end.
    if (this.calls.length > 50_000) this.calls.splice(0, this.calls.length - 50_000);
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.calls.filter(
      (c) =>
        (!filter.family || c.family === filter.family) &&
        (!filter.method || c.method === filter.method.toUpperCase()) &&
        (!filter.path || c.path.includes(filter.path)),
    );
  }

  /** Calls per family, e.g. { crm: 2, datacloud: 3 }. */
  countByFamily(): Partial<Record<Family, number>> {
    const out: Partial<Record<Family, number>> = {};
    for (const c of this.calls) out[c.family] = (out[c.family] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.calls = [];
  }
}

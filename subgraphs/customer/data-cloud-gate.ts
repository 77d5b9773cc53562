// What this process sends to Data Cloud's tenant endpoint stays within Data Cloud's own limits
// ("API Limits for Profile, Query, and Calculated Insights": on limit-based editions 15
// concurrent Query API requests, 1,000 Query API calls a day, 10,000–50,000 Profile API calls a
// day; above any of them Data Cloud answers 429):
//   https://developer.salesforce.com/docs/atlas.en-us.244.0.c360a_api.meta/c360a_api/c360a_api_limits.htm
//   https://developer.salesforce.com/docs/atlas.en-us.240.0.c360a_api.meta/c360a_api/c360a_api_queryservices_statuscodes.htm
//
// - Concurrency: at most DATA_CLOUD_MAX_CONCURRENCY calls in progress per process (Query and Data
//   Graph API together); the others wait their turn here instead of being refused there. The
//   org's limit is shared by every client of the org and every replica: the setting is this
//   process's share.
// - Exhaustion: a call Data Cloud still answered 429 (after the retries callUpstream allows)
//   closes that API here for Retry-After, or DATA_CLOUD_THROTTLE_COOLDOWN_MS when it sends none
//   (the 429's headers are not documented), whichever is longer. Meanwhile every call of that API
//   fails at once with the same 429 UpstreamError — RATE_LIMITED to the client — and nothing is
//   sent: a spent daily allowance costs no further calls until it renews.
import pLimit from 'p-limit';
import { UpstreamError } from '../../lib/errors.js';

/** The tenant-endpoint API classes that have their own allowance. */
export type DataCloudApi = 'query' | 'dataGraph';

export class DataCloudGate {
  private readonly slots: ReturnType<typeof pLimit>;
  private readonly closedUntil: Record<DataCloudApi, number> = { query: 0, dataGraph: 0 };

  constructor(
    maxConcurrency: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = pLimit(Math.max(1, maxConcurrency));
  }

  /** Calls in progress / waiting for a slot (observability and tests). */
  get active(): number {
    return this.slots.activeCount;
  }

  get waiting(): number {
    return this.slots.pendingCount;
  }

  /** Until when (epoch ms) `api` is closed after a 429; 0 when open. */
  closedUntilOf(api: DataCloudApi): number {
    return this.closedUntil[api] > this.now() ? this.closedUntil[api] : 0;
  }

  /** Runs one tenant-endpoint call of `api` within the bound, unless that API is closed. */
  async run<T>(api: DataCloudApi, call: () => Promise<T>): Promise<T> {
    this.refuseIfClosed(api);
    return this.slots(async () => {
      // It may have closed while this call waited for its slot.
      this.refuseIfClosed(api);
      try {
        return await call();
      } catch (err) {
        if (err instanceof UpstreamError && err.status === 429) {
          const wait = Math.max((err.retryAfterSeconds ?? 0) * 1000, this.cooldownMs);
          this.closedUntil[api] = Math.max(this.closedUntil[api], this.now() + wait);
        }
        throw err;
      }
    });
  }

  private refuseIfClosed(api: DataCloudApi): void {
    const until = this.closedUntilOf(api);
    if (!until) return;
    throw new UpstreamError(
      'datacloud',
      429,
      'LIMITED_HERE',
      `datacloud ${api === 'query' ? 'Query API' : 'Data Graph API'} not called: it answered 429 and stays closed until ${new Date(until).toISOString()}`,
      false,
      Math.ceil((until - this.now()) / 1000),
    );
  }
}

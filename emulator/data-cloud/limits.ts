// Data Cloud's own API limits on the tenant endpoint: a daily allowance per API class and a cap
// on concurrent requests, as Salesforce documents them for limit-based Data Cloud editions
// ("API Limits for Profile, Query, and Calculated Insights"):
//   https://developer.salesforce.com/docs/atlas.en-us.244.0.c360a_api.meta/c360a_api/c360a_api_limits.htm
//   | Edition                         | Profile API / day | Query + Insights API / day | concurrent |
//   | Corporate                       | 10,000            | 1,000                      | 15         |
//   | Enterprise / Enterprise Plus    | 50,000            | 1,000                      | 15         |
//   | any edition on a Developer org  | 1,000             | 100                        | 15         |
// ("These limits don't apply to new Data Cloud orgs", which pay per use instead.) The defaults
// here are the Enterprise column. Above the concurrency the Query API answers 429 ("Query API V1
// and Query API V2 support up to 15 concurrent requests", Query Services Status Codes:
//   https://developer.salesforce.com/docs/atlas.en-us.240.0.c360a_api.meta/c360a_api/c360a_api_queryservices_statuscodes.htm
// whose 429 reads "Too many requests were made in a given time period" — the status the emulator
// also answers when a daily allowance is spent).
//
// UNCONFIRMED, and chosen so the product never depends on them: which allowance the Data Graph
// API draws on (here: the Profile API's, the other per-record lookup API), the errorCode of a
// Data Cloud 429 (here REQUEST_LIMIT_EXCEEDED for the daily allowance, TOO_MANY_REQUESTS for
// concurrency), and Retry-After (here sent with the daily 429: seconds to the next UTC day).
// Metadata reads count against neither. A day is a UTC day of the emulator's clock.
import type { NextFunction, Request, Response } from 'express';
import type { EmulatorClock } from '../core/clock.js';
import { sendDataCloudError } from '../core/error-bodies.js';

export type DataCloudApi = 'query' | 'profile';

export interface DataCloudApiLimit {
  /** Calls per UTC day (Infinity: unlimited). */
  daily: number;
  /** Requests in progress at once (Infinity: unlimited). */
  concurrency: number;
}

export type DataCloudLimitSettings = Record<DataCloudApi, DataCloudApiLimit>;

/** The Enterprise edition's limits (table above); the Profile API's concurrency is not documented. */
export const DOCUMENTED_LIMITS: DataCloudLimitSettings = {
  query: { daily: 1_000, concurrency: 15 },
  profile: { daily: 50_000, concurrency: Infinity },
};

const DAY_MS = 86_400_000;

/** The API class of a tenant-endpoint path (below /datacloud), or undefined when none counts. */
export function apiOf(path: string): DataCloudApi | undefined {
  if (/\/metadata(\/|$)/.test(path)) return undefined;
  if (/^\/api\/v\d+\/(query|insight)(\/|$)/.test(path)) return 'query';
  if (/^\/api\/v1\/(profile|dataGraph)(\/|$)/.test(path)) return 'profile';
  return undefined;
}

export class DataCloudLimits {
  private settings: DataCloudLimitSettings;
  private readonly used: Record<DataCloudApi, number> = { query: 0, profile: 0 };
  private readonly inFlight: Record<DataCloudApi, number> = { query: 0, profile: 0 };
  private day: number;

  constructor(
    private readonly clock: EmulatorClock,
    settings: Partial<Record<DataCloudApi, Partial<DataCloudApiLimit>>> = {},
  ) {
    this.settings = merge(DOCUMENTED_LIMITS, settings);
    this.day = this.today();
  }

  private today(): number {
    return Math.floor(this.clock.now() / DAY_MS);
  }

  private roll(): void {
    const today = this.today();
    if (today !== this.day) {
      this.day = today;
      this.used.query = this.used.profile = 0;
    }
  }

  /** Limits and today's usage per API (the test hook GET /__emulator/limits). */
  snapshot() {
    this.roll();
    const one = (api: DataCloudApi) => ({
      daily: finite(this.settings[api].daily),
      used: this.used[api],
      concurrency: finite(this.settings[api].concurrency),
      inFlight: this.inFlight[api],
    });
    return { query: one('query'), profile: one('profile') };
  }

  /** New limits (unset fields keep theirs; null: unlimited), optionally today's usage too. */
  configure(
    next: Partial<Record<DataCloudApi, Partial<DataCloudApiLimit> & { used?: number }>>,
  ): void {
    this.roll();
    this.settings = merge(this.settings, next);
    for (const api of ['query', 'profile'] as const)
      if (next[api]?.used !== undefined) this.used[api] = Number(next[api]!.used);
  }

  /** Today's usage back to 0, and the documented limits unless `keepSettings`. */
  reset(keepSettings = true): void {
    if (!keepSettings) this.settings = merge(DOCUMENTED_LIMITS, {});
    this.used.query = this.used.profile = 0;
    this.day = this.today();
  }

  /**
   * Express middleware for the tenant endpoint, before anything else answers (a call the router
   * will refuse for its token passes uncounted): counts the call in
   * progress (res.locals.dataCloudInFlight: how many calls of its API were in progress when it
   * arrived, itself included — the call log records it), refuses it with 429 above the
   * concurrency, then spends one call of today's allowance or refuses it with 429.
   */
  middleware(authorized: (req: Request) => boolean) {
    return (req: Request, res: Response, next: NextFunction) => {
      const api = apiOf(req.path);
      // A call without a valid token is refused (401) before it counts.
      if (!api || !authorized(req)) return next();
      this.roll();
      const inFlight = ++this.inFlight[api];
      res.locals.dataCloudInFlight = inFlight;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        this.inFlight[api]--;
      };
      res.on('finish', release);
      res.on('close', release);
      const limit = this.settings[api];
      if (inFlight > limit.concurrency)
        return sendDataCloudError(
          res,
          429,
          'TOO_MANY_REQUESTS',
          `Too many concurrent requests: the ${label(api)} accepts ${limit.concurrency} at a time.`,
        );
      if (this.used[api] >= limit.daily) {
        const nextDay = (this.day + 1) * DAY_MS;
        res.setHeader('Retry-After', String(Math.ceil((nextDay - this.clock.now()) / 1000)));
        return sendDataCloudError(
          res,
          429,
          'REQUEST_LIMIT_EXCEEDED',
          `The ${label(api)} daily limit of ${limit.daily} calls is exceeded.`,
        );
      }
      this.used[api]++;
      next();
    };
  }
}

const label = (api: DataCloudApi) =>
  api === 'query' ? 'Query API' : 'Profile API (with the Data Graph API)';

const finite = (n: number) => (Number.isFinite(n) ? n : null);

function merge(
  base: DataCloudLimitSettings,
  over: Partial<Record<DataCloudApi, Partial<Record<keyof DataCloudApiLimit, number | null>>>>,
): DataCloudLimitSettings {
  const one = (api: DataCloudApi): DataCloudApiLimit => {
    const o = over[api] ?? {};
    const pick = (k: keyof DataCloudApiLimit) =>
      o[k] === undefined ? base[api][k] : o[k] === null ? Infinity : Number(o[k]);
    return { daily: pick('daily'), concurrency: pick('concurrency') };
  };
  return { query: one('query'), profile: one('profile') };
}

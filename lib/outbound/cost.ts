// Cost stage: every attempt that reached the transport is metered (lib/upstream-cost.ts) —
// status (0: no answer), time, the upstream's own code, retry, and Salesforce's API usage from
// `Sforce-Limit-Info` — so `extensions.upstreamCost` counts calls, not logical requests.
import { parseLimitInfo } from '../observability/upstream-observer.js';
import type { UpstreamCost } from '../upstream-cost.js';
import type { UpstreamFamily } from '../errors.js';
import type { OutboundResponse, Stage } from './pipeline.js';

export interface CostOptions {
  endpoint: string;
  /** Statuses that are a normal answer, not a failure (not logged as one). */
  expected?: number[];
  codeOf?: (res: OutboundResponse) => Promise<string | undefined>;
  now?: () => number;
}

export function cost(meter: UpstreamCost | undefined, o: CostOptions): Stage | undefined {
  if (!meter) return undefined;
  const now = o.now ?? (() => performance.now());
  return (next) => async (call) => {
    const family = call.target as UpstreamFamily;
    const seen = (status: number, started: number, upstreamCode?: string) =>
      meter.call({
        family,
        method: call.method,
        endpoint: o.endpoint,
        status,
        ms: now() - started,
        upstreamCode,
        retry: call.retry ?? false,
        ...(o.expected?.includes(status) ? { expected: true } : {}),
      });
    const started = now();
    let res;
    try {
      res = await next(call);
    } catch (err) {
      seen(0, started);
      throw err;
    }
    seen(res.status, started, res.status >= 400 ? await o.codeOf?.(res) : undefined);
    const usage = parseLimitInfo(res.headers.get('sforce-limit-info'));
    if (usage) meter.observer?.apiUsage(family, usage[0], usage[1]);
    return res;
  };
}

// What the upstream HTTP path reports about each Salesforce call, for metrics and logs. The
// observer rides on the request's UpstreamCost, which every client already receives, so no
// subgraph needs wiring of its own.
import type { UpstreamFamily } from '../errors.js';

export interface UpstreamCall {
  family: UpstreamFamily;
  method: string;
  /** The path with ids replaced by placeholders (bounded cardinality). */
  endpoint: string;
  /** HTTP status, 0 when no answer arrived. */
  status: number;
  ms: number;
  /** Salesforce's own error code, when it sent one. */
  upstreamCode?: string;
  /** This was a retry of a call that failed transiently. */
  retry: boolean;
  /** The status is one the caller expects in normal operation (not a failure to log). */
  expected?: boolean;
}

export interface UpstreamObserver {
  call(c: UpstreamCall): void;
  /** The org's daily API allowance from `Sforce-Limit-Info: api-usage=used/max`. */
  apiUsage(family: UpstreamFamily, used: number, max: number): void;
}

const ID_SEGMENT =
  /^(?:[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}|\d+|[0-9a-f-]{32,36}|[A-Za-z0-9_-]{24,}|v\d+\.\d+)$/;

/** `/services/data/v62.0/sobjects/Case/500Hu…` → `/services/data/{v}/sobjects/Case/{id}`. */
export function endpointTemplate(url: string): string {
  const { pathname } = new URL(url);
  return pathname
    .split('/')
    .map((seg) => {
      if (/^v\d+\.\d+$/.test(seg)) return '{v}';
      if (!seg || !ID_SEGMENT.test(seg)) return seg;
      // Known words of the APIs stay (e.g. "sobjects" is not an id even if it matched).
      return /^[a-z_]+$/.test(seg) ? seg : '{id}';
    })
    .join('/');
}

/** `api-usage=18/15000` → [18, 15000]. */
export function parseLimitInfo(header: string | null): [number, number] | null {
  const m = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

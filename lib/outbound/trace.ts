// Trace stage: a CLIENT span per attempt (lib/observability/tracing.ts), its context sent along
// in the call's headers, ended with the answer's status (0: none) and the upstream's own code.
import {
  endUpstreamSpan,
  injectTraceHeaders,
  startUpstreamSpan,
} from '../observability/tracing.js';
import type { OutboundResponse, Stage } from './pipeline.js';

export interface TraceOptions {
  endpoint: string;
  /** The upstream's own error code in a failed answer. */
  codeOf?: (res: OutboundResponse) => Promise<string | undefined>;
}

export function trace(o: TraceOptions): Stage {
  return (next) => async (call) => {
    const span = startUpstreamSpan({
      family: call.target,
      method: call.method,
      endpoint: o.endpoint,
      retry: call.retry ?? false,
    });
    const headers = { ...call.headers };
    injectTraceHeaders((k, v) => (headers[k] = v));
    let res;
    try {
      res = await next({ ...call, headers });
    } catch (err) {
      endUpstreamSpan(span, 0);
      throw err;
    }
    endUpstreamSpan(span, res.status, res.status >= 400 ? await o.codeOf?.(res) : undefined);
    return res;
  };
}

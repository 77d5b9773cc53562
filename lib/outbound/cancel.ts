// Cancellation stage: a call is not started for a client that went away, and one in flight is
// aborted when it goes (the request's signal, lib/upstream-http.ts requestSignal). The failure is
// typed REQUEST_CANCELLED when the signal's reason says the client went away, DEADLINE_EXCEEDED
// for any other abort of the caller's signal.
import { CutOff, UpstreamError } from '../errors.js';
import type { Stage } from './pipeline.js';

export function cancel(signal: AbortSignal | undefined): Stage {
  return (next) => async (call) => {
    if (signal?.aborted) throw cutOff(call.target, signal.reason);
    try {
      return await next({ ...call, signal });
    } catch (err) {
      // An answer that arrived is the answer; only a call left without one is the client's.
      if (signal?.aborted && !(err instanceof UpstreamError && err.status > 0))
        throw cutOff(call.target, signal.reason);
      throw err;
    }
  };
}

function cutOff(target: Parameters<typeof UpstreamError.cancelled>[0], why: unknown) {
  return (why as Error | undefined)?.name === CutOff.CANCELLED
    ? UpstreamError.cancelled(target, `${target} call cancelled: the client went away`)
    : UpstreamError.deadline(target, `${target} call cut: the request's deadline passed`);
}

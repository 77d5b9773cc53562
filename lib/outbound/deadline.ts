// Deadline stage: no call starts after the request's deadline (absolute epoch ms) and none
// outlives it — each attempt's timeout is min(its own, time left), enforced by a timer signal
// (lib/abort.ts) chained to the caller's. A timeout is typed here: UPSTREAM_TIMEOUT, with
// DEADLINE_EXCEEDED when it was the deadline, not the call's own timeout, that cut it.
import { callSignal } from '../abort.js';
import { UpstreamError } from '../errors.js';
import { isAbort, type Stage } from './pipeline.js';

export function deadline(at: number | undefined, now: () => number = Date.now): Stage {
  return (next) => async (call) => {
    const left = at === undefined ? Infinity : at - now();
    if (left <= 0)
      throw UpstreamError.deadline(
        call.target,
        `${call.target} not called: the request's deadline has passed`,
      );
    const timeoutMs = Math.min(call.timeoutMs, left);
    const byDeadline = timeoutMs < call.timeoutMs;
    const timer = callSignal(timeoutMs, call.signal);
    try {
      return await next({ ...call, timeoutMs, signal: timer.signal });
    } catch (err) {
      // The caller's own abort (the client went away) is the cancel stage's to name.
      if (call.signal?.aborted || !isAbort(err)) throw err;
      throw byDeadline
        ? UpstreamError.deadline(
            call.target,
            `${call.target} call cut: the request's deadline passed`,
          )
        : UpstreamError.timeout(
            call.target,
            `${call.target} did not answer within ${timeoutMs} ms`,
          );
    } finally {
      timer.done();
    }
  };
}

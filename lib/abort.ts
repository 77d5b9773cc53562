// One call's abort signal: its own timeout, and the request's signal (the client went away).
//
// Why not `AbortSignal.any([AbortSignal.timeout(ms), parent])`: on Node 20 neither the timeout
// signal (its timer holds it weakly) nor the composite (its sources hold it weakly) is strongly
// reachable once handed to fetch, and undici's Request follows the signal through a WeakRef
// (nodejs/node#55428, nodejs/undici#4984). After a garbage collection the fetch is no longer
// connected to its timeout, and a call to a hung peer never ends — the fault suite saw exactly
// that against a SIGSTOPped subgraph. Here the timer's closure holds the controller strongly
// until the timeout fires or `done()` is called.

export interface CallSignal {
  readonly signal: AbortSignal;
  /** The call has settled (answer read, or failed): stop the timer, let go of the parent. */
  done(): void;
}

export function callSignal(timeoutMs: number, parent?: AbortSignal): CallSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')),
    timeoutMs,
  );
  timer.unref?.();
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

// Scope-bound cleanup for what a test opens by hand: `await using` closes it however the test
// ends (an assertion that throws included), as test/harness.ts's servers do.
import type { RequestListener } from 'node:http';
import { listen, type HttpTimeouts, type Listening } from '../../lib/http.js';

/**
 * `handler` (an app, a stand-in for a service, a recording server) listening on port 0 of
 * 127.0.0.1, with `timeouts` when a test needs its own; closed when the scope ends.
 */
export async function listenDisposable(
  handler: RequestListener,
  timeouts?: HttpTimeouts,
): Promise<Listening & AsyncDisposable> {
  const up = await listen(handler, 0, '127.0.0.1', timeouts);
  const closeOnce = up.close.bind(up);
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= closeOnce());
  return Object.assign(up, { close, [Symbol.asyncDispose]: close });
}

/** Runs `undo` when the scope ends, however it ends: `await using _ = deferred(() => …)`. */
export function deferred(undo: () => Promise<unknown> | unknown): AsyncDisposable {
  return {
    [Symbol.asyncDispose]: async () => {
      await undo();
    },
  };
}

// The suite's one polling helper. A test that must wait for a state it cannot subscribe to (a
// socket count, a Redis key, a call-log entry) polls it here — never with a hand-written
// `while (!x) await sleep(10)` and never with a fixed sleep. The poll is bounded by a share of the
// suite's time budget (test/support/budget.ts), so a loaded machine only makes it slower, and a
// condition that never holds fails with a message naming what was awaited.
import { budget } from './budget.js';

export interface WaitForOptions {
  /** What is awaited, for the failure message ("the case subgraph's sockets to close"). */
  what: string;
  /** Upper bound; default half the test budget, so the test can still report. */
  timeoutMs?: number;
  /** Pause between polls; default 10 ms. Not a timing assumption: only how often to look. */
  intervalMs?: number;
  /**
   * 'throw' (default): a condition that never holds fails the test. 'return': resolves `false`
   * instead — for teardown waits, which are best effort and must not mask the test's own result.
   */
  onTimeout?: 'throw' | 'return';
}

export class WaitForTimeout extends Error {
  constructor(what: string, ms: number, last?: unknown) {
    super(
      `Timed out after ${ms} ms waiting for ${what}` +
        (last instanceof Error ? ` (last error: ${last.message})` : ''),
    );
    this.name = 'WaitForTimeout';
  }
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `condition` (sync or async) until it returns a truthy value, and resolves with it.
 * A condition that throws counts as "not yet" (its last error is quoted on timeout).
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions & { onTimeout: 'return' },
): Promise<T | false>;
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<NonNullable<T>>;
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { what, timeoutMs = budget(0.5), intervalMs = 10, onTimeout = 'throw' }: WaitForOptions,
): Promise<T | false> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      if (onTimeout === 'return') return false;
      throw new WaitForTimeout(what, timeoutMs, lastError);
    }
    await pause(intervalMs);
  }
}

// The sequential upstream round trips on a request's critical path, from the emulator's call
// log: the longest chain of calls in which each starts after the one before it ended. With the
// emulator's `settle` fault on every call (a wave's calls answered together), this counts waves,
// not milliseconds.
import type { CallRecord } from '../../emulator/core/call-log.js';

/**
 * The quiet period of the emulator's `settle` fault when hops are measured (`npm run cost:table`,
 * the e2e hop tests): every call is held until no call has arrived for this long, then the held
 * calls are answered together. The calls of one wave therefore all start before any of them ends,
 * however slowly a loaded machine sends them (100 concurrent SCAPI calls take this one-process
 * stack 100–200 ms of CPU, several times that beside other work), and a call that needed an
 * answer starts after it: the chain counts waves, not the machine's speed. Only a gap of this
 * length between two calls of one wave would split it.
 */
export const HOP_LATENCY_MS = 300;

export function criticalPathHops(records: readonly CallRecord[], toleranceMs = 1): number {
  const calls = records
    .map((c) => {
      const end = Date.parse(c.at);
      return { start: end - c.durationMs, end };
    })
    .sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  calls.forEach((c, i) => {
    let best = 0;
    for (let j = 0; j < i; j++)
      if (calls[j].end <= c.start + toleranceMs) best = Math.max(best, depth[j]);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

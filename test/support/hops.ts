// The sequential upstream round trips on a request's critical path, from the emulator's call
// log: the longest chain of calls in which each starts after the one before it ended. With a
// fixed latency injected on every call (so calls of one wave overlap), this counts waves, not
// milliseconds.
import type { CallRecord } from '../../emulator/core/call-log.js';

/**
 * The latency injected on every emulator call when hops are measured (`npm run cost:table`, the
 * e2e hop tests). A wave is only a hop when the latency outlasts the time this one-process
 * stack (gateway, four subgraphs and emulator on one thread) needs to send and answer a wave's
 * calls: 100 concurrent SCAPI calls take it ~100–200 ms of CPU, so at 40 ms their arrivals
 * straggle past the first answers and the chain counts CPU queueing as extra "hops" (6–9 for
 * SegmentMembers(first: 100) where the calls take 2 waves). At 300 ms the count is the waves'.
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

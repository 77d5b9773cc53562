// The sequential upstream round trips on a request's critical path, from the emulator's call
// log: the longest chain of calls in which each starts after the one before it ended. With a
// fixed latency injected on every call (so calls of one wave overlap), this counts waves, not
// milliseconds.
import type { CallRecord } from '../../emulator/core/call-log.js';

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

// The suite's one time budget: jest's `testTimeout` (jest.config.cjs). Every wait inside a test —
// a child process's exit, a server's start, an event to arrive — is a share of it, so no wait
// fails before the test itself would, and one number scales them all for a slower machine.
// Waits are for events (a line on stdout, an exit, a message); the budget only bounds them.
import { createRequire } from 'node:module';

// import.meta.url: this module is loaded by jest and, through test/harness.ts, by tsx scripts (ESM).
const require = createRequire(import.meta.url);

/** jest.config.cjs's testTimeout, in milliseconds. */
export const TEST_BUDGET_MS: number = (require('../../jest.config.cjs') as { testTimeout: number })
  .testTimeout;

/** `share` (0 < share ≤ 1) of the budget: a bound for one wait that must leave the test time to report. */
export function budget(share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError('share must be in (0, 1]');
  return Math.floor(TEST_BUDGET_MS * share);
}

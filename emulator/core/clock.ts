// The emulator's one clock. Every expiry window the emulator decides (tokens, authorization
// codes, query locators, Data Cloud batches, the TSOB login window) reads it, so a test moves
// time with `advance` instead of sleeping or mocking Date.now, and a slow machine cannot move
// a window under a test's feet once the clock is frozen.
export class EmulatorClock {
  private frozenAt: number | undefined;
  private offsetMs = 0;

  /** Milliseconds since the epoch: the wall clock, moved by `advance`, or the frozen instant. */
  now(): number {
    return (this.frozenAt ?? Date.now()) + this.offsetMs;
  }

  /** Stops the clock at its current reading (or at `at`); only `advance` moves it from here. */
  freeze(at: number = this.now()): void {
    this.frozenAt = at;
    this.offsetMs = 0;
  }

  /** Moves the clock forward (frozen or not). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('The emulator clock only moves forward.');
    this.offsetMs += ms;
  }

  /** Back to the wall clock. */
  reset(): void {
    this.frozenAt = undefined;
    this.offsetMs = 0;
  }
}

// The `settle` fault (emulator/core/faults.ts): a wave of calls is answered together once no call
// has arrived for its quiet period, however spread out their arrivals were. Fake timers: no test
// here waits on the clock.
import type { NextFunction, Request, Response } from 'express';
import { FaultInjector } from '../core/faults.js';

afterEach(() => jest.useRealTimers());

function arrive(mw: ReturnType<FaultInjector['middleware']>, path: string) {
  const released = jest.fn() as unknown as NextFunction & jest.Mock;
  mw({ method: 'GET', path } as Request, {} as Response, released);
  return released;
}

test('calls are held while others keep arriving, then released together', () => {
  jest.useFakeTimers();
  const faults = new FaultInjector(() => {});
  faults.add({ kind: 'settle', latencyMs: 300 });
  const mw = faults.middleware('scapi');
  const first = arrive(mw, '/a');
  jest.advanceTimersByTime(250);
  const second = arrive(mw, '/b'); // 250 ms later: the quiet period starts again
  jest.advanceTimersByTime(250);
  expect(first).not.toHaveBeenCalled();
  expect(second).not.toHaveBeenCalled();
  jest.advanceTimersByTime(50);
  expect(first).toHaveBeenCalledTimes(1);
  expect(second).toHaveBeenCalledTimes(1);
  // The next call starts a new wave.
  const third = arrive(mw, '/c');
  expect(third).not.toHaveBeenCalled();
  jest.advanceTimersByTime(300);
  expect(third).toHaveBeenCalledTimes(1);
});

test('reset answers what is held', () => {
  jest.useFakeTimers();
  const faults = new FaultInjector(() => {});
  faults.add({ kind: 'settle', latencyMs: 300 });
  const held = arrive(faults.middleware('crm'), '/x');
  faults.reset();
  expect(held).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(1000);
  expect(held).toHaveBeenCalledTimes(1);
});

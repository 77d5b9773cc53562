// Single flight: callers share an answer only while its call is in flight. A refresh token is
// spent by its refresh, so an answer kept after would hand the new tokens to a late replay.
import { KeyedFlight } from '../keyed-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('ten callers while the call is in flight share one call and one answer', async () => {
  const flight = new KeyedFlight<{ token: string } | null>();
  const gate = deferred<{ token: string }>();
  let calls = 0;
  const answers = Array.from({ length: 10 }, () =>
    flight.run('refresh-1', () => {
      calls++;
      return gate.promise;
    }),
  );
  gate.resolve({ token: 'new' });
  const got = await Promise.all(answers);
  expect(calls).toBe(1);
  expect(new Set(got).size).toBe(1);
});

test('a caller arriving after the call completed makes its own call (nothing remembered)', async () => {
  const flight = new KeyedFlight<{ token: string } | null>();
  let calls = 0;
  const fn = () => Promise.resolve({ token: `answer-${++calls}` });
  expect(await flight.run('refresh-1', fn)).toEqual({ token: 'answer-1' });
  expect(await flight.run('refresh-1', fn)).toEqual({ token: 'answer-2' });
  expect(calls).toBe(2);
});

test('with rememberMs a completed answer is reused (non-secret answers, e.g. a catalogue)', async () => {
  const flight = new KeyedFlight<{ n: number }>({ rememberMs: 60_000 });
  let calls = 0;
  const fn = () => Promise.resolve({ n: ++calls });
  await flight.run('k', fn);
  expect(await flight.run('k', fn)).toEqual({ n: 1 });
  expect(calls).toBe(1);
});

// The queue behind Subscription.caseUpdated and Subscription.citizenUpdated
// (change-subscription.ts): items in order, skipped when their value is null, the oldest dropped
// past the bound, and ending the iterator unsubscribes from the hub.
import { changeSubscription } from '../change-subscription.js';

function source() {
  let push: ((n: number) => void) | undefined;
  let offs = 0;
  return {
    subscribe: (p: (n: number) => void) => {
      push = p;
      return () => void offs++;
    },
    push: (n: number) => push!(n),
    offs: () => offs,
  };
}

test('items in order, null values skipped, waits for the next item', async () => {
  const s = source();
  const it = changeSubscription(s.subscribe, async (n: number) => (n % 2 ? { n } : null));
  s.push(1);
  s.push(2);
  s.push(3);
  expect(await it.next()).toEqual({ done: false, value: { n: 1 } });
  expect(await it.next()).toEqual({ done: false, value: { n: 3 } });
  const next = it.next();
  s.push(5);
  expect(await next).toEqual({ done: false, value: { n: 5 } });
});

test('past the bound the oldest items are dropped; return() unsubscribes and ends', async () => {
  const s = source();
  const it = changeSubscription(s.subscribe, (n: number) => n, 2);
  s.push(1);
  s.push(2);
  s.push(3);
  expect(await it.next()).toEqual({ done: false, value: 2 });
  expect(await it.next()).toEqual({ done: false, value: 3 });
  const waiting = it.next();
  await it.return!();
  expect(s.offs()).toBe(1);
  expect(await waiting).toEqual({ done: true, value: undefined });
  expect(await it.next()).toEqual({ done: true, value: undefined });
});

// A GraphQL subscription over a change-event hub (lib/salesforce/event-hub.ts): the changes a
// subscriber has not taken yet wait in a bounded queue (the oldest dropped past `maxQueued`, one
// slow subscriber holds no memory hostage), and each is turned into the subscription's value when
// it is taken — or skipped (null) when this subscriber may not see it. Ending the iterator (the
// client stops, the socket closes) unsubscribes from the hub. Used by Subscription.caseUpdated
// (subgraphs/case/case-updated.ts) and Subscription.citizenUpdated
// (subgraphs/customer/citizen-updated.ts).

/** Most changes held for one slow subscriber before the oldest are dropped. */
export const MAX_QUEUED = 1000;

/**
 * `subscribe(push)` starts listening (returns the unsubscribe); `toValue` turns a queued item into
 * the value handed out, or null to skip it.
 */
export function changeSubscription<Item, Value>(
  subscribe: (push: (item: Item) => void) => () => void,
  toValue: (item: Item) => Value | null | Promise<Value | null>,
  maxQueued = MAX_QUEUED,
): AsyncIterableIterator<Value> {
  const queue: Item[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const off = subscribe((item) => {
    queue.push(item);
    if (queue.length > maxQueued) queue.shift();
    wake?.();
  });
  const finish = () => {
    done = true;
    off();
    wake?.();
  };
  const iterator: AsyncIterableIterator<Value> = {
    async next() {
      for (;;) {
        if (done) return { done: true, value: undefined };
        if (!queue.length) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
          continue;
        }
        const value = await toValue(queue.shift()!);
        if (value !== null) return { done: false, value };
      }
    },
    async return() {
      finish();
      return { done: true, value: undefined };
    },
    async throw(err) {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

// The generic change-event hub (event-hub.ts) without a network: a stand-in PubSubSubscriber
// hands it events as the Pub/Sub API decodes them. Changes reach subscribers in arrival order,
// after the before-delivery steps (awaited; a hung listener is bounded by an injected timer, so
// no test waits on a real timeout), a lost replay reaches them, and the local stream of each
// topic opens once, on first use.
import { EventHub, type StartTimer } from '../event-hub.js';
import type { PubSubEvent, PubSubSubscriber } from '../pubsub-subscriber.js';

const A = '/event/A__e';
const B = '/event/B__e';

interface Change {
  id: string;
}

function fakeSubscriber() {
  const streams = new Map<string, { deliver: (e: PubSubEvent) => void; lost?: () => void }>();
  const opened: string[] = [];
  let closed = 0;
  const subscriber = {
    subscribe: (topic: string, deliver: (e: PubSubEvent) => void, lost?: () => void) => {
      opened.push(topic);
      streams.set(topic, { deliver, lost });
      return () => streams.delete(topic);
    },
    close: () => void closed++,
  } as unknown as PubSubSubscriber;
  return {
    subscriber,
    opened,
    closed: () => closed,
    publish: (topic: string, ...ids: string[]) =>
      streams.get(topic)!.deliver({
        topic,
        id: ids.join(','),
        replayId: 1n,
        schema: {} as PubSubEvent['schema'],
        payload: { ids },
        changedFields: [],
      }),
    lose: (topic: string) => streams.get(topic)!.lost!(),
  };
}

const decode = (e: PubSubEvent): Change[] => (e.payload.ids as string[]).map((id) => ({ id }));

/** A timer the test fires itself. */
function manualTimer() {
  const pending: Array<{ ms: number; fire: () => void }> = [];
  const start: StartTimer = (ms, onTimeout) => {
    const t = { ms, fire: onTimeout };
    pending.push(t);
    return () => void pending.splice(pending.indexOf(t) >>> 0, 1);
  };
  return { start, pending };
}

test('the local stream of each topic opens once, on first use', async () => {
  const f = fakeSubscriber();
  const hub = new EventHub<Change>({ subscriber: f.subscriber, topics: [A, B], decode });
  expect(f.opened).toEqual([]);
  hub.listen(() => undefined);
  hub.listen(() => undefined);
  hub.onChange(() => undefined);
  expect(f.opened).toEqual([A, B]);
  await hub.close();
  expect(f.closed()).toBe(1);
  // An onChange listener is a first use too.
  const g = fakeSubscriber();
  const other = new EventHub<Change>({ subscriber: g.subscriber, topics: [A], decode });
  other.onChange(() => undefined);
  expect(g.opened).toEqual([A]);
});

test('changes reach every subscriber in arrival order, shared once per change', () => {
  const f = fakeSubscriber();
  let shares = 0;
  const hub = new EventHub<Change, { id: string; n: number }>({
    subscriber: f.subscriber,
    topics: [A, B],
    decode,
    share: (c) => ({ ...c, n: ++shares }),
  });
  const one: string[] = [];
  const two: Array<{ id: string; n: number }> = [];
  hub.listen((c) => one.push(c.id));
  const off = hub.listen((c) => two.push(c));
  f.publish(A, '1', '2');
  f.publish(B, '3');
  off();
  f.publish(A, '4');
  expect(one).toEqual(['1', '2', '3', '4']);
  expect(two.map((c) => c.id)).toEqual(['1', '2', '3']);
  expect(shares).toBe(4);
  // Both subscribers got the same shared object.
  expect(two[0].n).toBe(1);
});

test('the beforeDelivery step is awaited before any subscriber, events stay in order', async () => {
  const f = fakeSubscriber();
  const order: string[] = [];
  const held = new Map<string, () => void>();
  const hub = new EventHub<Change>({
    subscriber: f.subscriber,
    topics: [A],
    decode,
    beforeDelivery: (changes) => {
      const ids = changes.map((c) => c.id).join(',');
      order.push(`before ${ids}`);
      if (ids === '2') throw new Error('a failing step holds nothing back');
      return new Promise<void>((r) => held.set(ids, r));
    },
  });
  const delivered = new Promise<void>((resolve) =>
    hub.listen((c) => {
      order.push(`deliver ${c.id}`);
      if (c.id === '3') resolve();
    }),
  );
  f.publish(A, '1a', '1b');
  f.publish(A, '2');
  f.publish(A, '3');
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['before 1a,1b']);
  held.get('1a,1b')!();
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual([
    'before 1a,1b',
    'deliver 1a',
    'deliver 1b',
    'before 2',
    'deliver 2',
    'before 3',
  ]);
  held.get('3')!();
  await delivered;
  expect(order.at(-1)).toBe('deliver 3');
});

test('onChange listeners are awaited before subscribers; a hung one is bounded by the timeout', async () => {
  const f = fakeSubscriber();
  const timer = manualTimer();
  const logs: string[] = [];
  const hub = new EventHub<Change>({
    subscriber: f.subscriber,
    topics: [A],
    decode,
    listenerTimeoutMs: 1234,
    listenerName: 'test listeners',
    log: (m) => logs.push(m),
    startTimer: timer.start,
  });
  const order: string[] = [];
  hub.onChange(async (c) => {
    order.push(`hook ${c.id}`);
    if (c.id === '1') await new Promise<void>(() => undefined); // never settles
  });
  hub.onChange(() => {
    throw new Error('broken');
  });
  const delivered = new Promise<void>((resolve) =>
    hub.listen((c) => {
      order.push(`deliver ${c.id}`);
      if (c.id === '2') resolve();
    }),
  );
  f.publish(A, '1');
  f.publish(A, '2');
  await new Promise((r) => setImmediate(r));
  // The hung listener holds change 1 (and 2 behind it) until its timer fires.
  expect(order).toEqual(['hook 1']);
  expect(timer.pending.map((t) => t.ms)).toEqual([1234]);
  timer.pending[0].fire();
  await delivered;
  expect(order).toEqual(['hook 1', 'deliver 1', 'hook 2', 'deliver 2']);
  expect(logs).toContain('test listeners still running after 1234 ms');
  expect(logs).toContain('a test listener failed: broken');
  // Change 2's listeners all settled: its timer was cancelled.
  expect(timer.pending).toHaveLength(0);
  await hub.close();
});

test('a lost replay reaches subscribers at once without lostChange', () => {
  const f = fakeSubscriber();
  const hub = new EventHub<Change>({ subscriber: f.subscriber, topics: [A, B], decode });
  let lost = 0;
  hub.listen(
    () => undefined,
    () => void lost++,
  );
  hub.listen(() => undefined); // no lost callback
  f.lose(B);
  expect(lost).toBe(1);
});

test('with lostChange, a lost replay goes through the listeners, after earlier changes', async () => {
  const f = fakeSubscriber();
  const hub = new EventHub<Change>({
    subscriber: f.subscriber,
    topics: [A],
    decode,
    lostChange: { id: 'LOST' },
  });
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  hub.onChange(async (c) => {
    order.push(`hook ${c.id}`);
    if (c.id === '1') await held;
  });
  const lost = new Promise<void>((resolve) =>
    hub.listen(
      (c) => void order.push(`deliver ${c.id}`),
      () => {
        order.push('lost');
        resolve();
      },
    ),
  );
  f.publish(A, '1');
  f.lose(A);
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['hook 1']);
  release();
  await lost;
  expect(order).toEqual(['hook 1', 'deliver 1', 'hook LOST', 'lost']);
});

// The citizen change hub (citizen-events.ts) without a network: a stand-in subscriber hands it
// platform events as the Pub/Sub API decodes them. The onCitizenChanged listeners run, and are
// awaited, before any subscriber gets the change; a failing listener holds nothing back.
import type { PubSubEvent, PubSubSubscriber } from '../../../lib/salesforce/pubsub-subscriber.js';
import { CitizenEventHub, toCitizenChanges, type CitizenChange } from '../citizen-events.js';

const TOPIC = '/event/Citizen_Profile_Changed__e';

function fakeSubscriber() {
  let deliver: ((e: PubSubEvent) => void) | undefined;
  let lost: (() => void) | undefined;
  const subscriber = {
    subscribe: (_topic: string, l: (e: PubSubEvent) => void, onLost?: () => void) => {
      deliver = l;
      lost = onLost;
    },
    close: () => undefined,
  } as unknown as PubSubSubscriber;
  return {
    subscriber,
    publish: (payload: Record<string, unknown>) =>
      deliver!({
        topic: TOPIC,
        id: String(Math.random()),
        replayId: 1n,
        schema: {} as PubSubEvent['schema'],
        payload,
        changedFields: [],
      }),
    lose: () => lost!(),
  };
}

const event = (unifiedId: string, type = 'insight') => ({
  CreatedDate: 1_700_000_000_000,
  UnifiedIndividualId__c: unifiedId,
  ChangeType__c: type,
  ChangedFields__c: 'EngagementScore__c,BenefitEligibility__c',
  ChangedAt__c: 1_700_000_000_000,
});

test('a platform event becomes one change in graph terms', () => {
  const [c] = toCitizenChanges({ payload: event('U1', 'profile') } as unknown as PubSubEvent);
  expect(c).toEqual({
    kind: 'PROFILE_CHANGED',
    unifiedId: 'U1',
    changedFields: ['insights'],
    changedAt: new Date(1_700_000_000_000).toISOString(),
  });
  expect(toCitizenChanges({ payload: {} } as unknown as PubSubEvent)).toEqual([]);
});

test('listeners are awaited before subscribers get the change, in arrival order', async () => {
  const f = fakeSubscriber();
  const hub = new CitizenEventHub(f.subscriber, TOPIC);
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  hub.onCitizenChanged(async (c) => {
    order.push(`hook ${c.unifiedId}`);
    if (c.unifiedId === 'U1') await held;
  });
  hub.onCitizenChanged(() => {
    throw new Error('a broken listener');
  });
  const delivered = new Promise<void>((resolve) =>
    hub.listen((c: CitizenChange) => {
      order.push(`deliver ${c.unifiedId}`);
      if (c.unifiedId === 'U2') resolve();
    }),
  );
  f.publish(event('U1'));
  f.publish(event('U2'));
  // The first listener holds U1: until it is released nothing is delivered, and U2 waits behind.
  await Promise.resolve();
  expect(order).toEqual(['hook U1']);
  release();
  await delivered;
  expect(order).toEqual(['hook U1', 'deliver U1', 'hook U2', 'deliver U2']);
  await hub.close();
});

test('a lost replay reaches the listeners (unifiedId null) before the subscribers', async () => {
  const f = fakeSubscriber();
  const hub = new CitizenEventHub(f.subscriber, TOPIC);
  const order: string[] = [];
  hub.onCitizenChanged((c) => void order.push(`hook ${c.kind} ${c.unifiedId}`));
  const lost = new Promise<void>((resolve) =>
    hub.listen(
      () => undefined,
      () => {
        order.push('lost');
        resolve();
      },
    ),
  );
  f.lose();
  await lost;
  expect(order).toEqual(['hook REPLAY_LOST null', 'lost']);
  await hub.close();
});

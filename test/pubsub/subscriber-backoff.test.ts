// The subscriber's resubscribe backoff: it doubles from retryMs and stops at maxRetryMs (issue 24:
// it grew to 30 s, so a stream back after a drop caught up 11.5 s late). Read from its log
// lines, waited on one by one; no server needed (every login fails).
import { PUBSUB_PROTO_PATH } from '../../lib/salesforce/pubsub-proto.js';
import { PubSubSubscriber } from '../../lib/salesforce/pubsub-subscriber.js';
import { budget } from '../support/budget.js';

test('the wait before resubscribing doubles from PUBSUB_RETRY_MS and stops at PUBSUB_RETRY_MAX_MS', async () => {
  const waits: number[] = [];
  let notify = () => {};
  const subscriber = new PubSubSubscriber({
    url: '127.0.0.1:1',
    protoPath: PUBSUB_PROTO_PATH,
    retryMs: 5,
    maxRetryMs: 30,
    session: () => Promise.reject(new Error('no login')),
    invalidate: () => {},
    log: (m) => {
      const wait = /resubscribing in (\d+) ms/.exec(m);
      if (wait) waits.push(Number(wait[1]));
      notify();
    },
  });
  try {
    subscriber.subscribe('/data/CaseChangeEvent', () => {});
    const until = Date.now() + budget(0.2);
    while (waits.length < 6) {
      if (Date.now() > until) throw new Error(`only ${waits.length} resubscribes`);
      await new Promise<void>((r) => {
        notify = r;
        setTimeout(r, 100);
      });
    }
    expect(waits.slice(0, 6)).toEqual([5, 10, 20, 30, 30, 30]);
  } finally {
    subscriber.close();
  }
});

// What the case subgraph invalidates in the read cache for each Pub/Sub event, before delivery:
// every record of a merged event, the case's contact when the event carries it (a create, a
// reassignment), and every CRM read for gap and overflow events (what changed is unknown).
import { toCaseChanges } from '../case-events.js';
import { loadCaseConfig } from '../config.js';
import { caseChangeTags } from '../server.js';
import type { PubSubEvent } from '../../../lib/salesforce/pubsub-subscriber.js';

const config = loadCaseConfig({ NODE_ENV: 'test' }).pubsub;
const CASE_1 = '500000000000001AAA';
const CASE_2 = '500000000000002AAA';
const CONTACT = '003000000000001AAA';

const event = (payload: Record<string, unknown>, changedFields: string[] = []): PubSubEvent =>
  ({ topic: config.caseTopic, payload, changedFields }) as unknown as PubSubEvent;

test('a merged update names every record: each case is invalidated', () => {
  const changes = toCaseChanges(
    event({ ChangeEventHeader: { changeType: 'UPDATE', recordIds: [CASE_1, CASE_2] } }, ['Status']),
    config,
  );
  expect(caseChangeTags(changes)).toEqual({
    tags: [`case:${CASE_1.slice(0, 15)}`, `case:${CASE_2.slice(0, 15)}`],
    gap: false,
  });
});

test("a create carries the contact: the contact's case list is invalidated too", () => {
  const changes = toCaseChanges(
    event({ ChangeEventHeader: { changeType: 'CREATE', recordIds: [CASE_1] }, ContactId: CONTACT }),
    config,
  );
  expect(caseChangeTags(changes).tags).toEqual([
    `case:${CASE_1.slice(0, 15)}`,
    `contact:${CONTACT.slice(0, 15)}`,
  ]);
});

test('gap and overflow events purge every CRM read', () => {
  for (const changeType of ['GAP_UPDATE', 'GAP_OVERFLOW']) {
    const changes = toCaseChanges(
      event({
        ChangeEventHeader: { changeType, recordIds: changeType === 'GAP_OVERFLOW' ? [] : [CASE_1] },
      }),
      config,
    );
    const { tags, gap } = caseChangeTags(changes);
    expect({ changeType, gap, purges: tags.includes('type:crm') }).toEqual({
      changeType,
      gap: true,
      purges: true,
    });
  }
});

test('a comment event invalidates its case', () => {
  const changes = toCaseChanges(
    {
      topic: config.commentTopic,
      payload: { Case_Id__c: CASE_1, Is_Published__c: true },
      changedFields: [],
    } as unknown as PubSubEvent,
    config,
  );
  expect(caseChangeTags(changes)).toEqual({ tags: [`case:${CASE_1.slice(0, 15)}`], gap: false });
});

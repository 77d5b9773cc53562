// What the platform publishes when a CRM transaction commits:
// - /data/CaseChangeEvent: Change Data Capture for Case (Case is in "Change Event Object Support",
//   https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_object_support.htm).
//   Header fields per "ChangeEventHeader Fields"
//   (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm):
//   one transactionKey per transaction, sequenceNumber 1.. within it, commitTimestamp in epoch
//   ms, commitUser the acting user, changedFields for UPDATE only (LastModifiedDate included).
//   Body per "Change Event Body Fields": CREATE carries every field; UPDATE carries the changed
//   fields, the others null; DELETE carries none. In Pub/Sub API the changedFields/nulledFields/
//   diffFields are bitmaps of schema positions as hex strings ("Event Deserialization
//   Considerations", https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html).
// - /event/Case_Comment__e: CaseComment is NOT in the CDC object support list, so an org that
//   wants comment notifications publishes a custom Platform Event from a CaseComment trigger or
//   record-triggered flow. The emulator plays that org automation: each CaseComment insert
//   publishes Case_Comment__e { Case_Id__c, CaseComment_Id__c, Is_Published__c }.
import { randomUUID } from 'node:crypto';
import type { EmulatorClock } from '../core/clock.js';
import type { RecordChange, SObjectRecord } from '../crm/sobject-store.js';
import { objectDef } from '../crm/metadata.js';
import type { EventBus } from './event-bus.js';
import { avroPrimitive, changeEventSchema, platformEventSchema } from './schemas.js';

export const CASE_CHANGE_TOPIC = '/data/CaseChangeEvent';
export const CASE_COMMENT_TOPIC = '/event/Case_Comment__e';

export function defineTopics(bus: EventBus): void {
  bus.define(CASE_CHANGE_TOPIC, changeEventSchema('Case'), false);
  bus.define(
    CASE_COMMENT_TOPIC,
    platformEventSchema('Case_Comment__e', [
      { name: 'Case_Id__c', type: 'string' },
      { name: 'CaseComment_Id__c', type: 'string' },
      { name: 'Is_Published__c', type: 'boolean' },
    ]),
    true,
  );
}

/** Hex bitmap of schema positions, as Salesforce writes it ("0x" + upper-case hex). */
export function fieldBitmap(fieldNames: string[], set: Iterable<string>): string[] {
  let bits = 0n;
  for (const name of set) {
    const i = fieldNames.indexOf(name);
    if (i >= 0) bits |= 1n << BigInt(i);
  }
  return bits ? [`0x${bits.toString(16).toUpperCase()}`] : [];
}

const union = (type: string, v: unknown) => {
  if (v === null || v === undefined) return null;
  if (type === 'long') return { long: Date.parse(String(v)) };
  return { [type]: v };
};

export function createChangePublisher(bus: EventBus, clock: EmulatorClock) {
  let commitNumber = 0;
  return (changes: RecordChange[], userId: string) => {
    const transactionKey = randomUUID();
    const commitTimestamp = clock.now();
    commitNumber++;
    let sequenceNumber = 0;
    for (const c of changes) {
      if (c.type === 'Case') {
        const schema = bus.topic(CASE_CHANGE_TOPIC)!.schema;
        const obj = objectDef('Case')!;
        const changed =
          c.changeType === 'UPDATE' ? c.fields.filter((f) => schema.fieldNames.includes(f)) : [];
        const value: Record<string, unknown> = {
          ChangeEventHeader: {
            entityName: 'Case',
            recordIds: [c.id],
            changeType: c.changeType,
            changeOrigin: 'com/salesforce/api/rest/62.0',
            transactionKey,
            sequenceNumber: ++sequenceNumber,
            commitTimestamp,
            commitNumber,
            commitUser: userId,
            nulledFields: fieldBitmap(
              schema.fieldNames,
              changed.filter((f) => c.record[f] == null),
            ),
            diffFields: [],
            changedFields: fieldBitmap(schema.fieldNames, changed),
          },
        };
        for (const f of obj.fields) {
          if (!schema.fieldNames.includes(f.name)) continue;
          const carried =
            c.changeType === 'CREATE' || (c.changeType === 'UPDATE' && changed.includes(f.name));
          value[f.name] = carried ? union(avroPrimitive(f), c.record[f.name]) : null;
        }
        bus.publish(CASE_CHANGE_TOPIC, value);
      } else if (c.type === 'CaseComment' && c.changeType === 'CREATE') {
        sequenceNumber++;
        bus.publish(CASE_COMMENT_TOPIC, commentEvent(c.record, userId, commitTimestamp));
      }
    }
  };
}

function commentEvent(rec: SObjectRecord, userId: string, at: number) {
  return {
    CreatedDate: at,
    CreatedById: userId,
    Case_Id__c: { string: String(rec.ParentId) },
    CaseComment_Id__c: { string: rec.Id },
    Is_Published__c: { boolean: rec.IsPublished === true },
  };
}

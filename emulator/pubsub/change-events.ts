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

/** A gap event's change types (Gap Events; GAP_OVERFLOW is the overflow event). */
export type GapChangeType = 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE';

/** Changes in one transaction beyond which an entity's changes become one overflow event. */
export const CDC_OVERFLOW_THRESHOLD = 100_000;

/**
 * The platform's change publisher. `publish` runs on each committed transaction; `gap` plays a
 * change applied outside an application-server transaction (an archive or a data cleanup job in
 * the database), which Salesforce reports with a gap event; `overflowThreshold` is the
 * 100,000-change limit of one transaction (lowered in tests).
 */
export interface ChangePublisher {
  publish(changes: RecordChange[], userId: string): void;
  gap(changeType: GapChangeType, recordIds: string[], userId: string): void;
  overflowThreshold: number;
}

export function createChangePublisher(bus: EventBus, clock: EmulatorClock): ChangePublisher {
  let commitNumber = 0;
  const header = (
    transactionKey: string,
    sequenceNumber: number,
    changeType: string,
    recordIds: string[],
    userId: string,
    commitTimestamp: number,
    extra: { nulledFields?: string[]; changedFields?: string[] } = {},
  ) => ({
    entityName: 'Case',
    recordIds,
    changeType,
    changeOrigin: 'com/salesforce/api/rest/62.0',
    transactionKey,
    sequenceNumber,
    commitTimestamp,
    commitNumber,
    commitUser: userId,
    nulledFields: extra.nulledFields ?? [],
    diffFields: [],
    changedFields: extra.changedFields ?? [],
  });
  /** A change event with only its header: every record field null (gap and overflow events). */
  const headerOnly = (h: ReturnType<typeof header>) => {
    const value: Record<string, unknown> = { ChangeEventHeader: h };
    for (const f of bus.topic(CASE_CHANGE_TOPIC)!.schema.fieldNames)
      if (f !== 'ChangeEventHeader') value[f] = null;
    return value;
  };

  const publisher: ChangePublisher = {
    overflowThreshold: CDC_OVERFLOW_THRESHOLD,

    publish(changes, userId) {
      const transactionKey = randomUUID();
      const commitTimestamp = clock.now();
      commitNumber++;
      let sequenceNumber = 0;
      const schema = bus.topic(CASE_CHANGE_TOPIC)!.schema;
      const obj = objectDef('Case')!;
      // Overflow: the first `overflowThreshold` changes of the transaction are change events;
      // the rest become ONE overflow event per entity, header only, no record ids. A create,
      // delete or undelete counts one; an update counts each changed field.
      // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm
      let counted = 0;
      let overflowed = false;
      // Merged change events: the same change to several records of one object in one
      // transaction is ONE event whose recordIds lists them all ("Update of fieldA to valueA",
      // "Deletion of Account records").
      // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_merged_events.htm
      const caseEvents: Array<{
        key: string;
        change: RecordChange;
        ids: string[];
        changed: string[];
      }> = [];
      const order: Array<{ comment: RecordChange } | { caseEvent: (typeof caseEvents)[number] }> =
        [];
      for (const c of changes) {
        if (c.type === 'Case') {
          const changed =
            c.changeType === 'UPDATE' ? c.fields.filter((f) => schema.fieldNames.includes(f)) : [];
          counted += c.changeType === 'UPDATE' ? changed.length : 1;
          if (counted > publisher.overflowThreshold) {
            overflowed = true;
            continue;
          }
          const key =
            c.changeType === 'UPDATE'
              ? `UPDATE ${JSON.stringify(changed.sort().map((f) => [f, c.record[f] ?? null]))}`
              : c.changeType === 'DELETE'
                ? 'DELETE'
                : `${c.changeType} ${c.id}`;
          const same = caseEvents.find((e) => e.key === key);
          if (same) {
            same.ids.push(c.id);
            continue;
          }
          const e = { key, change: c, ids: [c.id], changed };
          caseEvents.push(e);
          order.push({ caseEvent: e });
        } else if (c.type === 'CaseComment' && c.changeType === 'CREATE') {
          order.push({ comment: c });
        }
      }
      for (const item of order) {
        if ('comment' in item) {
          sequenceNumber++;
          bus.publish(
            CASE_COMMENT_TOPIC,
            commentEvent(item.comment.record, userId, commitTimestamp),
          );
          continue;
        }
        const { change: c, ids, changed } = item.caseEvent;
        const value: Record<string, unknown> = {
          ChangeEventHeader: header(
            transactionKey,
            ++sequenceNumber,
            c.changeType,
            ids,
            userId,
            commitTimestamp,
            {
              nulledFields: fieldBitmap(
                schema.fieldNames,
                changed.filter((f) => c.record[f] == null),
              ),
              changedFields: fieldBitmap(schema.fieldNames, changed),
            },
          ),
        };
        for (const f of obj.fields) {
          if (!schema.fieldNames.includes(f.name)) continue;
          const carried =
            c.changeType === 'CREATE' || (c.changeType === 'UPDATE' && changed.includes(f.name));
          value[f.name] = carried ? union(avroPrimitive(f), c.record[f.name]) : null;
        }
        bus.publish(CASE_CHANGE_TOPIC, value);
      }
      if (overflowed)
        bus.publish(
          CASE_CHANGE_TOPIC,
          headerOnly(
            header(transactionKey, sequenceNumber + 1, 'GAP_OVERFLOW', [], userId, commitTimestamp),
          ),
        );
    },

    // Gap events: "A gap event contains information about the change in the header, such as
    // the change type and record ID. It doesn't include details about the change, such as record
    // fields"; gap events of one type in one transaction may be one event listing every id, and
    // their sequenceNumber is always 1.
    // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
    gap(changeType, recordIds, userId) {
      commitNumber++;
      bus.publish(
        CASE_CHANGE_TOPIC,
        headerOnly(header(randomUUID(), 1, changeType, recordIds, userId, clock.now())),
      );
    },
  };
  return publisher;
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

// Case changes as the Pub/Sub API delivers them, in graph terms. One PubSubSubscriber per
// subgraph process holds ONE upstream stream per topic (the Case change events and the
// comment platform event) and every `caseUpdated` subscription listens to this hub. With Redis
// one replica of the fleet consumes each topic and every replica gets its events (CaseEventHub).
import type { CrmClient } from '../../lib/salesforce/crm-client.js';
import { EventHub, type EventHubFleet } from '../../lib/salesforce/event-hub.js';
import type { PubSubEvent, PubSubSubscriber } from '../../lib/salesforce/pubsub-subscriber.js';
import type { CaseConfig } from './config.js';
import { sfId } from './ids.js';
import { createLoaders } from './loaders.js';
import type { CaseModel } from './mappers.js';

export type CaseEventKind =
  'CREATED' | 'STATUS_CHANGED' | 'COMMENT_ADDED' | 'UPDATED' | 'DELETED' | 'GAP' | 'GAP_OVERFLOW';

export interface CaseChange {
  kind: CaseEventKind;
  /** The case; null for GAP_OVERFLOW, which names no record (re-read what you follow). */
  caseId: string | null;
  /** Graph field names of Case that changed. */
  changedFields: string[];
  /** COMMENT_ADDED: was the comment published (visible to the citizen)? */
  published?: boolean;
  /** The case's contact when the event carries it (a create, a reassignment): its lists change. */
  contactId?: string;
}

/** A change as the hub hands it to every subscription: with the case after it, read once. */
export interface SharedCaseChange extends CaseChange {
  /**
   * The case after this change (or, for GAP_OVERFLOW, the case `caseId` a subscription
   * follows): ONE CRM read per case however many subscriptions look at it.
   */
  readCase(crm: CrmClient, caseId?: string): Promise<CaseModel | null>;
}

/** CRM Case fields → the graph's Case fields (the ones a client can select). */
const GRAPH_FIELD: Record<string, string> = {
  CaseNumber: 'caseNumber',
  Subject: 'subject',
  Description: 'description',
  Status: 'status',
  Priority: 'priority',
  Origin: 'origin',
  LastModifiedDate: 'updatedAt',
  ContactId: 'citizen',
};

/**
 * The graph's changes in one Pub/Sub event. A change event may name several records: merged
 * events list every record that had the same change, and gap events every record changed
 * outside a transaction — each record is one change. Gap events carry no field data: GAP is
 * "re-read this case" (what changed is unknown), GAP_DELETE is a deletion. An overflow event
 * (GAP_OVERFLOW) names no record at all: one GAP_OVERFLOW change, "re-read what you follow".
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_merged_events.htm
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm
 */
export function toCaseChanges(e: PubSubEvent, config: CaseConfig['pubsub']): CaseChange[] {
  if (e.topic === config.commentTopic) {
    const caseId = sfId('Case', e.payload.Case_Id__c);
    if (!caseId) return [];
    return [
      {
        kind: 'COMMENT_ADDED',
        caseId,
        changedFields: [],
        published: e.payload.Is_Published__c === true,
      },
    ];
  }
  const header = e.payload.ChangeEventHeader as
    { changeType?: string; recordIds?: string[] } | undefined;
  if (!header) return [];
  if (header.changeType === 'GAP_OVERFLOW')
    return [{ kind: 'GAP_OVERFLOW', caseId: null, changedFields: [] }];
  const changedFields = [
    ...new Set(e.changedFields.map((f) => GRAPH_FIELD[f]).filter((f): f is string => !!f)),
  ];
  const kind = ((): Omit<CaseChange, 'caseId'> | null => {
    switch (header.changeType) {
      case 'CREATE':
        return { kind: 'CREATED', changedFields: [] };
      case 'DELETE':
      case 'GAP_DELETE':
        return { kind: 'DELETED', changedFields: [] };
      case 'UPDATE':
        return {
          kind: changedFields.includes('status') ? 'STATUS_CHANGED' : 'UPDATED',
          changedFields,
        };
      case 'GAP_CREATE':
      case 'GAP_UPDATE':
      case 'GAP_UNDELETE':
        return { kind: 'GAP', changedFields: [] };
      default:
        return null;
    }
  })();
  if (!kind) return [];
  const ids = [
    ...new Set(
      (header.recordIds ?? []).map((id) => sfId('Case', id)).filter((id): id is string => !!id),
    ),
  ];
  const contactId = sfId('Contact', e.payload.ContactId);
  return ids.map((caseId) => ({
    ...kind,
    caseId,
    changedFields: [...kind.changedFields],
    ...(contactId ? { contactId } : {}),
  }));
}

/** Options of the hub's fleet mode (Redis): lib/salesforce/pubsub-fleet.ts. */
export type CaseEventFleet = EventHubFleet;

/**
 * Runs before an event's changes reach any listener (the read cache invalidates the records they
 * name, so a subscriber that re-reads sees the change). Must not throw.
 */
export type BeforeDelivery = (changes: CaseChange[]) => Promise<void>;

/** A change as every listener gets it: its case read once, however many look at it. */
function share(change: CaseChange): SharedCaseChange {
  const reads = new Map<string, Promise<CaseModel | null>>();
  return {
    ...change,
    readCase: (crm: CrmClient, caseId?: string) => {
      const id = caseId ?? change.caseId;
      if (!id) return Promise.resolve(null);
      let read = reads.get(id);
      if (!read) reads.set(id, (read = createLoaders(crm).caseById.load(id)));
      return read;
    },
  };
}

/**
 * The process's case changes: the generic hub (lib/salesforce/event-hub.ts) over the Case change
 * events and the comment platform event. Without Redis it listens to the process's own Pub/Sub
 * streams (opened with the first listener, replay id in memory). With Redis (`fleet`) it takes
 * part in the fleet's consumer from the start: one replica consumes each topic and checkpoints
 * its replay id in Redis, and every replica gets each event once through a Redis channel.
 * Each event's changes reach the listeners after the BeforeDelivery step, in arrival order; a
 * lost replay reaches them at once.
 */
export class CaseEventHub extends EventHub<CaseChange, SharedCaseChange> {
  constructor(
    subscriber: PubSubSubscriber,
    config: CaseConfig['pubsub'],
    fleet?: CaseEventFleet,
    beforeDelivery?: BeforeDelivery,
  ) {
    super({
      subscriber,
      topics: [config.caseTopic, config.commentTopic],
      decode: (e) => toCaseChanges(e, config),
      fleet,
      beforeDelivery,
      share,
    });
  }
}

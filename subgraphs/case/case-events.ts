// Case changes as the Pub/Sub API delivers them, in graph terms. One PubSubSubscriber per
// subgraph process holds ONE upstream stream per topic (the Case change events and the
// comment platform event) and every `caseUpdated` subscription listens to this hub.
import type { CrmClient } from '../../lib/salesforce/crm-client.js';
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
  return ids.map((caseId) => ({ ...kind, caseId, changedFields: [...kind.changedFields] }));
}

export class CaseEventHub {
  constructor(
    private readonly subscriber: PubSubSubscriber,
    private readonly config: CaseConfig['pubsub'],
  ) {}

  /** Each upstream event's changes, made once and shared by every listener. */
  private readonly changes = new WeakMap<PubSubEvent, SharedCaseChange[]>();

  /** Calls `listener` for each case change; returns the unsubscribe. */
  listen(listener: (c: SharedCaseChange) => void): () => void {
    const on = (e: PubSubEvent) => {
      for (const c of this.changesOf(e)) listener(c);
    };
    const offs = [this.config.caseTopic, this.config.commentTopic].map((t) =>
      this.subscriber.subscribe(t, on),
    );
    return () => offs.forEach((off) => off());
  }

  private changesOf(e: PubSubEvent): SharedCaseChange[] {
    const known = this.changes.get(e);
    if (known) return known;
    const shared = toCaseChanges(e, this.config).map((change): SharedCaseChange => {
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
    });
    this.changes.set(e, shared);
    return shared;
  }

  close(): void {
    this.subscriber.close();
  }
}

// Case changes as the Pub/Sub API delivers them, in graph terms. One PubSubSubscriber per
// subgraph process holds ONE upstream stream per topic (the Case change events and the
// comment platform event) and every `caseUpdated` subscription listens to this hub.
import type { PubSubEvent, PubSubSubscriber } from '../../lib/salesforce/pubsub-subscriber.js';
import type { CaseConfig } from './config.js';
import { sfId } from './ids.js';

export type CaseEventKind = 'CREATED' | 'STATUS_CHANGED' | 'COMMENT_ADDED' | 'UPDATED' | 'DELETED';

export interface CaseChange {
  kind: CaseEventKind;
  caseId: string;
  /** Graph field names of Case that changed. */
  changedFields: string[];
  /** COMMENT_ADDED: was the comment published (visible to the citizen)? */
  published?: boolean;
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

export function toCaseChange(e: PubSubEvent, config: CaseConfig['pubsub']): CaseChange | null {
  if (e.topic === config.commentTopic) {
    const caseId = sfId('Case', e.payload.Case_Id__c);
    if (!caseId) return null;
    return {
      kind: 'COMMENT_ADDED',
      caseId,
      changedFields: [],
      published: e.payload.Is_Published__c === true,
    };
  }
  const header = e.payload.ChangeEventHeader as
    { changeType?: string; recordIds?: string[] } | undefined;
  const caseId = sfId('Case', header?.recordIds?.[0]);
  if (!header || !caseId) return null;
  const changedFields = [
    ...new Set(e.changedFields.map((f) => GRAPH_FIELD[f]).filter((f): f is string => !!f)),
  ];
  switch (header.changeType) {
    case 'CREATE':
      return { kind: 'CREATED', caseId, changedFields: [] };
    case 'DELETE':
      return { kind: 'DELETED', caseId, changedFields: [] };
    case 'UPDATE':
      return {
        kind: changedFields.includes('status') ? 'STATUS_CHANGED' : 'UPDATED',
        caseId,
        changedFields,
      };
    default:
      return null;
  }
}

export class CaseEventHub {
  constructor(
    private readonly subscriber: PubSubSubscriber,
    private readonly config: CaseConfig['pubsub'],
  ) {}

  /** Calls `listener` for each case change; returns the unsubscribe. */
  listen(listener: (c: CaseChange) => void): () => void {
    const on = (e: PubSubEvent) => {
      const c = toCaseChange(e, this.config);
      if (c) listener(c);
    };
    const offs = [this.config.caseTopic, this.config.commentTopic].map((t) =>
      this.subscriber.subscribe(t, on),
    );
    return () => offs.forEach((off) => off());
  }

  close(): void {
    this.subscriber.close();
  }
}

// Case changes as the Pub/Sub API delivers them, in graph terms. One PubSubSubscriber per
// subgraph process holds ONE upstream stream per topic (the Case change events and the
// comment platform event) and every `caseUpdated` subscription listens to this hub.
import type { CrmClient } from '../../lib/salesforce/crm-client.js';
import type { PubSubEvent, PubSubSubscriber } from '../../lib/salesforce/pubsub-subscriber.js';
import type { CaseConfig } from './config.js';
import { sfId } from './ids.js';
import { createLoaders } from './loaders.js';
import type { CaseModel } from './mappers.js';

export type CaseEventKind = 'CREATED' | 'STATUS_CHANGED' | 'COMMENT_ADDED' | 'UPDATED' | 'DELETED';

export interface CaseChange {
  kind: CaseEventKind;
  caseId: string;
  /** Graph field names of Case that changed. */
  changedFields: string[];
  /** COMMENT_ADDED: was the comment published (visible to the citizen)? */
  published?: boolean;
}

/** A change as the hub hands it to every subscription: with the case after it, read once. */
export interface SharedCaseChange extends CaseChange {
  /** The case after this change: ONE CRM read however many subscriptions look at it. */
  readCase(crm: CrmClient): Promise<CaseModel | null>;
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

  /** Each upstream event's change, made once and shared by every listener. */
  private readonly changes = new WeakMap<PubSubEvent, SharedCaseChange | null>();

  /** Calls `listener` for each case change; returns the unsubscribe. */
  listen(listener: (c: SharedCaseChange) => void): () => void {
    const on = (e: PubSubEvent) => {
      const c = this.changeOf(e);
      if (c) listener(c);
    };
    const offs = [this.config.caseTopic, this.config.commentTopic].map((t) =>
      this.subscriber.subscribe(t, on),
    );
    return () => offs.forEach((off) => off());
  }

  private changeOf(e: PubSubEvent): SharedCaseChange | null {
    if (this.changes.has(e)) return this.changes.get(e)!;
    const change = toCaseChange(e, this.config);
    let read: Promise<CaseModel | null> | undefined;
    const shared = change && {
      ...change,
      readCase: (crm: CrmClient) => (read ??= createLoaders(crm).caseById.load(change.caseId)),
    };
    this.changes.set(e, shared);
    return shared;
  }

  close(): void {
    this.subscriber.close();
  }
}

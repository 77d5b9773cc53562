// The transport-free shape of one REST call below /services/data/vXX.X. The express router
// and the Composite API both dispatch through it, so a subrequest behaves exactly like a call.
import type { RecordChange, SObjectRecord, SObjectStore } from './sobject-store.js';

export interface ApiCall {
  method: string;
  /** Path below /services/data/vXX.X, e.g. /sobjects/Case/500… */
  path: string;
  /** e.g. v62.0 */
  version: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
  userId: string;
  /** Writes inside an all-or-none scope record how to undo themselves here. */
  journal?: Journal;
  /** True for Composite subrequests (no nested composite). */
  sub?: boolean;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A CRM error answer: the JSON array envelope (docs/salesforce/crm-rest.md#errors). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  toResult(): ApiResult {
    return {
      status: this.status,
      body: [
        {
          message: this.message,
          errorCode: this.errorCode,
          ...(this.fields ? { fields: this.fields } : {}),
        },
      ],
    };
  }
}

export const notFound = () =>
  new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/**
 * Undo log for all-or-none scopes (sObject Collections, Composite), and the transaction's list of
 * record changes: Salesforce publishes change events only for a committed transaction (Change
 * Data Capture Developer Guide, "Change Event Header Fields": one transactionKey per
 * transaction, sequenceNumber per change within it), so the changes go out on commit() and a
 * rollback discards them.
 */
export class Journal {
  private undo: Array<() => void> = [];
  private changes: RecordChange[] = [];
  constructor(private readonly store: SObjectStore) {}

  insert(type: string, rec: SObjectRecord) {
    this.store.insert(type, rec);
    this.undo.push(() => this.store.delete(type, rec.Id));
    this.changes.push({ type, changeType: 'CREATE', id: rec.Id, fields: [], record: { ...rec } });
  }

  update(type: string, id: string, fields: Record<string, unknown>) {
    const rec = this.store.get(type, id)!;
    const before: Record<string, unknown> = {};
    for (const k of Object.keys(fields)) before[k] = rec[k];
    this.store.update(type, id, fields);
    this.undo.push(() => this.store.update(type, id, before));
    // What the write changed: a derived field recomputed to its old value is no change.
    const changed = Object.keys(fields).filter(
      (k) => k === 'LastModifiedDate' || (before[k] ?? null) !== (fields[k] ?? null),
    );
    this.changes.push({ type, changeType: 'UPDATE', id, fields: changed, record: { ...rec } });
  }

  delete(type: string, id: string) {
    const rec = this.store.get(type, id);
    if (!rec) return;
    this.store.delete(type, id);
    this.undo.push(() => this.store.insert(type, rec));
    this.changes.push({ type, changeType: 'DELETE', id, fields: [], record: { ...rec } });
  }

  /** Takes over another journal's undo steps (a nested all-or-none scope that succeeded). */
  adopt(other: Journal) {
    this.undo.push(...other.undo);
    this.changes.push(...other.changes);
    other.undo = [];
    other.changes = [];
  }

  rollback() {
    for (const u of this.undo.reverse()) u();
    this.undo = [];
    this.changes = [];
  }

  /** The outermost scope ended: its writes stand; tell the store's commit listeners. */
  commit(userId: string) {
    const changes = this.changes;
    this.undo = [];
    this.changes = [];
    this.store.commit(changes, userId);
  }
}

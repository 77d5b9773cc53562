// The org's records, by sObject type. CRM REST serves them; Headless Identity reads and creates
// User/Contact records through the same store (Experience Cloud users are User records).
import { sfId } from '../ids.js';

export type SObjectRecord = { Id: string } & Record<string, unknown>;

/** One committed write: what the Pub/Sub API's change events are built from. */
export interface RecordChange {
  type: string;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  id: string;
  /** UPDATE: the fields the write set (system fields included); empty otherwise. */
  fields: string[];
  /** The record after the write (before it, for DELETE). */
  record: SObjectRecord;
}

export type CommitListener = (changes: RecordChange[], userId: string) => void;

/**
 * Key prefixes of the sObjects the emulator knows (docs/salesforce/crm-rest.md#records-and-ids).
 */
export const KEY_PREFIX: Record<string, string> = {
  Account: '001',
  Contact: '003',
  Case: '500',
  CaseComment: '00a',
  // A custom object's prefix is assigned per org (a0…); this one stands for it.
  Case_Comment_Request__c: 'a0C',
  User: '005',
  // Prefix not confirmed against a real org.
  TwoFactorMethodsInfo: '0Tf',
  // Prefix not confirmed against a real org.
  OauthToken: '0CR',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  Profile: '00e',
  UserLicense: '100',
  // Prefix not confirmed against a real org.
  NetworkAuthApiSettings: '0nA',
};

export class SObjectStore {
  private tables = new Map<string, Map<string, SObjectRecord>>();
  /** Secondary indexes: `${type}.${field}` → value → ids. Built on demand for lookup fields. */
  private indexes = new Map<string, Map<unknown, Set<string>>>();
  private sequences = new Map<string, number>();
  private commitListeners = new Set<CommitListener>();

  /** Listens to committed transactions (the Pub/Sub API's event publisher). */
  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** A transaction's writes stood (Journal.commit). */
  commit(changes: RecordChange[], userId: string): void {
    if (!changes.length) return;
    for (const l of this.commitListeners) l(changes, userId);
  }

  table(type: string): Map<string, SObjectRecord> {
    let t = this.tables.get(type);
    if (!t) this.tables.set(type, (t = new Map()));
    return t;
  }

  /** Next id for a type, continuing after the seed. */
  newId(type: string): string {
    const prefix = KEY_PREFIX[type];
    if (!prefix) throw new Error(`no key prefix for ${type}`);
    const n = (this.sequences.get(type) ?? 5_000_000) + 1;
    this.sequences.set(type, n);
    return sfId(prefix, n);
  }

  insert(type: string, record: SObjectRecord): SObjectRecord {
    this.table(type).set(record.Id, record);
    for (const [key, index] of this.indexes) {
      const [t, field] = key.split('.');
      if (t === type) addTo(index, record[field], record.Id);
    }
    return record;
  }

  get(type: string, id: string): SObjectRecord | undefined {
    return this.tables.get(type)?.get(id);
  }

  update(type: string, id: string, fields: Record<string, unknown>): SObjectRecord | undefined {
    const rec = this.get(type, id);
    if (!rec) return undefined;
    for (const [key, index] of this.indexes) {
      const [t, field] = key.split('.');
      if (t === type && field in fields) {
        index.get(rec[field])?.delete(id);
        addTo(index, fields[field], id);
      }
    }
    Object.assign(rec, fields);
    return rec;
  }

  delete(type: string, id: string): boolean {
    const rec = this.get(type, id);
    if (!rec) return false;
    for (const [key, index] of this.indexes) {
      const [t, field] = key.split('.');
      if (t === type) index.get(rec[field])?.delete(id);
    }
    return this.table(type).delete(id);
  }

  all(type: string): IterableIterator<SObjectRecord> {
    return this.table(type).values();
  }

  /** Records whose `field` equals `value`, through a hash index built on first use. */
  findBy(type: string, field: string, value: unknown): SObjectRecord[] {
    const key = `${type}.${field}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const rec of this.all(type)) addTo(index, rec[field], rec.Id);
      this.indexes.set(key, index);
    }
    return [...(index.get(value) ?? [])].map((id) => this.get(type, id)!).filter(Boolean);
  }

  /** The next value of a named counter (auto-number fields), starting after `start`. */
  next(name: string, start: number): number {
    const n = (this.sequences.get(name) ?? start) + 1;
    this.sequences.set(name, n);
    return n;
  }

  /** Records whose `field` is one of `values` (one index probe per value). */
  findByAny(type: string, field: string, values: Iterable<unknown>): SObjectRecord[] {
    const out: SObjectRecord[] = [];
    const seen = new Set<string>();
    for (const v of values)
      for (const r of this.findBy(type, field, v))
        if (!seen.has(r.Id)) {
          seen.add(r.Id);
          out.push(r);
        }
    return out;
  }

  count(type: string): number {
    return this.tables.get(type)?.size ?? 0;
  }

  hasIndex(type: string, field: string): boolean {
    return this.indexes.has(`${type}.${field}`);
  }
}

function addTo(index: Map<unknown, Set<string>>, value: unknown, id: string) {
  if (value === undefined || value === null) return;
  let s = index.get(value);
  if (!s) index.set(value, (s = new Set()));
  s.add(id);
}

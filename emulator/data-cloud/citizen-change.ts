// A change to one citizen's Data Cloud data, as identity resolution or a calculated insight's
// refresh would make it (the emulator's /__emulator/datacloud/citizen-change hook): the
// unified individual's profile fields, or the Citizen Engagement insight row. Afterwards the
// Query API answers the new values; the org's automation then publishes the platform event
// (pubsub/citizen-events.ts).
import { CI_NAME, UNIFIED } from './seed.js';
import type { DataCloudDb, Row } from './tables.js';

export type CitizenChangeInput =
  | { changeType: 'insight'; unifiedId: string; fields?: Row }
  | { changeType: 'profile'; unifiedId: string; fields?: Row };

/**
 * Applies the change; the Data Cloud field names that changed, or null when there is no such
 * citizen. An insight change without fields is the seed's "benefit eligibility crosses a
 * threshold": the engagement score moves past the next multiple of three and the band follows
 * (ELIGIBLE / REVIEW / INELIGIBLE, seed.ts). A profile change without fields adds or drops
 * " Jr." on the first name.
 */
export function changeCitizen(
  db: DataCloudDb,
  input: CitizenChangeInput,
  at: string,
): string[] | null {
  const unified = db.table(UNIFIED)!;
  const table = input.changeType === 'profile' ? unified : db.table(CI_NAME)!;
  const unknown = Object.keys(input.fields ?? {}).filter((k) => !table.column(k));
  if (unknown.length) throw new RangeError(`${table.name} has no field ${unknown.join(', ')}`);
  const [row] = unified.lookup('ssot__Id__c', input.unifiedId).map((i) => unified.rows[i]);
  if (!row) return null;
  if (input.changeType === 'profile') {
    const first = String(row.ssot__FirstName__c ?? '');
    const patch: Row = input.fields ?? {
      ssot__FirstName__c: first.endsWith(' Jr.') ? first.slice(0, -4) : `${first} Jr.`,
    };
    unified.update(input.unifiedId, { ...patch, ssot__LastModifiedDate__c: at });
    return Object.keys(patch);
  }
  const insight = db.table(CI_NAME)!;
  const [current] = insight
    .lookup('UnifiedIndividualId__c', input.unifiedId)
    .map((i) => insight.rows[i]);
  if (!current) return null;
  let patch = input.fields;
  if (!patch) {
    const score = Number(current.EngagementScore__c ?? 0);
    const next = score >= 99 ? score - 3 : score + 1;
    patch = {
      EngagementScore__c: next,
      BenefitEligibility__c: next % 3 === 0 ? 'ELIGIBLE' : next % 3 === 1 ? 'REVIEW' : 'INELIGIBLE',
    };
  }
  insight.update(input.unifiedId, { ...patch, SnapshotDate__c: at });
  return Object.keys(patch);
}

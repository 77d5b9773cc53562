// One DataLoader per batchable CRM endpoint, per request. maxBatchSize = the real limits:
// SOQL IN lists of 200 ids, sObject Collections retrieve of 2000 ids.
import DataLoader from 'dataloader';
import type { CrmClient } from '../../lib/salesforce/crm-client.js';
import {
  CASE_FIELDS,
  COMMENT_FIELDS,
  DEFAULT_STATUS_VALUES,
  statusToCrm,
  type CaseCommentModel,
  type CaseModel,
  type CaseStatusValue,
  type CaseStatusValues,
} from './mappers.js';
import { soqlList } from '../../lib/salesforce/soql.js';

export interface CasesKey {
  contactId: string;
  statuses?: readonly CaseStatusValue[] | null;
}

export interface Loaders {
  /** All cases of a contact (newest first) for one status filter; paging happens in the resolver. */
  casesByContact: DataLoader<CasesKey, CaseModel[], string>;
  caseById: DataLoader<string, CaseModel | null>;
  commentsByCase: DataLoader<string, CaseCommentModel[]>;
}

const filterKey = (s: CasesKey['statuses']) => (s?.length ? [...new Set(s)].sort().join(',') : '*');

/** `statusValues`: CASE_STATUS_VALUES, the names the `statuses` filter asks the org for. */
export function createLoaders(
  crm: CrmClient,
  statusValues: CaseStatusValues = DEFAULT_STATUS_VALUES,
): Loaders {
  return {
    casesByContact: new DataLoader<CasesKey, CaseModel[], string>(
      async (keys) => {
        // Keys with the same status filter share one SOQL query (one query for a whole list of citizens).
        const groups = new Map<string, CasesKey[]>();
        for (const k of keys) {
          const g = filterKey(k.statuses);
          groups.set(g, [...(groups.get(g) ?? []), k]);
        }
        const byKey = new Map<string, CaseModel[]>();
        await Promise.all(
          [...groups].map(async ([g, group]) => {
            const contactIds = [...new Set(group.map((k) => k.contactId))];
            const statusClause =
              g === '*'
                ? ''
                : ` AND Status IN ${soqlList(g.split(',').map((s) => statusToCrm(statusValues, s as CaseStatusValue)))}`;
            const { records } = await crm.query<CaseModel>(
              `SELECT ${CASE_FIELDS.join(', ')} FROM Case WHERE ContactId IN ${soqlList(contactIds)}${statusClause} ORDER BY CreatedDate DESC, Id DESC`,
            );
            for (const id of contactIds) byKey.set(`${id}|${g}`, []);
            for (const r of records) byKey.get(`${r.ContactId}|${g}`)?.push(r);
          }),
        );
        return keys.map((k) => byKey.get(`${k.contactId}|${filterKey(k.statuses)}`) ?? []);
      },
      { maxBatchSize: 200, cacheKeyFn: (k) => `${k.contactId}|${filterKey(k.statuses)}` },
    ),
    caseById: new DataLoader<string, CaseModel | null>(
      async (ids) => {
        const records = await crm.retrieve<CaseModel>('Case', ids, CASE_FIELDS);
        return ids.map((_id, i) => records[i] ?? null);
      },
      { maxBatchSize: 2000 },
    ),
    commentsByCase: new DataLoader<string, CaseCommentModel[]>(
      async (caseIds) => {
        const { records } = await crm.query<CaseCommentModel>(
          `SELECT ${COMMENT_FIELDS.join(', ')} FROM CaseComment WHERE ParentId IN ${soqlList(caseIds)} AND IsPublished = true ORDER BY CreatedDate ASC, Id ASC`,
        );
        const byCase = new Map<string, CaseCommentModel[]>(caseIds.map((id) => [id, []]));
        for (const r of records) byCase.get(r.ParentId)?.push(r);
        return caseIds.map((id) => byCase.get(id) ?? []);
      },
      { maxBatchSize: 200 },
    ),
  };
}

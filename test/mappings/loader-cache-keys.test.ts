// Every DataLoader cache key (subgraphs/*/loaders.ts, customer's citizen-parts.ts): two argument
// sets in one request never share a cache entry, and the same arguments (spelt differently where
// the upstream treats them alike) share one. Fake clients record what each batch asked for.
import { createLoaders as caseLoaders } from '../../subgraphs/case/loaders.js';
import type { CrmClient as CaseCrm } from '../../lib/salesforce/crm-client.js';
import { createLoaders as commerceLoaders } from '../../subgraphs/commerce/loaders.js';
import type { ScapiClient } from '../../subgraphs/commerce/client.js';
import { citizenPartsLoader } from '../../subgraphs/customer/citizen-parts.js';
import { createLoaders as customerLoaders } from '../../subgraphs/customer/loaders.js';
import type { DataCloudClient, SqlRow } from '../../subgraphs/customer/client.js';
import type { SegmentCatalogue } from '../../subgraphs/customer/segment-catalogue.js';
import { loadCustomerConfig } from '../../subgraphs/customer/config.js';
import {
  statusFromCrm,
  statusToCrm,
  priorityFromCrm,
  priorityToCrm,
  DEFAULT_STATUS_VALUES,
} from '../../subgraphs/case/mappers.js';

describe('case: casesByContact is keyed by contact AND status filter', () => {
  function fakeCrm() {
    const soql: string[] = [];
    const crm = {
      query: async (q: string) => {
        soql.push(q);
        const statuses = /Status IN \(([^)]*)\)/.exec(q)?.[1].replace(/'/g, '').split(',') ?? [
          'New',
          'Closed',
        ];
        const contacts = /ContactId IN \(([^)]*)\)/.exec(q)![1].replace(/'/g, '').split(',');
        return {
          records: contacts.flatMap((c) =>
            statuses.map((s) => ({ Id: `${c}-${s}`, ContactId: c, Status: s })),
          ),
        };
      },
    };
    return { soql, loaders: caseLoaders(crm as unknown as CaseCrm) };
  }

  test('two filters for one contact, and no filter, are three entries', async () => {
    const { loaders } = fakeCrm();
    const [closed, fresh, all, otherContact] = await Promise.all([
      loaders.casesByContact.load({ contactId: '003A', statuses: ['CLOSED'] }),
      loaders.casesByContact.load({ contactId: '003A', statuses: ['NEW'] }),
      loaders.casesByContact.load({ contactId: '003A' }),
      loaders.casesByContact.load({ contactId: '003B', statuses: ['CLOSED'] }),
    ]);
    expect(closed.map((c) => c.Id)).toEqual(['003A-Closed']);
    expect(fresh.map((c) => c.Id)).toEqual(['003A-New']);
    expect(all.map((c) => c.Id)).toEqual(['003A-New', '003A-Closed']);
    expect(otherContact.map((c) => c.Id)).toEqual(['003B-Closed']);
  });

  test('the same filter in another order or with repeats is the same entry', async () => {
    const { loaders, soql } = fakeCrm();
    const [a, b] = await Promise.all([
      loaders.casesByContact.load({ contactId: '003A', statuses: ['CLOSED', 'NEW'] }),
      loaders.casesByContact.load({ contactId: '003A', statuses: ['NEW', 'CLOSED', 'NEW'] }),
    ]);
    expect(a).toBe(b);
    expect(soql).toHaveLength(1);
    // An empty filter is no filter.
    const none = await loaders.casesByContact.load({ contactId: '003A', statuses: [] });
    const nul = await loaders.casesByContact.load({ contactId: '003A', statuses: null });
    expect(none).toBe(nul);
  });

  test('batches stop at the real limits: 200 ids per SOQL IN list, 2000 per retrieve', async () => {
    const calls: string[] = [];
    const crm = {
      query: async (q: string) => {
        const n = /IN \(([^)]*)\)/.exec(q)![1].split(',').length;
        calls.push(`${q.includes('FROM CaseComment') ? 'comments' : 'cases'} ${n}`);
        return { records: [] };
      },
      retrieve: async (_o: string, ids: readonly string[]) => {
        calls.push(`retrieve ${ids.length}`);
        return [];
      },
    };
    const loaders = caseLoaders(crm as unknown as CaseCrm);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);
    await Promise.all([
      ...ids(201).map((contactId) => loaders.casesByContact.load({ contactId })),
      ...ids(201).map((id) => loaders.commentsByCase.load(id)),
      ...ids(2001).map((id) => loaders.caseById.load(id)),
    ]);
    expect(calls.sort()).toEqual([
      'cases 1',
      'cases 200',
      'comments 1',
      'comments 200',
      'retrieve 1',
      'retrieve 2000',
    ]);
  });

  test('the status and priority maps go both ways (default picklist values)', () => {
    const S = DEFAULT_STATUS_VALUES;
    const P = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' } as const;
    for (const s of ['NEW', 'WORKING', 'ESCALATED', 'CLOSED'] as const)
      expect(statusFromCrm(S, statusToCrm(S, s))).toBe(s);
    expect([statusToCrm(S, 'NEW'), statusToCrm(S, 'WORKING'), statusToCrm(S, 'ESCALATED')]).toEqual(
      ['New', 'Working', 'Escalated'],
    );
    expect(statusToCrm(S, 'CLOSED')).toBe('Closed');
    expect(statusFromCrm(S, 'Waiting on Customer')).toBe('WORKING');
    expect(statusFromCrm(S, null)).toBe('WORKING');
    for (const p of ['HIGH', 'MEDIUM', 'LOW'] as const)
      expect(priorityFromCrm(P, priorityToCrm(P, p))).toBe(p);
    expect([priorityToCrm(P, 'HIGH'), priorityToCrm(P, 'MEDIUM'), priorityToCrm(P, 'LOW')]).toEqual(
      ['High', 'Medium', 'Low'],
    );
    expect(priorityFromCrm(P, 'Critical')).toBeNull();
  });

  test('an org’s own picklist values map both ways (CASE_STATUS_VALUES, CASE_PRIORITY_VALUES)', () => {
    const S = { NEW: 'Open', WORKING: 'In Progress', ESCALATED: 'Escalated', CLOSED: 'Resolved' };
    const P = { HIGH: 'P1', MEDIUM: 'P2', LOW: 'P3' };
    expect(statusToCrm(S, 'CLOSED')).toBe('Resolved');
    expect(statusFromCrm(S, 'resolved')).toBe('CLOSED');
    expect(statusFromCrm(S, 'Closed')).toBe('WORKING');
    expect(priorityToCrm(P, 'HIGH')).toBe('P1');
    expect(priorityFromCrm(P, 'p3')).toBe('LOW');
    expect(priorityFromCrm(P, 'High')).toBeNull();
  });
});

describe('commerce: baskets and orders are keyed by customer, login (any case) and page', () => {
  function fakeScapi() {
    const calls: string[] = [];
    const client = {
      getCustomerBaskets: async (login: string, customerId: string) => {
        calls.push(`baskets ${customerId} ${login}`);
        return [{ basketId: `${customerId}/${login}` }];
      },
      getCustomerOrders: async (login: string, customerId: string, l: number, o: number) => {
        calls.push(`orders ${customerId} ${login} ${l}:${o}`);
        return { data: [{ orderNo: `${customerId}/${login}/${l}:${o}` }], limit: l, offset: o };
      },
      getProducts: async (ids: readonly string[]) => ids.map((id) => ({ id })),
    };
    return { calls, loaders: commerceLoaders(client as unknown as ScapiClient, 4) };
  }

  test('another login for the same customer id is another entry; the login’s case is not', async () => {
    const { loaders, calls } = fakeScapi();
    const [a, b, c, d] = await Promise.all([
      loaders.cartByCustomer.load({ customerId: 'c1', login: 'ada@example.org' }),
      loaders.cartByCustomer.load({ customerId: 'c1', login: 'mallory@example.org' }),
      loaders.cartByCustomer.load({ customerId: 'c2', login: 'ada@example.org' }),
      loaders.cartByCustomer.load({ customerId: 'c1', login: 'ADA@example.org' }),
    ]);
    expect([a, b, c].map((x) => (x as { basketId: string }).basketId)).toEqual([
      'c1/ada@example.org',
      'c1/mallory@example.org',
      'c2/ada@example.org',
    ]);
    expect(d).toBe(a);
    expect(calls).toHaveLength(3);
  });

  test('products batch at getProducts’ limit of 24 ids', async () => {
    const sizes: number[] = [];
    const client = {
      getProducts: async (ids: readonly string[]) => {
        sizes.push(ids.length);
        return ids.map((id) => ({ id }));
      },
    };
    const loaders = commerceLoaders(client as unknown as ScapiClient, 4);
    await Promise.all(Array.from({ length: 25 }, (_, i) => loaders.productById.load(`p${i}`)));
    expect(sizes.sort((a, b) => a - b)).toEqual([1, 24]);
  });

  test('each page of orders is its own entry', async () => {
    const { loaders, calls } = fakeScapi();
    const shopper = { customerId: 'c1', login: 'ada@example.org' };
    const pages = await Promise.all([
      loaders.ordersByCustomer.load({ ...shopper, limit: 10, offset: 0 }),
      loaders.ordersByCustomer.load({ ...shopper, limit: 10, offset: 10 }),
      loaders.ordersByCustomer.load({ ...shopper, limit: 5, offset: 0 }),
      loaders.ordersByCustomer.load({ ...shopper, limit: 10, offset: 0 }),
      loaders.ordersByCustomer.load({
        ...shopper,
        login: 'mallory@example.org',
        limit: 10,
        offset: 0,
      }),
      loaders.ordersByCustomer.load({ ...shopper, customerId: 'c2', limit: 10, offset: 0 }),
    ]);
    expect(pages.map((p) => (p as { data: Array<{ orderNo: string }> }).data[0].orderNo)).toEqual([
      'c1/ada@example.org/10:0',
      'c1/ada@example.org/10:10',
      'c1/ada@example.org/5:0',
      'c1/ada@example.org/10:0',
      'c1/mallory@example.org/10:0',
      'c2/ada@example.org/10:0',
    ]);
    expect(calls).toHaveLength(5);
  });
});

describe('customer: parts by (part, citizen), citizens by (key kind, value)', () => {
  const model = loadCustomerConfig({}).dataCloud;

  /** A Data Cloud client that records its SQL and answers no rows (or the given link rows). */
  function fakeDataCloud(linkRows: (sql: string) => SqlRow[] = () => []) {
    const sql: string[] = [];
    const client = {
      dataGraph: null,
      query: async (q: string) => {
        sql.push(q);
        return linkRows(q);
      },
      getSegment: async () => null,
    };
    return { sql, client: client as unknown as DataCloudClient };
  }

  test('two parts of one citizen are two entries (both parts are read)', async () => {
    const only = async (part: 'profile' | 'links' | 'memberships') => {
      const { sql, client } = fakeDataCloud();
      await citizenPartsLoader(client, model).load({ part, unifiedId: 'u1' });
      return sql.join('\n');
    };
    const [profileSql, linksSql] = [await only('profile'), await only('links')];
    expect(profileSql).not.toBe(linksSql);

    const { sql, client } = fakeDataCloud();
    const loader = citizenPartsLoader(client, model);
    await Promise.all([
      loader.load({ part: 'profile', unifiedId: 'u1' }),
      loader.load({ part: 'links', unifiedId: 'u1' }),
      loader.load({ part: 'profile', unifiedId: 'u2' }),
    ]);
    expect(sql).toHaveLength(1);
    // The joined statement reads what each part alone reads: the links part was not dropped.
    const tableOf = (s: string) => [...s.matchAll(/FROM\s+"?(\w+)"?/gi)].map((m) => m[1]);
    for (const t of tableOf(linksSql)) expect(sql[0]).toContain(t);
    for (const t of tableOf(profileSql)) expect(sql[0]).toContain(t);
    expect(sql[0]).toContain("'u2'");
  });

  test('a contact id and a commerce customer id of the same value are two lookups', async () => {
    const { client } = fakeDataCloud();
    const catalogue = { list: async () => [] } as unknown as SegmentCatalogue;
    const loaders = customerLoaders(client, model, catalogue);
    const seen: string[] = [];
    const load = loaders.linkBySourceId.load.bind(loaders.linkBySourceId);
    loaders.linkBySourceId.load = (v: string) => {
      seen.push(v);
      return load(v);
    };
    // The link row says which source it is: a CRM contact.
    loaders.linkBySourceId.prime('X1', {
      UnifiedRecordId__c: 'u9',
      ssot__DataSourceObjectId__c: model.crmContactSource.objectId,
      ssot__DataSourceId__c: model.crmContactSource.dataSourceId,
    });
    const [asContact, asCustomer, again] = await Promise.all([
      loaders.citizenByKey.load({ kind: 'contactId', value: 'X1' }),
      loaders.citizenByKey.load({ kind: 'commerceCustomerId', value: 'X1' }),
      loaders.citizenByKey.load({ kind: 'contactId', value: 'X1' }),
    ]);
    expect(asContact).toEqual({ id: 'u9', contactId: 'X1' });
    expect(asCustomer).toBeNull();
    expect(again).toBe(asContact);
    expect(seen).toEqual(['X1', 'X1']);
  });
});

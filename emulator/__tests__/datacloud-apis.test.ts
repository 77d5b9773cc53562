// Data Cloud Profile, Calculated Insights, Data Graph, Universal ID lookup and Connect segment
// endpoints over plain HTTP.
import { get, startHarness, type DcHarness } from './datacloud-helpers.js';

let h: DcHarness;
beforeAll(async () => {
  h = await startHarness(3000);
});
afterAll(() => h.up.close());

const citizen = () => h.emu.core.world.citizens[11];

describe('Profile API', () => {
  it('reads a unified individual by id with fields, and its child contact points', async () => {
    const c = citizen();
    const one = await get(
      `${h.tse}/api/v1/profile/UnifiedssotIndividualIr1__dlm/${c.unifiedId}?fields=ssot__Id__c,ssot__LastName__c`,
      h.dcToken,
    );
    expect(one).toEqual({
      status: 200,
      body: { data: [{ ssot__Id__c: c.unifiedId, ssot__LastName__c: c.lastName }], done: true },
    });
    const email = await get(
      `${h.tse}/api/v1/profile/UnifiedssotIndividualIr1__dlm/${c.unifiedId}/UnifiedssotContactPointEmailIr1__dlm?fields=ssot__EmailAddress__c`,
      h.dcToken,
    );
    expect(email.body.data).toEqual([{ ssot__EmailAddress__c: c.email }]);
    const bySearchKey = await get(
      `${h.tse}/api/v1/profile/ssot__Individual__dlm/${encodeURIComponent(c.email)}?searchKey=ssot__Id__c`,
      h.dcToken,
    );
    expect(bySearchKey.body.data).toEqual([]);
  });

  it('lists with filters, limit and offset; unknown attributes are 422, unknown DMOs 404', async () => {
    const c = citizen();
    const list = await get(
      `${h.tse}/api/v1/profile/ssot__Individual__dlm?filters=[ssot__LastName__c=${encodeURIComponent(c.lastName)},ssot__DataSourceObjectId__c=Contact]&fields=ssot__Id__c,ssot__LastName__c&limit=5`,
      h.dcToken,
    );
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeLessThanOrEqual(5);
    expect(
      list.body.data.every(
        (r: any) => r.ssot__LastName__c === c.lastName && r.ssot__Id__c.startsWith('003'),
      ),
    ).toBe(true);
    expect(
      (await get(`${h.tse}/api/v1/profile/ssot__Individual__dlm?filters=[Nope__c=1]`, h.dcToken))
        .status,
    ).toBe(422);
    expect((await get(`${h.tse}/api/v1/profile/Nope__dlm/1`, h.dcToken)).status).toBe(404);
  });

  it('joins a calculated insight to a profile', async () => {
    const c = citizen();
    const r = await get(
      `${h.tse}/api/v1/profile/UnifiedssotIndividualIr1__dlm/${c.unifiedId}/calculated-insights/Citizen_Engagement__cio?fields=ssot__Id__c`,
      h.dcToken,
    );
    expect(r.body.data[0]).toEqual({
      ssot__Id__c: c.unifiedId,
      Citizen_Engagement__cio: expect.objectContaining({
        LifetimeValue__c: expect.any(Number),
        BenefitEligibility__c: expect.stringMatching(/^(ELIGIBLE|REVIEW|INELIGIBLE)$/),
      }),
    });
  });
});

describe('Calculated Insights API', () => {
  it('queries a CI with filters and answers its metadata', async () => {
    const c = citizen();
    const r = await get(
      `${h.tse}/api/v1/insight/calculated-insights/Citizen_Engagement__cio?filters=[UnifiedIndividualId__c=${c.unifiedId}]`,
      h.dcToken,
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: [
        {
          UnifiedIndividualId__c: c.unifiedId,
          LifetimeValue__c: expect.any(Number),
          EngagementScore__c: expect.any(Number),
          BenefitEligibility__c: expect.any(String),
        },
      ],
      done: true,
    });
    const meta = await get(`${h.tse}/api/v1/insight/metadata/Citizen_Engagement__cio`, h.dcToken);
    expect(meta.body.metadata[0]).toMatchObject({
      name: 'Citizen_Engagement__cio',
      dimensions: [{ name: 'UnifiedIndividualId__c', type: 'STRING' }],
    });
    expect((await get(`${h.tse}/api/v1/insight/metadata`, h.dcToken)).body.metadata).toHaveLength(
      1,
    );
    expect(
      (await get(`${h.tse}/api/v1/insight/calculated-insights/Nope__cio`, h.dcToken)).status,
    ).toBe(404);
  });
});

describe('Data Graph API and Universal ID lookup', () => {
  it('returns the graph as a JSON string by id and by lookup key', async () => {
    const c = citizen();
    const byId = await get(`${h.tse}/api/v1/dataGraph/Citizen_360/${c.unifiedId}`, h.dcToken);
    expect(typeof byId.body.data[0].json_blob__c).toBe('string');
    const graph = JSON.parse(byId.body.data[0].json_blob__c);
    expect(graph.ssot__Id__c).toBe(c.unifiedId);
    expect(
      graph.UnifiedLinkssotIndividualIr1__dlm.map((l: any) => l.SourceRecordId__c).sort(),
    ).toEqual([c.commerceCustomerId, c.contactId].sort());
    expect(graph.UnifiedLinkssotIndividualIr1__dlm[0].ssot__Individual__dlm).toHaveLength(1);
    const byKey = await get(
      `${h.tse}/api/v1/dataGraph/Citizen_360?lookupKeys=[UnifiedLinkssotIndividualIr1__dlm.SourceRecordId__c=${c.contactId}]`,
      h.dcToken,
    );
    expect(byKey.body.data).toEqual(byId.body.data);
    const meta = await get(`${h.tse}/api/v1/dataGraph/metadata`, h.dcToken);
    expect(meta.body.metadata[0]).toMatchObject({
      developerName: 'Citizen_360',
      primaryObjectName: 'UnifiedssotIndividualIr1__dlm',
      status: 'READY',
    });
    expect((await get(`${h.tse}/api/v1/dataGraph/Nope/1`, h.dcToken)).status).toBe(404);
  });

  it('maps a source record to every linked source record', async () => {
    const c = citizen();
    const r = await get(
      `${h.tse}/api/v1/universalIdLookup/UnifiedLinkssotIndividualIr1__dlm/SFCC_CityServices/Customer/${c.commerceCustomerId}`,
      h.dcToken,
    );
    expect(r.body.data).toEqual(
      expect.arrayContaining([
        {
          SourceRecordId__c: c.contactId,
          UnifiedRecordId__c: c.unifiedId,
          ssot__DataSourceObjectId__c: 'Contact',
          ssot__DataSourceId__c: 'Salesforce_CRM',
        },
        {
          SourceRecordId__c: c.commerceCustomerId,
          UnifiedRecordId__c: c.unifiedId,
          ssot__DataSourceObjectId__c: 'Customer',
          ssot__DataSourceId__c: 'SFCC_CityServices',
        },
      ]),
    );
    const none = await get(
      `${h.tse}/api/v1/universalIdLookup/UnifiedLinkssotIndividualIr1__dlm/Salesforce_CRM/Contact/${c.commerceCustomerId}`,
      h.dcToken,
    );
    expect(none.body.data).toEqual([]);
  });
});

describe('Connect segments (core token)', () => {
  const ssot = () => `${h.crm}/services/data/v62.0/ssot`;

  it('lists segments and reads one', async () => {
    const list = await get(`${ssot()}/segments?batchSize=3`, h.coreToken);
    expect(list.status).toBe(200);
    expect(list.body.segments).toHaveLength(3);
    expect(list.body.totalSize).toBe(6);
    const one = await get(`${ssot()}/segments/Senior_Services`, h.coreToken);
    expect(one.body.segments[0]).toMatchObject({
      apiName: 'Senior_Services',
      displayName: 'Senior Services',
      id: expect.stringMatching(/^1sg/),
    });
    const missing = await get(`${ssot()}/segments/Nope`, h.coreToken);
    expect(missing).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: expect.any(String) }],
    });
  });

  it('pages members in Id__c order and agrees with the membership DMO', async () => {
    const p1 = await get(`${ssot()}/segments/Permit_Renewal_Due/members?limit=100`, h.coreToken);
    expect(p1.status).toBe(200);
    expect(p1.body.data).toHaveLength(100);
    expect(p1.body.done).toBe(false);
    expect(Object.keys(p1.body.data[0])).toEqual(['Id__c']);
    const ids = p1.body.data.map((r: any) => r.Id__c);
    expect([...ids].sort()).toEqual(ids);
    const p2 = await get(
      `${ssot()}/segments/Permit_Renewal_Due/members?limit=100&offset=100&fields=Id__c,Segment_Id__c`,
      h.coreToken,
    );
    expect(p2.body.data[0].Id__c > ids[99]).toBe(true);
    expect(p2.body.data[0].Segment_Id__c).toMatch(/^1sg/);
    const bad = await get(
      `${ssot()}/segments/Permit_Renewal_Due/members?fields=Nope__c`,
      h.coreToken,
    );
    expect(bad.status).toBe(400);
  });

  it('requires a core session (401 in the CRM envelope)', async () => {
    const r = await get(`${ssot()}/segments`, h.dcToken);
    expect(r).toEqual({
      status: 401,
      body: [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }],
    });
  });

  it('has every segment with at least 100 members at the default size', async () => {
    const list = await get(`${ssot()}/segments?batchSize=200`, h.coreToken);
    for (const s of list.body.segments) {
      const r = await get(`${ssot()}/segments/${s.apiName}/members?limit=100`, h.coreToken);
      expect(r.body.data).toHaveLength(100);
    }
  });
});

// Data Cloud Profile, Calculated Insights, Data Graph, Universal ID lookup and Connect segment
// endpoints over plain HTTP.
import { get, sql, startHarness, type DcHarness } from './datacloud-helpers.js';

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

  // Salesforce documents the answer of both data reads as `data` (the rows) and `done` (all
  // results returned):
  //   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_name_id.htm
  //   https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_v1_data_graphs_lookup.htm
  it('answers {data, done} by id and by lookup key; an unknown id is no rows, done', async () => {
    const c = citizen();
    const byId = await get(`${h.tse}/api/v1/dataGraph/Citizen_360/${c.unifiedId}`, h.dcToken);
    expect(byId.body).toEqual({ data: [expect.any(Object)], done: true });
    const byKey = await get(
      `${h.tse}/api/v1/dataGraph/Citizen_360?lookupKeys=[UnifiedLinkssotIndividualIr1__dlm.SourceRecordId__c=${c.commerceCustomerId}]`,
      h.dcToken,
    );
    expect(byKey.body).toEqual({ data: byId.body.data, done: true });
    const none = await get(`${h.tse}/api/v1/dataGraph/Citizen_360/nope`, h.dcToken);
    expect(none).toEqual({ status: 200, body: { data: [], done: true } });
  });

  // Citizen_360 carries everything a citizen's profile shows: the calculated insight and the
  // segment membership DMO at the root (ConnectApi.DataGraphObjectData types include Calculated
  // and SegmentMembership objects:
  //   https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-data-graph-object-data.html),
  // and each source individual's party identifications (the Commerce login).
  it('carries the calculated insight, segment memberships and party identifications', async () => {
    const c = citizen();
    const byId = await get(`${h.tse}/api/v1/dataGraph/Citizen_360/${c.unifiedId}`, h.dcToken);
    const graph = JSON.parse(byId.body.data[0].json_blob__c);
    const ci = await sql(
      h,
      `SELECT LifetimeValue__c FROM Citizen_Engagement__cio WHERE UnifiedIndividualId__c = '${c.unifiedId}'`,
    );
    expect(graph.Citizen_Engagement__cio.map((r: any) => r.LifetimeValue__c)).toEqual(
      ci.body.data.map((r: unknown[]) => r[0]),
    );
    const sm = await sql(
      h,
      `SELECT Segment_Id__c FROM UnifiedssotIndividualIr1_SM__dlm WHERE Id__c = '${c.unifiedId}'`,
    );
    expect(graph.UnifiedssotIndividualIr1_SM__dlm.map((r: any) => r.Segment_Id__c).sort()).toEqual(
      sm.body.data.map((r: unknown[]) => r[0]).sort(),
    );
    const commerce = graph.UnifiedLinkssotIndividualIr1__dlm.find(
      (l: any) => l.SourceRecordId__c === c.commerceCustomerId,
    );
    expect(
      commerce.ssot__Individual__dlm[0].ssot__PartyIdentification__dlm.map(
        (p: any) => p.ssot__PartyIdentificationTypeId__c,
      ),
    ).toContain('CommerceLogin');
    const meta = await get(`${h.tse}/api/v1/dataGraph/metadata?entityName=Citizen_360`, h.dcToken);
    const related = meta.body.metadata[0].object.relatedObjects.map((o: any) => o.developerName);
    expect(related).toEqual(
      expect.arrayContaining(['Citizen_Engagement__cio', 'UnifiedssotIndividualIr1_SM__dlm']),
    );
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

  // ConnectApi.CdpSegmentOutput — no `id`:
  // https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-output.html
  // ConnectApi.CdpSegmentContainerOutput:
  // https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-container-output.html
  it('answers CdpSegmentContainerOutput with CdpSegmentOutput segments (no id)', async () => {
    const list = await get(`${ssot()}/segments?batchSize=3`, h.coreToken);
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual([
      'batchSize',
      'offset',
      'orderByExpression',
      'segments',
    ]);
    expect(list.body).toMatchObject({ batchSize: 3, offset: 0, orderByExpression: 'Id ASC' });
    expect(list.body.segments).toHaveLength(3);
    const ids = list.body.segments.map((s: any) => s.marketSegmentId);
    expect([...ids].sort()).toEqual(ids);
    const rest = await get(`${ssot()}/segments?batchSize=200&offset=3`, h.coreToken);
    expect(rest.body).toMatchObject({ batchSize: 3, offset: 3 });
    const one = await get(`${ssot()}/segments/Senior_Services`, h.coreToken);
    expect(one.status).toBe(200);
    const s = one.body.segments[0];
    expect(s).not.toHaveProperty('id');
    expect(s).toEqual({
      apiName: 'Senior_Services',
      dataSpace: 'default',
      description: 'Citizens aged 65 and over.',
      developerName: 'Senior_Services',
      displayName: 'Senior Services',
      marketSegmentDefinitionId: expect.stringMatching(/^[a-zA-Z0-9]{18}$/),
      marketSegmentId: expect.stringMatching(/^1sg[a-zA-Z0-9]{15}$/),
      publishInterval: 'TwentyFour',
      publishStatus: 'Success',
      segmentMembershipDmo: {
        historyTable: 'UnifiedssotIndividualIr1_SMH__dlm',
        latestTable: 'UnifiedssotIndividualIr1_SM__dlm',
        profileTable: 'UnifiedssotIndividualIr1__dlm',
      },
      segmentMembershipTable: 'UnifiedssotIndividualIr1_SM__dlm',
      segmentOnApiName: 'UnifiedssotIndividualIr1__dlm',
      segmentOnId: expect.stringMatching(/^[a-zA-Z0-9]{18}$/),
      segmentStatus: 'Active',
    });
    // Documented status values (help "Segment Types and Statuses").
    for (const seg of [...list.body.segments, ...rest.body.segments]) {
      expect(['Success', 'Error', 'Skipped', 'Publishing']).toContain(seg.publishStatus);
      expect(['Active', 'Processing', 'Recounting', 'Error', 'Inactive']).toContain(
        seg.segmentStatus,
      );
    }
    const byName = await get(`${ssot()}/segments?orderby=Name%20DESC`, h.coreToken);
    expect(byName.body.orderByExpression).toBe('Name DESC');
    expect(byName.body.segments[0].displayName).toBe('Springfield Residents');
    const missing = await get(`${ssot()}/segments/Nope`, h.coreToken);
    expect(missing).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: expect.any(String) }],
    });
  });

  // ConnectApi.CdpSegmentMemberOutput / CdpSegmentMemberRowOutput — no `done`:
  // https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-member-output.html
  // https://developer.salesforce.com/docs/platform/apex-ref/references/apex-ref/apex-connectapi-output-cdp-segment-member-row-output.html
  it('pages members as CdpSegmentMemberOutput in Id__c order, agreeing with the membership DMO', async () => {
    const seg = (await get(`${ssot()}/segments/Permit_Renewal_Due`, h.coreToken)).body.segments[0];
    const p1 = await get(`${ssot()}/segments/Permit_Renewal_Due/members?limit=100`, h.coreToken);
    expect(p1.status).toBe(200);
    expect(Object.keys(p1.body).sort()).toEqual([
      'data',
      'endTime',
      'filter',
      'limit',
      'nextPageUrl',
      'offSet',
      'orderBy',
      'rowCount',
      'startTime',
      'totalCount',
    ]);
    const dmo = await sql(
      h,
      `SELECT COUNT(*) FROM ${seg.segmentMembershipTable} WHERE Segment_Id__c = '${seg.marketSegmentId}'`,
    );
    const total = dmo.body.data[0][0] as number;
    expect(total).toBeGreaterThan(200);
    expect(p1.body).toMatchObject({
      filter: null,
      limit: 100,
      offSet: 0,
      orderBy: 'Id__c ASC',
      rowCount: 100,
      totalCount: total,
      startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      endTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(p1.body.data).toHaveLength(100);
    expect(p1.body.data[0]).toEqual({
      deltaType: null,
      id: expect.any(String),
      kqId: null,
      snapshotType: 'F',
      timestamp: expect.stringMatching(/\+00:00$/),
      versionStamp: expect.stringMatching(/\+00:00$/),
    });
    const ids = p1.body.data.map((r: any) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(p1.body.nextPageUrl).toBe(
      '/services/data/v62.0/ssot/segments/Permit_Renewal_Due/members?limit=100&offset=100&orderBy=Id__c+ASC',
    );
    const p2 = await get(`${h.crm}${p1.body.nextPageUrl}`, h.coreToken);
    expect(p2.body).toMatchObject({ offSet: 100, rowCount: 100, totalCount: total });
    expect(p2.body.data[0].id > ids[99]).toBe(true);
    const last = await get(
      `${ssot()}/segments/Permit_Renewal_Due/members?limit=100&offset=${total - 5}`,
      h.coreToken,
    );
    expect(last.body).toMatchObject({ rowCount: 5, nextPageUrl: null, totalCount: total });
    const bad = await get(
      `${ssot()}/segments/Permit_Renewal_Due/members?fields=Nope__c`,
      h.coreToken,
    );
    expect(bad.status).toBe(400);
    const tooMany = await get(
      `${ssot()}/segments/Permit_Renewal_Due/members?limit=1001`,
      h.coreToken,
    );
    expect(tooMany.status).toBe(400);
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
    expect(list.body.segments).toHaveLength(6);
    for (const s of list.body.segments) {
      const r = await get(`${ssot()}/segments/${s.apiName}/members?limit=100`, h.coreToken);
      expect(r.body.data).toHaveLength(100);
    }
  });
});

// Party Identification DMO (DMO mapping guide): the type column is
// ssot__PartyIdentificationTypeId__c; there is no ssot__IdentificationType__c.
// https://developer.salesforce.com/docs/data/data-cloud-dmo-mapping/guide/c360dm-party-identification-dmo.html
describe('Party Identification DMO', () => {
  it('has ssot__PartyIdentificationTypeId__c and no invented type column', async () => {
    const c = citizen();
    const r = await sql(
      h,
      `SELECT ssot__PartyIdentificationTypeId__c, ssot__Identificationnumber__c FROM ssot__PartyIdentification__dlm WHERE ssot__PartyId__c = '${c.commerceCustomerId}'`,
    );
    expect(r.body.data).toEqual([['CommerceLogin', c.email]]);
    const invented = await sql(
      h,
      'SELECT ssot__IdentificationType__c FROM ssot__PartyIdentification__dlm LIMIT 1',
    );
    expect(invented.status).toBe(400);
    expect(invented.body.errorCode).toBe('COLUMN_NOT_FOUND');
  });
});

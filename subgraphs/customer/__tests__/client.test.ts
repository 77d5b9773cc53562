// The Data Cloud client against the emulator: auth flow and caching, Query API paging (a
// nextBatchId is single use and never retried), Connect segment calls in their documented
// shapes, 401 re-authentication, the tenant URL from instance_url (bare host over TLS, or a
// value with a scheme), configuration, and SQL literal escaping.
import { DataCloudAuth, tenantUrlOf } from '../auth.js';
import { DataCloudClient, sqlString } from '../client.js';
import { UpstreamError } from '../../../lib/errors.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { loadCustomerConfig, type CustomerConfig } from '../config.js';
import { createEmulator } from '../../../emulator/server.js';
import {
  listenTls,
  selfSignedCert,
  tlsFetch,
} from '../../../emulator/__tests__/datacloud-helpers.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

let h: SubgraphHarness<'customer'>;
let auth: DataCloudAuth;
const client = () => new DataCloudClient(h.config, auth, { cost: new UpstreamCost() });
const dmo = () => h.config.dataCloud;

beforeAll(async () => {
  h = await startSubgraphHarness('customer', { citizens: 3000 });
});
afterAll(() => h.close());
beforeEach(() => {
  auth = new DataCloudAuth(h.config);
  h.emu.reset();
});

describe('DataCloudClient', () => {
  it('logs in once, exchanges once, and caches both tokens', async () => {
    const c = client();
    const id = h.emu.core.world.citizens[0].unifiedId;
    const rows = await c.query(
      `SELECT ssot__Id__c FROM ${dmo().unifiedIndividual} WHERE ssot__Id__c = ${sqlString(id)}`,
    );
    expect(rows).toEqual([{ ssot__Id__c: id }]);
    await client().query(`SELECT COUNT(*) AS n FROM ${dmo().unifiedIndividual}`);
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(1);
    expect(h.emu.log.list({ family: 'datacloud', path: '/services/a360/token' })).toHaveLength(1);
    expect(h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' })).toHaveLength(2);
  });

  it('follows nextBatchId until done', async () => {
    const rows = await client().query(`SELECT SourceRecordId__c FROM ${dmo().individualLink}`);
    expect(rows).toHaveLength(6000);
    const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('never repeats a nextBatchId GET: a lost answer fails the query after one GET', async () => {
    // The emulator performs the GET (spending the batch id) and then drops the connection.
    h.emu.faults.add({
      kind: 'lose-response',
      family: 'datacloud',
      method: 'GET',
      path: '/api/v2/query/',
      count: 1,
    });
    const err = await client()
      .query(`SELECT SourceRecordId__c FROM ${dmo().individualLink}`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).status).toBe(0);
    const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual(['POST 200', 'GET 0']);
  });

  it('retries the POST of a query (it only reads) but not the batch GET on a 503', async () => {
    h.emu.faults.add({
      kind: 'status',
      status: 503,
      family: 'datacloud',
      method: 'POST',
      path: '/api/v2/query',
      count: 1,
    });
    h.emu.faults.add({
      kind: 'status',
      status: 503,
      family: 'datacloud',
      method: 'GET',
      path: '/api/v2/query/',
      count: 1,
    });
    const err = await client()
      .query(`SELECT SourceRecordId__c FROM ${dmo().individualLink}`)
      .catch((e: unknown) => e);
    expect((err as UpstreamError).status).toBe(503);
    const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });
    expect(calls.map((c) => `${c.method} ${c.status}`)).toEqual([
      'POST 503',
      'POST 200',
      'GET 503',
    ]);
  });

  it('re-exchanges once when the Data Cloud token is refused', async () => {
    const c = client();
    await c.query(`SELECT COUNT(*) FROM ${dmo().unifiedIndividual}`);
    h.emu.core.tokens.expireAll('datacloud');
    await c.query(`SELECT COUNT(*) FROM ${dmo().unifiedIndividual}`);
    expect(h.emu.log.list({ path: '/services/a360/token' })).toHaveLength(2);
    expect(h.emu.log.list({ path: '/api/v2/query' }).map((x) => x.status)).toEqual([200, 401, 200]);
  });

  it('logs in again when the core session died before the exchange', async () => {
    const c = client();
    await c.listSegments();
    h.emu.core.tokens.expireAll('core-access', 'datacloud');
    const segs = await c.listSegments();
    expect(segs.length).toBe(6);
    await c.query(`SELECT COUNT(*) FROM ${dmo().unifiedIndividual}`);
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(2);
  });

  it('reads segments (CdpSegmentOutput, no id) and members (CdpSegmentMemberOutput) through Connect', async () => {
    const c = client();
    const s = await c.getSegment('High_Engagement');
    expect(s).toMatchObject({
      apiName: 'High_Engagement',
      marketSegmentId: expect.stringMatching(/^1sg/),
      segmentMembershipTable: dmo().segmentMembershipTable,
    });
    expect(s).not.toHaveProperty('id');
    expect(await c.getSegment('Nope')).toBeNull();
    const page = await c.segmentMembers('High_Engagement', 10, 0);
    expect(page?.data).toHaveLength(10);
    expect(page).not.toHaveProperty('done');
    const counted = await c.query(
      `SELECT COUNT(*) AS n FROM ${s!.segmentMembershipTable} WHERE Segment_Id__c = ${sqlString(s!.marketSegmentId)}`,
    );
    expect(page?.totalCount).toBe(counted[0].n);
    expect(page?.nextPageUrl).toMatch(/\/members\?limit=10&offset=10&/);
    const ids = page!.data.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    const last = await c.segmentMembers('High_Engagement', 10, page!.totalCount - 3);
    expect(last).toMatchObject({ nextPageUrl: null, totalCount: page!.totalCount });
    expect(last?.data).toHaveLength(3);
    expect(await c.segmentMembers('Nope', 10, 0)).toBeNull();
  });

  it("reads Connect /ssot on the org's one connection: one core token, re-fetched once on 401, spent as Data Cloud", async () => {
    const cost = new UpstreamCost();
    const c = new DataCloudClient(h.config, auth, { cost });
    expect(await c.getSegment('High_Engagement')).not.toBeNull();
    // The exchange takes the core token the segment read fetched: one cache per org.
    await c.query(`SELECT COUNT(*) FROM ${dmo().unifiedIndividual}`);
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(1);
    h.emu.core.tokens.expireAll('core-access');
    expect(await c.getSegment('High_Engagement')).not.toBeNull();
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(2);
    expect(h.emu.log.list({ path: '/ssot/segments/High_Engagement' }).map((x) => x.status)).toEqual(
      [200, 401, 200],
    );
    // Connect's /ssot calls count as Data Cloud's; the core token fetches are CRM's.
    expect(cost.calls()).toEqual({ crm: 2, datacloud: 5 });
  });

  it('lists segments in pages of batchSize until a short page', async () => {
    const all = await client().listSegments(4);
    expect(all.map((s) => s.apiName)).toHaveLength(6);
    expect(new Set(all.map((s) => s.marketSegmentId)).size).toBe(6);
    expect(
      h.emu.log.list({ family: 'datacloud', path: '/ssot/segments' }).map((c) => c.query),
    ).toEqual(['batchSize=4&offset=0', 'batchSize=4&offset=4']);
  });

  it('escapes hostile strings so they stay literals', async () => {
    expect(sqlString("x' OR 1=1 --")).toBe("'x'' OR 1=1 --'");
    expect(() => sqlString("x\\' OR 1=1 --")).toThrow();
    const rows = await client().query(
      `SELECT ssot__Id__c FROM ${dmo().unifiedIndividual} WHERE ssot__Id__c = ${sqlString("x' OR '1'='1")}`,
    );
    expect(rows).toEqual([]);
    // The seeded world has an O'Brien: a quoted apostrophe still finds her.
    const obrien = h.emu.core.world.citizens.find((c) => c.lastName === "O'Brien");
    expect(obrien).toBeDefined();
    const r = await client().query(
      `SELECT ssot__Id__c FROM ${dmo().unifiedIndividual} WHERE ssot__LastName__c = ${sqlString("O'Brien")} LIMIT 1`,
    );
    expect(r).toHaveLength(1);
  });
});

describe('the tenant URL from instance_url', () => {
  it('derives https://{instance_url} from a bare host and keeps a value with a scheme', () => {
    expect(tenantUrlOf('mzrtg2lbmm2dmnbrgvstkyldgu.c360a.salesforce.com')).toBe(
      'https://mzrtg2lbmm2dmnbrgvstkyldgu.c360a.salesforce.com',
    );
    expect(tenantUrlOf('127.0.0.1:4010/datacloud')).toBe('https://127.0.0.1:4010/datacloud');
    expect(tenantUrlOf('https://tenant.c360a.salesforce.com/')).toBe(
      'https://tenant.c360a.salesforce.com',
    );
    expect(tenantUrlOf('http://127.0.0.1:4010/datacloud')).toBe('http://127.0.0.1:4010/datacloud');
    expect(() => tenantUrlOf('')).toThrow();
  });

  /** A fake fetch (no socket): the core token, an exchange answering `instanceUrl`, and any query. */
  function fakeOrg(instanceUrl: string, urls: string[]): typeof fetch {
    return (async (input: string | URL | Request) => {
      const url = String(input);
      urls.push(url);
      const json = (body: unknown) =>
        new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      if (url.endsWith('/services/oauth2/token'))
        return json({ access_token: 'core', instance_url: 'https://org.my.salesforce.com' });
      if (url.endsWith('/services/a360/token'))
        return json({ access_token: 'dc', instance_url: instanceUrl, expires_in: 7199 });
      return json({ data: [[1]], metadata: { n: { placeInOrder: 0 } }, done: true, rowCount: 1 });
    }) as typeof fetch;
  }

  it.each([
    ['a bare host', 'tenant.c360a.salesforce.com', 'https://tenant.c360a.salesforce.com'],
    [
      'a value with a scheme',
      'https://tenant.c360a.salesforce.com',
      'https://tenant.c360a.salesforce.com',
    ],
  ])(
    'calls the Query API at the tenant URL for %s (fake fetch)',
    async (_n, instanceUrl, tenant) => {
      const config: CustomerConfig = {
        ...loadCustomerConfig({ DATA_CLOUD_TENANT_URL: '' }),
        crmLoginUrl: 'https://org.my.salesforce.com',
      };
      const urls: string[] = [];
      const c = new DataCloudClient(config, new DataCloudAuth(config), {
        fetch: fakeOrg(instanceUrl, urls),
      });
      expect(await c.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
      expect(urls).toEqual([
        'https://org.my.salesforce.com/services/oauth2/token',
        'https://org.my.salesforce.com/services/a360/token',
        `${tenant}/api/v2/query`,
      ]);
    },
  );

  const tls = selfSignedCert();
  (tls ? it : it.skip)(
    'reaches the emulator tenant over TLS at https://{instance_url} (certificate from openssl)',
    async () => {
      const emu = createEmulator({ citizens: 40 });
      const up = await listenTls(emu, tls!);
      try {
        const config: CustomerConfig = {
          ...loadCustomerConfig({ DATA_CLOUD_TENANT_URL: '', PRINCIPAL_SECRET: 'x' }),
          crmLoginUrl: `${up.url}/crm`,
        };
        expect(config.dataCloudTenantUrl).toBeNull();
        const urls: string[] = [];
        const c = new DataCloudClient(config, new DataCloudAuth(config), {
          fetch: tlsFetch(tls!.cert, urls),
        });
        const rows = await c.query(
          `SELECT COUNT(*) AS n FROM ${config.dataCloud.unifiedIndividual}`,
        );
        expect(rows).toEqual([{ n: 40 }]);
        expect(urls).toEqual([
          `${up.url}/crm/services/oauth2/token`,
          `${up.url}/crm/services/a360/token`,
          `${up.url}/datacloud/api/v2/query`,
        ]);
        expect(emu.log.list({ family: 'datacloud', path: '/api/v2/query' })).toHaveLength(1);
      } finally {
        await up.close();
      }
    },
  );
});

describe('configuration', () => {
  it('defaults to the emulator and its Data Cloud names, every name overridable', () => {
    const d = loadCustomerConfig({});
    expect(d).toMatchObject({
      port: 4001,
      crmLoginUrl: 'http://127.0.0.1:4010/crm',
      dataCloudTenantUrl: 'http://127.0.0.1:4010/datacloud',
      apiVersion: 'v62.0',
    });
    expect(d.dataCloud).toEqual({
      rulesetSuffix: 'Ir1',
      unifiedIndividual: 'UnifiedssotIndividualIr1__dlm',
      individualLink: 'UnifiedLinkssotIndividualIr1__dlm',
      contactPointEmail: 'UnifiedssotContactPointEmailIr1__dlm',
      contactPointPhone: 'UnifiedssotContactPointPhoneIr1__dlm',
      contactPointAddress: 'UnifiedssotContactPointAddressIr1__dlm',
      calculatedInsight: 'Citizen_Engagement__cio',
      segmentMembershipTable: 'UnifiedssotIndividualIr1_SM__dlm',
      crmContactSource: { dataSourceId: 'Salesforce_CRM', objectId: 'Contact' },
      commerceCustomerSource: { dataSourceId: 'SFCC_CityServices', objectId: 'Customer' },
      commerceLoginIdentificationType: 'CommerceLogin',
    });
    const o = loadCustomerConfig({
      CRM_API_VERSION: '64.0',
      DATA_CLOUD_RULESET_SUFFIX: 'Prod',
      DATA_CLOUD_CALCULATED_INSIGHT: 'Engagement__cio',
      DATA_CLOUD_SEGMENT_MEMBERSHIP_TABLE: 'Individual_Unified_SM__dlm',
      DATA_CLOUD_CRM_SOURCE_ID: 'CRM_Prod',
      DATA_CLOUD_CRM_SOURCE_OBJECT: 'Contact_00D',
      DATA_CLOUD_COMMERCE_SOURCE_ID: 'B2C',
      DATA_CLOUD_COMMERCE_SOURCE_OBJECT: 'Profile',
      DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE: 'B2C_Login',
    });
    expect(o.apiVersion).toBe('v64.0');
    expect(o.dataCloud).toMatchObject({
      unifiedIndividual: 'UnifiedssotIndividualProd__dlm',
      individualLink: 'UnifiedLinkssotIndividualProd__dlm',
      calculatedInsight: 'Engagement__cio',
      segmentMembershipTable: 'Individual_Unified_SM__dlm',
      crmContactSource: { dataSourceId: 'CRM_Prod', objectId: 'Contact_00D' },
      commerceCustomerSource: { dataSourceId: 'B2C', objectId: 'Profile' },
      commerceLoginIdentificationType: 'B2C_Login',
    });
    expect(loadCustomerConfig({ CRM_API_VERSION: 'v63.0' }).apiVersion).toBe('v63.0');
    expect(() => loadCustomerConfig({ DATA_CLOUD_CALCULATED_INSIGHT: 'x; DROP' })).toThrow();
    expect(() => loadCustomerConfig({ DATA_CLOUD_RULESET_SUFFIX: 'a b' })).toThrow();
  });
});

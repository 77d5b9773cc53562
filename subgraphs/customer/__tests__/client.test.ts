// The Data Cloud client against the emulator: auth flow and caching, Query API paging, Connect
// segment calls, 401 re-authentication, and SQL literal escaping.
import { DataCloudAuth } from '../auth.js';
import { DataCloudClient, sqlString } from '../client.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { loadCustomerConfig } from '../config.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let auth: DataCloudAuth;
const client = () => new DataCloudClient(h.config, auth, { cost: new UpstreamCost() });

beforeAll(async () => {
  h = await startHarness(3000);
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
      `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__Id__c = ${sqlString(id)}`,
    );
    expect(rows).toEqual([{ ssot__Id__c: id }]);
    await client().query('SELECT COUNT(*) AS n FROM UnifiedssotIndividualIr1__dlm');
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(1);
    expect(h.emu.log.list({ family: 'datacloud', path: '/services/a360/token' })).toHaveLength(1);
    expect(h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' })).toHaveLength(2);
  });

  it('follows nextBatchId until done', async () => {
    const rows = await client().query(
      'SELECT SourceRecordId__c FROM UnifiedLinkssotIndividualIr1__dlm',
    );
    expect(rows).toHaveLength(6000);
    const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
  });

  it('re-exchanges once when the Data Cloud token is refused', async () => {
    const c = client();
    await c.query('SELECT COUNT(*) FROM UnifiedssotIndividualIr1__dlm');
    h.emu.core.tokens.expireAll('datacloud');
    await c.query('SELECT COUNT(*) FROM UnifiedssotIndividualIr1__dlm');
    expect(h.emu.log.list({ path: '/services/a360/token' })).toHaveLength(2);
    expect(h.emu.log.list({ path: '/api/v2/query' }).map((x) => x.status)).toEqual([200, 401, 200]);
  });

  it('logs in again when the core session died before the exchange', async () => {
    const c = client();
    await c.listSegments();
    h.emu.core.tokens.expireAll('core-access', 'datacloud');
    const segs = await c.listSegments();
    expect(segs.length).toBe(6);
    await c.query('SELECT COUNT(*) FROM UnifiedssotIndividualIr1__dlm');
    expect(h.emu.log.list({ path: '/services/oauth2/token' })).toHaveLength(2);
  });

  it('reads segments and members through Connect', async () => {
    const c = client();
    const s = await c.getSegment('High_Engagement');
    expect(s).toMatchObject({ apiName: 'High_Engagement', id: expect.stringMatching(/^1sg/) });
    expect(await c.getSegment('Nope')).toBeNull();
    const page = await c.segmentMembers('High_Engagement', 10, 0);
    expect(page?.data).toHaveLength(10);
    expect(page?.done).toBe(false);
    expect(await c.segmentMembers('Nope', 10, 0)).toBeNull();
  });

  it('escapes hostile strings so they stay literals', async () => {
    expect(sqlString("x' OR 1=1 --")).toBe("'x'' OR 1=1 --'");
    expect(() => sqlString("x\\' OR 1=1 --")).toThrow();
    const rows = await client().query(
      `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__Id__c = ${sqlString("x' OR '1'='1")}`,
    );
    expect(rows).toEqual([]);
    const obrien = h.emu.core.world.citizens.find((c) => c.lastName === "O'Brien");
    if (obrien) {
      const r = await client().query(
        `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__LastName__c = ${sqlString("O'Brien")} LIMIT 1`,
      );
      expect(r).toHaveLength(1);
    }
  });

  it('builds the tenant URL from the exchange instance_url when DATA_CLOUD_TENANT_URL is empty', async () => {
    const config = {
      ...h.config,
      dataCloudTenantUrl: loadCustomerConfig({ DATA_CLOUD_TENANT_URL: '' }).dataCloudTenantUrl,
    };
    expect(config.dataCloudTenantUrl).toBeNull();
    const token = await new DataCloudAuth(config).dataCloudToken({});
    expect(token.tenantUrl).toBe(`https://${h.up.url.replace('http://', '')}/datacloud`);
    expect(loadCustomerConfig({})).toMatchObject({
      port: 4001,
      crmLoginUrl: 'http://127.0.0.1:4010/crm',
      dataCloudTenantUrl: 'http://127.0.0.1:4010/datacloud',
    });
  });
});

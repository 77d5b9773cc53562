// Data Cloud token exchange and Query API v2 over plain HTTP.
import { createEmulator } from '../server.js';
import {
  coreTokenFor,
  exchange,
  listenTls,
  selfSignedCert,
  sql,
  startHarness,
  tlsFetch,
  type DcHarness,
} from './datacloud-helpers.js';

let h: DcHarness;
beforeAll(async () => {
  h = await startHarness(3000);
});
afterAll(() => h.up.close());

describe('token exchange', () => {
  it('answers the documented shape with a scheme-less instance_url', async () => {
    const res = await exchange(h.crm, coreTokenFor(h.emu));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      instance_url: `${h.up.url.replace('http://', '')}/datacloud`,
      token_type: 'Bearer',
      issued_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      expires_in: 7199,
    });
    expect(h.emu.core.tokens.lookup(body.access_token as string, 'datacloud')).toBeDefined();
  });

  it('rejects a dead subject token, a wrong grant and a token without cdp scopes', async () => {
    const dead = await exchange(h.crm, 'nope');
    expect(dead.status).toBe(400);
    expect(await dead.json()).toEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
    const noScope = await exchange(
      h.crm,
      coreTokenFor(h.emu, 'api', h.emu.core.world.portalApp.clientId),
    );
    expect((await noScope.json()).error).toBe('invalid_scope');
    const grant = await fetch(`${h.crm}/services/a360/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
  });
});

describe('Query API v2', () => {
  it('returns positional rows with metadata', async () => {
    const c = h.emu.core.world.citizens[7];
    const { status, body } = await sql(
      h,
      `SELECT ssot__Id__c, ssot__FirstName__c AS first, ssot__BirthDate__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__Id__c = '${c.unifiedId}'`,
    );
    expect(status).toBe(200);
    expect(body.data).toEqual([[c.unifiedId, c.firstName, c.birthDate]]);
    expect(body.metadata).toEqual({
      ssot__Id__c: { type: 'VARCHAR', placeInOrder: 0, typeCode: 12 },
      first: { type: 'VARCHAR', placeInOrder: 1, typeCode: 12 },
      ssot__BirthDate__c: { type: 'DATE', placeInOrder: 2, typeCode: 91 },
    });
    expect(body).toMatchObject({
      rowCount: 1,
      done: true,
      queryId: expect.any(String),
      startTime: expect.any(String),
      endTime: expect.any(String),
    });
    expect(body.nextBatchId).toBeUndefined();
  });

  it('keeps decimals and timestamps as strings', async () => {
    const { body } = await sql(
      h,
      `SELECT "LifetimeValue__c", EngagementScore__c, SnapshotDate__c FROM Citizen_Engagement__cio LIMIT 1`,
    );
    const [ltv, score, snap] = body.data[0];
    expect(ltv).toMatch(/^\d+\.\d{2}$/);
    expect(typeof score).toBe('number');
    expect(snap).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    expect(body.metadata.LifetimeValue__c.type).toBe('DECIMAL');
  });

  // https://developer.salesforce.com/docs/atlas.en-us.c360a_api.meta/c360a_api/c360a_api_get_query_v2.htm
  // Single use (docs/salesforce/data-cloud.md#query-api); the status of a second GET is
  // undocumented: 404 UNCONFIRMED.
  it('pages with nextBatchId until done; a batch id is single use', async () => {
    const first = await sql(
      h,
      'SELECT ssot__Id__c FROM ssot__Individual__dlm ORDER BY ssot__Id__c',
    );
    expect(first.body.done).toBe(false);
    expect(first.body.rowCount).toBe(4999);
    const res = await fetch(`${h.tse}/api/v2/query/${first.body.nextBatchId}`, {
      headers: { authorization: `Bearer ${h.dcToken}` },
    });
    const second = (await res.json()) as Record<string, any>;
    expect(second.done).toBe(true);
    expect(second.rowCount).toBe(6000 - 4999);
    expect(second.queryId).toBe(first.body.queryId);
    const ids = [...first.body.data, ...second.data].map((r: string[]) => r[0]);
    expect(new Set(ids).size).toBe(6000);
    // A batch id is single use.
    const again = await fetch(`${h.tse}/api/v2/query/${first.body.nextBatchId}`, {
      headers: { authorization: `Bearer ${h.dcToken}` },
    });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({
      error: expect.any(String),
      errorCode: 'NOT_FOUND',
      message: expect.any(String),
    });
  });

  it('supports WHERE operators, IN, NOT, LIKE, IS NULL, ORDER BY, LIMIT, OFFSET and COUNT', async () => {
    const cs = h.emu.core.world.citizens.slice(0, 3);
    const inList = cs.map((c) => `'${c.contactId}'`).join(',');
    const links = await sql(
      h,
      `SELECT UnifiedRecordId__c FROM UnifiedLinkssotIndividualIr1__dlm WHERE SourceRecordId__c IN (${inList}) AND ssot__DataSourceObjectId__c = 'Contact' ORDER BY UnifiedRecordId__c`,
    );
    expect(links.body.data.map((r: string[]) => r[0])).toEqual(cs.map((c) => c.unifiedId).sort());
    const count = await sql(
      h,
      `SELECT COUNT(*) AS n FROM Citizen_Engagement__cio WHERE (EngagementScore__c >= 50 AND NOT BenefitEligibility__c = 'REVIEW') OR LifetimeValue__c < 10.5`,
    );
    const all = await sql(
      h,
      'SELECT EngagementScore__c, BenefitEligibility__c, LifetimeValue__c FROM Citizen_Engagement__cio',
    );
    const expected = all.body.data.filter(
      ([s, b, l]: [number, string, string]) => (s >= 50 && b !== 'REVIEW') || Number(l) < 10.5,
    ).length;
    expect(count.body.data).toEqual([[expected]]);
    expect(count.body.metadata.n.type).toBe('BIGINT');
    const like = await sql(
      h,
      `SELECT ssot__EmailAddress__c FROM UnifiedssotContactPointEmailIr1__dlm WHERE ssot__EmailAddress__c ILIKE 'ADA.%' ORDER BY ssot__EmailAddress__c DESC LIMIT 2 OFFSET 1`,
    );
    expect(like.body.data.length).toBe(2);
    expect(like.body.data.every((r: string[]) => r[0].startsWith('ada.'))).toBe(true);
    const nulls = await sql(
      h,
      'SELECT COUNT(*) FROM ssot__Individual__dlm WHERE KQ_Id__c IS NULL AND ssot__Id__c IS NOT NULL',
    );
    expect(nulls.body.data).toEqual([[6000]]);
    const notIn = await sql(
      h,
      `SELECT COUNT(*) FROM UnifiedLinkssotIndividualIr1__dlm WHERE ssot__DataSourceObjectId__c NOT IN ('Contact') AND ssot__DataSourceId__c <> 'x'`,
    );
    expect(notIn.body.data).toEqual([[3000]]);
    const star = await sql(h, 'SELECT * FROM UnifiedssotIndividualIr1_SM__dlm LIMIT 1');
    expect(Object.keys(star.body.metadata)).toEqual([
      'Id__c',
      'KQ_Id__c',
      'Segment_Id__c',
      'Snapshot_Type__c',
      'Timestamp__c',
      'Version_Stamp__c',
    ]);
  });

  it('joins on one equality (INNER and LEFT)', async () => {
    const c = h.emu.core.world.citizens[21];
    const inner = await sql(
      h,
      `SELECT u.ssot__Id__c, l.SourceRecordId__c AS source, e.ssot__EmailAddress__c FROM UnifiedLinkssotIndividualIr1__dlm l
       JOIN UnifiedssotIndividualIr1__dlm u ON l.UnifiedRecordId__c = u.ssot__Id__c
       INNER JOIN UnifiedssotContactPointEmailIr1__dlm e ON e.ssot__PartyId__c = u.ssot__Id__c
       WHERE l.SourceRecordId__c IN ('${c.contactId}', '${c.commerceCustomerId}') ORDER BY source`,
    );
    expect(inner.status).toBe(200);
    expect(inner.body.data).toEqual(
      [c.contactId, c.commerceCustomerId].sort().map((s) => [c.unifiedId, s, c.email]),
    );
    const left = await sql(
      h,
      `SELECT i.ssot__Id__c, p.ssot__Identificationnumber__c FROM ssot__Individual__dlm i
       LEFT JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = i.ssot__Id__c
       WHERE i.ssot__Id__c IN ('${c.contactId}', '${c.commerceCustomerId}') ORDER BY i.ssot__DataSourceId__c`,
    );
    expect(left.body.data).toEqual([
      [c.commerceCustomerId, c.email],
      [c.contactId, null],
    ]);
    const ambiguous = await sql(
      h,
      `SELECT ssot__Id__c FROM ssot__Individual__dlm i JOIN UnifiedssotIndividualIr1__dlm u ON i.ssot__Id__c = u.ssot__Id__c`,
    );
    expect(ambiguous.status).toBe(400);
  });

  it('LEFT JOIN ... ON an equality AND a condition on the joined row keeps the unmatched left rows (ANSI)', async () => {
    const c = h.emu.core.world.citizens[22];
    const q = (type: string) =>
      sql(
        h,
        `SELECT l.SourceRecordId__c AS source, p.ssot__Identificationnumber__c FROM UnifiedLinkssotIndividualIr1__dlm l
         LEFT JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = l.SourceRecordId__c AND p.ssot__PartyIdentificationTypeId__c = '${type}'
         WHERE l.UnifiedRecordId__c IN ('${c.unifiedId}') ORDER BY source`,
      );
    const login = await q('CommerceLogin');
    expect(login.status).toBe(200);
    // Both links stay; only the Commerce source record has a login identification.
    expect(login.body.data).toEqual(
      [
        [c.contactId, null],
        [c.commerceCustomerId, c.email],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    const none = await q('NoSuchType');
    expect(none.body.data).toEqual(
      [c.contactId, c.commerceCustomerId].sort().map((source) => [source, null]),
    );
    // WHERE (not ON) filters the joined rows away: the difference ON makes.
    const where = await sql(
      h,
      `SELECT l.SourceRecordId__c FROM UnifiedLinkssotIndividualIr1__dlm l
       LEFT JOIN ssot__PartyIdentification__dlm p ON p.ssot__PartyId__c = l.SourceRecordId__c
       WHERE l.UnifiedRecordId__c IN ('${c.unifiedId}') AND p.ssot__PartyIdentificationTypeId__c = 'CommerceLogin'`,
    );
    expect(where.body.data).toEqual([[c.commerceCustomerId]]);
  });

  it('treats an injected clause inside quotes as a literal', async () => {
    const hostile = `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__Id__c = 'x'' OR 1=1 --'`;
    const { status, body } = await sql(h, hostile);
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
    const backslash = await sql(
      h,
      `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE ssot__LastName__c = 'O''Brien' LIMIT 1`,
    );
    expect(backslash.status).toBe(200);
  });

  it('answers 401 without a valid Data Cloud token (a core token is not one)', async () => {
    expect((await sql(h, 'SELECT 1', 'bogus')).status).toBe(401);
    const core = await sql(h, 'SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm', h.coreToken);
    expect(core.status).toBe(401);
    expect(core.body).toEqual({
      error: expect.any(String),
      errorCode: 'INVALID_SESSION_ID',
      message: expect.any(String),
    });
  });

  it('answers 400 with the Data Cloud envelope for unknown tables, columns and malformed SQL', async () => {
    const table = await sql(h, 'SELECT a FROM Nope__dlm');
    expect(table.status).toBe(400);
    expect(table.body).toMatchObject({
      errorCode: 'TABLE_NOT_FOUND',
      message: expect.stringContaining('Nope__dlm'),
    });
    const column = await sql(h, 'SELECT Nope__c FROM UnifiedssotIndividualIr1__dlm');
    expect(column.status).toBe(400);
    expect(column.body.errorCode).toBe('COLUMN_NOT_FOUND');
    const whereColumn = await sql(
      h,
      `SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm WHERE Nope__c = 'x'`,
    );
    expect(whereColumn.status).toBe(400);
    const bad = await sql(h, 'SELEKT * FROM');
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe('MALFORMED_QUERY');
    const two = await sql(h, 'SELECT ssot__Id__c FROM UnifiedssotIndividualIr1__dlm; SELECT 1');
    expect(two.status).toBe(400);
    const empty = await fetch(`${h.tse}/api/v2/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.dcToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(empty.status).toBe(400);
  });
});

// instance_url is a bare host; clients call https://{instance_url}
// (docs/salesforce/data-cloud.md#token-exchange).
// https://developer.salesforce.com/docs/data/data-cloud-ref/guide/c360a-api-get-query-v2.htm
describe('the tenant endpoint over TLS', () => {
  const tls = selfSignedCert();
  (tls ? it : it.skip)(
    'serves https://{instance_url} with a certificate made by openssl',
    async () => {
      const emu = createEmulator({ citizens: 50 });
      const up = await listenTls(emu, tls!);
      try {
        const f = tlsFetch(tls!.cert);
        const res = await f(`${up.url}/crm/services/a360/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'urn:salesforce:grant-type:external:cdp',
            subject_token: coreTokenFor(emu),
            subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          }).toString(),
        });
        const body = (await res.json()) as { access_token: string; instance_url: string };
        expect(body.instance_url).toBe(`${up.url.replace('https://', '')}/datacloud`);
        const q = await f(`https://${body.instance_url}/api/v2/query`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${body.access_token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ sql: 'SELECT COUNT(*) AS n FROM UnifiedssotIndividualIr1__dlm' }),
        });
        expect(q.status).toBe(200);
        expect(((await q.json()) as { data: unknown }).data).toEqual([[50]]);
        // Plain HTTP to the TLS port is not served.
        await expect(
          fetch(`${up.url.replace('https://', 'http://')}/datacloud/api/v2/query`),
        ).rejects.toThrow();
      } finally {
        await up.close();
      }
    },
  );
});

// CRM conformance: the unmodified jsforce client and plain HTTP against the emulator's /crm.
import { createHmac } from 'node:crypto';
import jsforce from 'jsforce';
import { createEmulator } from '../server.js';
import { listen, type Listening } from '../../lib/http.js';
import { permissionSetGranting } from '../crm/permissions.js';
import { OBJECTS } from '../crm/metadata.js';

let emu: ReturnType<typeof createEmulator>;
let up: Listening;
let base: string;
let token: string;
let conn: jsforce.Connection;

async function getToken(): Promise<Record<string, string>> {
  const res = await fetch(`${base}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emu.core.world.integration.clientId,
      client_secret: emu.core.world.integration.clientSecret,
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, string>;
}

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${base}/services/data/v62.0${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  });

beforeAll(async () => {
  emu = createEmulator({ citizens: 300 });
  up = await listen(emu.app);
  emu.setOrigin(up.url);
  base = `${up.url}/crm`;
  const t = await getToken();
  token = t.access_token;
  conn = new jsforce.Connection({
    instanceUrl: t.instance_url,
    accessToken: token,
    version: '62.0',
  });
});
afterAll(() => up.close());

describe('OAuth', () => {
  test('client credentials answers the documented shape without a refresh token', async () => {
    const t = await getToken();
    expect(t.instance_url).toBe(`${up.url}/crm`);
    expect(t.token_type).toBe('Bearer');
    expect(t.issued_at).toMatch(/^\d{13}$/);
    expect(t.id).toContain(`/id/${emu.core.world.orgId}/${emu.core.world.integration.userId}`);
    expect(Object.keys(t)).toEqual([
      'access_token',
      'signature',
      'scope',
      'instance_url',
      'id',
      'token_type',
      'issued_at',
    ]);
    // docs/salesforce/crm-rest.md#oauth-token-endpoint: base64 HMAC-SHA256 over id + issued_at,
    // keyed with the client secret.
    expect(t.signature).toBe(
      createHmac('sha256', emu.core.world.integration.clientSecret)
        .update(t.id + t.issued_at)
        .digest('base64'),
    );
  });

  test('Basic client credentials are form-urlencoded before encoding (RFC 6749 §2.3.1); a malformed escape is invalid_client', async () => {
    const { clientId, clientSecret } = emu.core.world.integration;
    const withBasic = (user: string, password: string) =>
      fetch(`${base}/services/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
    // `%2D` is `-`: the secret only matches once decoded.
    const escaped = await withBasic(clientId, clientSecret.replaceAll('-', '%2D'));
    expect(escaped.status).toBe(200);
    const malformed = await withBasic(clientId, '%zz');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
  });

  test('Basic client auth works, bad secret is invalid_client, unknown grant unsupported', async () => {
    const { clientId, clientSecret } = emu.core.world.integration;
    const basic = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    const bad = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: 'nope',
      }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const grant = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect((await grant.json()).error).toBe('unsupported_grant_type');
    const refresh = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'bogus',
        client_id: emu.core.world.portalApp.clientId,
      }),
    });
    expect(refresh.status).toBe(400);
    expect((await refresh.json()).error).toBe('invalid_grant');
  });

  test('introspect and revoke', async () => {
    const t = await getToken();
    const { clientId, clientSecret } = emu.core.world.integration;
    const intro = async () =>
      (await (
        await fetch(`${base}/services/oauth2/introspect`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            token: t.access_token,
            client_id: clientId,
            client_secret: clientSecret,
          }),
        })
      ).json()) as Record<string, unknown>;
    expect(await intro()).toEqual({
      active: true,
      scope:
        'api cdp_query_api cdp_profile_api cdp_segment_api user_registration_api forgot_password',
      client_id: clientId,
      username: emu.core.world.integration.username,
      sub: t.id,
      token_type: 'access_token',
      exp: Math.floor(Number(t.issued_at) / 1000) + emu.core.settings.coreTokenTtlSeconds,
      iat: Math.floor(Number(t.issued_at) / 1000),
      nbf: Math.floor(Number(t.issued_at) / 1000),
    });
    const rv = await fetch(`${base}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.access_token }),
    });
    expect(rv.status).toBe(200);
    expect(await intro()).toEqual({ active: false });
    const after = await fetch(`${base}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });
});

describe('jsforce', () => {
  test('query with relationship fields and queryMore (autoFetch)', async () => {
    const res = await conn.query(
      "SELECT Id, Subject, Contact.Email FROM Case WHERE Status != 'Closed' ORDER BY CreatedDate DESC",
    );
    expect(res.totalSize).toBeGreaterThan(0);
    const rec = res.records[0] as Record<string, any>;
    expect(rec.attributes.url).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Case\/500/);
    expect(rec.Contact.attributes.type).toBe('Contact');
    expect(rec.Contact.Email).toMatch(/@example\.org$/);

    const all: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query('SELECT Id FROM CaseComment')
        .on('record', (r) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({
          autoFetch: true,
          maxFetch: 100000,
          headers: { 'Sforce-Query-Options': 'batchSize=200' },
        } as any);
    });
    expect(all.length).toBe(emu.core.sobjects.count('CaseComment'));
    expect(all.length).toBeGreaterThan(200);
  });

  test('queryMore via nextRecordsUrl', async () => {
    const first = await (
      await api('/query?q=' + encodeURIComponent('SELECT Id FROM Contact'), {
        headers: { 'Sforce-Query-Options': 'batchSize=200' },
      })
    ).json();
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w+-200$/);
    const more = await conn.queryMore(first.nextRecordsUrl);
    expect(more.records).toHaveLength(100);
    expect(more.done).toBe(true);
    expect(more.totalSize).toBe(300);
  });

  test('retrieve one and many, with and without fields', async () => {
    const id = emu.core.world.citizens[0].contactId;
    const one = (await conn.sobject('Contact').retrieve(id)) as Record<string, unknown>;
    expect(one.Id).toBe(id);
    expect(one.Email).toBe(emu.core.world.citizens[0].email);
    const ids = emu.core.world.citizens.slice(0, 3).map((c) => c.contactId);
    const many = (await conn
      .sobject('Contact')
      .retrieve([...ids, '003Hu0000000ZZZZZZ'])) as Array<Record<string, unknown> | null>;
    expect(many.slice(0, 3).map((r) => r?.Id)).toEqual(ids);
    expect(many[3]).toBeNull();
    const withFields = (await conn
      .sobject('Contact')
      .retrieve(ids, { fields: ['LastName'] })) as Array<Record<string, unknown>>;
    expect(Object.keys(withFields[0])).toEqual(['attributes', 'LastName']);
  });

  test('create one and many, update', async () => {
    const contactId = emu.core.world.citizens[1].contactId;
    const created = (await conn
      .sobject('Case')
      .create({ Subject: 'Graffiti on wall', ContactId: contactId })) as {
      id: string;
      success: boolean;
    };
    expect(created.success).toBe(true);
    const rec = (await conn.sobject('Case').retrieve(created.id)) as Record<string, unknown>;
    expect(rec.CaseNumber).toMatch(/^\d{8}$/);
    expect(rec.Status).toBe('New');
    expect(rec.IsClosed).toBe(false);
    expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const many = (await conn.sobject('CaseComment').create([
      { ParentId: created.id, CommentBody: 'one', IsPublished: true },
      { ParentId: created.id, CommentBody: 'two', IsPublished: true },
    ])) as Array<{ success: boolean }>;
    expect(many.every((r) => r.success)).toBe(true);
    await conn.sobject('Case').update({ Id: created.id, Status: 'Closed' });
    const closed = (await conn.sobject('Case').retrieve(created.id)) as Record<string, unknown>;
    expect(closed.IsClosed).toBe(true);
    expect(closed.ClosedDate).not.toBeNull();
  });

  test('errors surface with errorCode', async () => {
    await expect(conn.sobject('Case').retrieve('500Hu0000000ZZZZZZ')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    await expect(conn.query('SELECT Nope__c FROM Case')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT FROM Case')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT Id FROM Nope__c')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    await expect(conn.sobject('Case').create({ CaseNumber: '1' })).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    await expect(conn.sobject('Contact').create({ FirstName: 'x' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
  });
});

describe('SOQL', () => {
  const q = async (soql: string) => {
    const res = await api('/query?q=' + encodeURIComponent(soql));
    return { status: res.status, body: await res.json() };
  };

  test('a quote-escaped injected clause stays inside the string literal', async () => {
    const injected = "SELECT Id FROM Contact WHERE LastName = 'x\\' OR Name != \\''";
    const res = await q(injected);
    expect(res.status).toBe(200);
    expect(res.body.totalSize).toBe(0);
    // And an escaped quote is a quote: the seeded O'Briens are found by their name.
    const c = emu.core.world.citizens.find((x) => x.lastName.includes("'"));
    expect(c).toBeDefined();
    const hit = await q(
      `SELECT Id FROM Contact WHERE LastName = '${c!.lastName.replace(/'/g, "\\'")}'`,
    );
    expect(hit.body.totalSize).toBe(
      emu.core.world.citizens.filter((x) => x.lastName === c!.lastName).length,
    );
  });

  test('precedence, parentheses, NOT, IN, LIKE, null, booleans, dates, COUNT()', async () => {
    const all = [...emu.core.sobjects.all('Case')];
    const count = (pred: (r: Record<string, unknown>) => boolean) => all.filter(pred).length;
    const r1 = await q(
      "SELECT COUNT() FROM Case WHERE Status = 'New' OR Status = 'Working' AND Priority = 'High'",
    );
    expect(r1.body).toEqual({
      totalSize: count(
        (r) => r.Status === 'New' || (r.Status === 'Working' && r.Priority === 'High'),
      ),
      done: true,
      records: [],
    });
    const r2 = await q(
      "SELECT COUNT() FROM Case WHERE (Status = 'New' OR Status = 'Working') AND Priority = 'High'",
    );
    expect(r2.body.totalSize).toBe(
      count((r) => (r.Status === 'New' || r.Status === 'Working') && r.Priority === 'High'),
    );
    const r3 = await q(
      "SELECT COUNT() FROM Case WHERE NOT (Status IN ('New','Closed')) AND IsClosed = false",
    );
    expect(r3.body.totalSize).toBe(
      count((r) => !['New', 'Closed'].includes(r.Status as string) && r.IsClosed === false),
    );
    const r4 = await q(
      "SELECT COUNT() FROM Case WHERE subject LIKE '%POTHOLE%' AND ClosedDate = null",
    );
    expect(r4.body.totalSize).toBe(
      count((r) => /pothole/i.test(r.Subject as string) && r.ClosedDate == null),
    );
    const r5 = await q('SELECT COUNT() FROM Case WHERE CreatedDate > 2026-01-01T00:00:00Z');
    expect(r5.body.totalSize).toBe(
      count(
        (r) =>
          Date.parse((r.CreatedDate as string).replace('+0000', 'Z')) >
          Date.parse('2026-01-01T00:00:00Z'),
      ),
    );
    const r6 = await q(
      "SELECT Id FROM Case WHERE Status NOT IN ('Closed') ORDER BY CreatedDate ASC LIMIT 5 OFFSET 2",
    );
    const expected = all
      .filter((r) => r.Status !== 'Closed')
      .sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)))
      .slice(2, 7)
      .map((r) => r.Id);
    expect(r6.body.records.map((r: { Id: string }) => r.Id)).toEqual(expected);
  });

  test('ORDER BY puts nulls first ascending and last descending unless NULLS FIRST/LAST says', async () => {
    const all = [...emu.core.sobjects.all('Case')];
    const nulls = all.filter((r) => r.ClosedDate == null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(nulls).toBeLessThan(all.length);
    const order = async (clause: string) => {
      const res = await q(`SELECT Id, ClosedDate FROM Case ORDER BY ${clause}`);
      expect(res.status).toBe(200);
      const dates = (res.body.records as Array<{ ClosedDate: string | null }>).map(
        (r) => r.ClosedDate,
      );
      expect(dates).toHaveLength(all.length);
      return dates;
    };
    const known = all
      .map((r) => r.ClosedDate as string | null)
      .filter((d): d is string => d != null)
      .sort();
    const none = Array<null>(nulls).fill(null);
    expect(await order('ClosedDate ASC')).toEqual([...none, ...known]);
    expect(await order('ClosedDate DESC')).toEqual([...[...known].reverse(), ...none]);
    expect(await order('ClosedDate ASC NULLS LAST')).toEqual([...known, ...none]);
    expect(await order('ClosedDate DESC NULLS FIRST')).toEqual([...none, ...[...known].reverse()]);
  });

  test('parent lookups and null relationships', async () => {
    const c = emu.core.world.citizens[2];
    const res = await q(
      `SELECT Id, Contact.Email, Parent.Subject FROM Case WHERE ContactId IN ('${c.contactId}', '003Hu0000000ZZZZZZ')`,
    );
    for (const r of res.body.records) {
      expect(r.Contact.Email).toBe(c.email);
      expect(r.Parent).toBeNull();
    }
    const users = await q(
      `SELECT Username, Contact.Name FROM User WHERE ContactId = '${c.contactId}'`,
    );
    expect(users.body.records[0]).toMatchObject({
      Username: c.username,
      Contact: { Name: `${c.firstName} ${c.lastName}` },
    });
  });
});

describe('collections, composite, upsert, limits', () => {
  test('collections create with allOrNone rolls back and uses statusCode', async () => {
    const before = emu.core.sobjects.count('Contact');
    const res = await api('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: true,
        records: [
          { attributes: { type: 'Contact' }, LastName: 'Valid' },
          { attributes: { type: 'Contact' }, FirstName: 'NoLastName' },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: expect.any(String),
          fields: [],
        },
      ],
    });
    expect(body[1].errors[0]).toMatchObject({
      statusCode: 'REQUIRED_FIELD_MISSING',
      fields: ['LastName'],
    });
    expect(emu.core.sobjects.count('Contact')).toBe(before);
  });

  test('more than 200 records is a 400; retrieve by POST allows 2000 ids and gives null for unknown', async () => {
    const records = Array.from({ length: 201 }, () => ({
      attributes: { type: 'Contact' },
      LastName: 'X',
    }));
    const res = await api('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({ records }),
    });
    expect(res.status).toBe(400);
    expect((await res.json())[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
    const ids = emu.core.world.citizens.slice(0, 2).map((c) => c.contactId);
    const get = await api(
      `/composite/sobjects/Contact?ids=${ids.join(',')},003Hu0000000ZZZZZZ&fields=Email`,
    );
    const got = await get.json();
    expect(got).toHaveLength(3);
    expect(got[2]).toBeNull();
    const tooMany = await api('/composite/sobjects/Contact', {
      method: 'POST',
      body: JSON.stringify({ ids: Array(2001).fill(ids[0]), fields: ['Id'] }),
    });
    expect(tooMany.status).toBe(400);
    const badField = await api('/composite/sobjects/Contact', {
      method: 'POST',
      body: JSON.stringify({ ids, fields: ['Nope'] }),
    });
    expect((await badField.json())[0].errorCode).toBe('INVALID_FIELD');
  });

  test('upsert by Idempotency_Key__c: 201 created, then 200 created:false', async () => {
    const contactId = emu.core.world.citizens[3].contactId;
    const put = () =>
      api('/sobjects/Case/Idempotency_Key__c/key-abc-12345', {
        method: 'PATCH',
        body: JSON.stringify({ Subject: 'Upserted', ContactId: contactId }),
      });
    const a = await put();
    expect(a.status).toBe(201);
    const ab = await a.json();
    expect(ab).toMatchObject({ success: true, errors: [], created: true });
    const b = await put();
    expect(b.status).toBe(200);
    expect(await b.json()).toEqual({ id: ab.id, success: true, errors: [], created: false });
    const withKey = await api('/sobjects/Case/Idempotency_Key__c/key-abc-12345', {
      method: 'PATCH',
      body: JSON.stringify({ Idempotency_Key__c: 'x' }),
    });
    expect(withKey.status).toBe(400);
    const byExt = await (await api('/sobjects/Case/Idempotency_Key__c/key-abc-12345')).json();
    expect(byExt.Id).toBe(ab.id);
  });

  test('a second insert with a taken unique external id is DUPLICATE_VALUE and writes nothing', async () => {
    const contactId = emu.core.world.citizens[4].contactId;
    const insert = (subject: string) =>
      api('/sobjects/Case', {
        method: 'POST',
        body: JSON.stringify({
          Subject: subject,
          ContactId: contactId,
          Idempotency_Key__c: 'Dup-Key-0001',
          Idempotency_Fingerprint__c: subject,
        }),
      });
    const first = await insert('First');
    expect(first.status).toBe(201);
    const { id } = await first.json();
    const before = emu.core.sobjects.count('Case');
    const second = await insert('Second');
    expect(second.status).toBe(400);
    expect(await second.json()).toEqual([
      {
        errorCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Idempotency_Key__c duplicates value on record with id: ${id}`,
        fields: ['Idempotency_Key__c'],
      },
    ]);
    expect(emu.core.sobjects.count('Case')).toBe(before);
    // The field is case-sensitive: another case of the same letters is another key.
    expect((await api('/sobjects/Case/Idempotency_Key__c/dup-key-0001')).status).toBe(404);
    const byKey = await api(
      '/sobjects/Case/Idempotency_Key__c/Dup-Key-0001?fields=Id,Subject,Idempotency_Fingerprint__c',
    );
    expect(await byKey.json()).toEqual({
      attributes: { type: 'Case', url: `/services/data/v62.0/sobjects/Case/${id}` },
      Id: id,
      Subject: 'First',
      Idempotency_Fingerprint__c: 'First',
    });
  });

  test('Case_Comment_Request__c: a unique external id; a second request with its key rolls its comment back', async () => {
    const d = await (await api('/sobjects/Case_Comment_Request__c/describe')).json();
    expect(d.custom).toBe(true);
    expect(d.fields.find((f: any) => f.name === 'Idempotency_Key__c')).toMatchObject({
      type: 'string',
      length: 80,
      externalId: true,
      unique: true,
      caseSensitive: true,
      idLookup: true,
    });
    const caseId = [...emu.core.sobjects.all('Case')][0].Id;
    const comments = () =>
      [...emu.core.sobjects.all('CaseComment')].filter((c) => c.ParentId === caseId).length;
    const before = comments();
    // The comment and its request in one all-or-none transaction, as addCaseComment sends them.
    const ask = () =>
      api('/composite', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/CaseComment',
              referenceId: 'comment',
              body: { ParentId: caseId, CommentBody: 'Once only', IsPublished: true },
            },
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Case_Comment_Request__c',
              referenceId: 'request',
              body: {
                Idempotency_Key__c: 'Req-Key-0001',
                Case__c: caseId,
                Fingerprint__c: 'fp',
                Case_Comment_Id__c: '@{comment.id}',
              },
            },
          ],
        }),
      }).then((r) => r.json());
    const first = await ask();
    expect(first.compositeResponse.map((r: any) => r.httpStatusCode)).toEqual([201, 201]);
    const second = await ask();
    expect(second.compositeResponse[1].body[0].errorCode).toBe('DUPLICATE_VALUE');
    expect(comments()).toBe(before + 1);
    const byKey = await api(
      '/sobjects/Case_Comment_Request__c/Idempotency_Key__c/Req-Key-0001?fields=Case__c,Case_Comment_Id__c,Name',
    );
    expect(byKey.status).toBe(200);
    expect(await byKey.json()).toMatchObject({
      Case__c: caseId,
      Case_Comment_Id__c: first.compositeResponse[0].body.id,
      Name: expect.stringMatching(/^CCR-\d{8}$/),
    });
    // Case-sensitive: another case of the same letters is another key.
    expect(
      (await api('/sobjects/Case_Comment_Request__c/Idempotency_Key__c/req-key-0001')).status,
    ).toBe(404);
  });

  test('upsert by external id on Case_Comment_Request__c: 201 created, then 200 updated (dome_upsert)', async () => {
    const caseId = [...emu.core.sobjects.all('Case')][1].Id;
    const put = () =>
      api('/sobjects/Case_Comment_Request__c/Idempotency_Key__c/Upsert-Key-0001', {
        method: 'PATCH',
        body: JSON.stringify({ Case__c: caseId, Fingerprint__c: 'fp' }),
      });
    const a = await put();
    expect(a.status).toBe(201);
    const created = await a.json();
    expect(created).toMatchObject({ success: true, created: true });
    const b = await put();
    expect(b.status).toBe(200);
    expect(await b.json()).toEqual({ id: created.id, success: true, errors: [], created: false });
  });

  test('composite allOrNone:false: a failed insert does not stop the read after it', async () => {
    const contactId = emu.core.world.citizens[4].contactId;
    const res = await api('/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        collateSubrequests: false,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Case',
            referenceId: 'insert',
            body: { Subject: 'Again', ContactId: contactId, Idempotency_Key__c: 'Dup-Key-0001' },
          },
          {
            method: 'GET',
            url: '/services/data/v62.0/sobjects/Case/Idempotency_Key__c/Dup-Key-0001?fields=Subject',
            referenceId: 'read',
          },
        ],
      }),
    });
    const { compositeResponse } = await res.json();
    expect(compositeResponse.map((r: any) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['insert', 400],
      ['read', 200],
    ]);
    expect(compositeResponse[0].body[0].errorCode).toBe('DUPLICATE_VALUE');
    expect(compositeResponse[1].body.Subject).toBe('First');
  });

  test('composite with references, and allOrNone PROCESSING_HALTED', async () => {
    const contactId = emu.core.world.citizens[4].contactId;
    const res = await api('/composite', {
      method: 'POST',
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [
          {
            method: 'GET',
            url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Id = '${contactId}'`)}`,
            referenceId: 'q',
          },
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Case',
            referenceId: 'newCase',
            body: { Subject: 'Composite', ContactId: '@{q.records[0].Id}' },
          },
          {
            method: 'GET',
            url: '/services/data/v62.0/sobjects/Case/@{newCase.id}?fields=ContactId',
            referenceId: 'read',
          },
        ],
      }),
    });
    const body = await res.json();
    expect(body.compositeResponse.map((r: { httpStatusCode: number }) => r.httpStatusCode)).toEqual(
      [200, 201, 200],
    );
    expect(body.compositeResponse[1].httpHeaders.Location).toMatch(
      /^\/services\/data\/v62\.0\/sobjects\/Case\//,
    );
    expect(body.compositeResponse[2].body.ContactId).toBe(contactId);

    const before = emu.core.sobjects.count('Case');
    const halted = await (
      await api('/composite', {
        method: 'POST',
        body: JSON.stringify({
          allOrNone: true,
          compositeRequest: [
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Case',
              referenceId: 'a',
              body: { Subject: 'rolled back' },
            },
            {
              method: 'POST',
              url: '/services/data/v62.0/sobjects/Case',
              referenceId: 'b',
              body: { Bogus__c: 1 },
            },
          ],
        }),
      })
    ).json();
    expect(halted.compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'PROCESSING_HALTED' }],
    });
    expect(halted.compositeResponse[1].body[0].errorCode).toBe('INVALID_FIELD');
    expect(emu.core.sobjects.count('Case')).toBe(before);
    const big = await api('/composite', {
      method: 'POST',
      body: JSON.stringify({
        compositeRequest: Array.from({ length: 26 }, (_, i) => ({
          method: 'GET',
          url: '/services/data/v62.0/limits',
          referenceId: `r${i}`,
        })),
      }),
    });
    expect(big.status).toBe(400);
  });

  test('versions root, limits header and REQUEST_LIMIT_EXCEEDED', async () => {
    const versions = await (await fetch(`${base}/services/data`)).json();
    expect(versions.find((v: { version: string }) => v.version === '66.0')).toEqual({
      label: "Spring '26",
      url: '/services/data/v66.0',
      version: '66.0',
    });
    const res = await api('/limits');
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
    expect((await res.json()).DailyApiRequests.Max).toBe(15000);
    emu.apiUsage.reset(2);
    await api('/limits');
    await api('/limits');
    const over = await api('/limits');
    expect(over.status).toBe(403);
    expect(await over.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    emu.apiUsage.reset(15000);
  });

  test('describe lists fields; unknown sObject is NOT_FOUND; echoes the version', async () => {
    const d = await (
      await fetch(`${base}/services/data/v58.0/sobjects/Case/describe`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    expect(d.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['CaseNumber', 'Idempotency_Key__c']),
    );
    expect(d.urls.describe).toBe('/services/data/v58.0/sobjects/Case/describe');
    const nf = await api('/sobjects/Nope__c/describe');
    expect(nf.status).toBe(404);
  });
});

describe('picklists (DescribeFieldResult.picklistValues, restrictedPicklist)', () => {
  const contactId = () => emu.core.world.citizens[0].contactId;

  test('describe lists each Case picklist value with its active and default flags', async () => {
    const d = await (await api('/sobjects/Case/describe')).json();
    const field = (name: string) => d.fields.find((f: { name: string }) => f.name === name);
    expect(field('Origin').restrictedPicklist).toBe(true);
    expect(field('Origin').picklistValues).toEqual([
      { active: true, defaultValue: false, label: 'Phone', validFor: null, value: 'Phone' },
      { active: true, defaultValue: false, label: 'Email', validFor: null, value: 'Email' },
      { active: true, defaultValue: false, label: 'Web', validFor: null, value: 'Web' },
    ]);
    expect(
      field('Priority').picklistValues.map((v: { value: string; defaultValue: boolean }) => [
        v.value,
        v.defaultValue,
      ]),
    ).toEqual([
      ['High', false],
      ['Medium', true],
      ['Low', false],
    ]);
    expect(field('Status').picklistValues.map((v: { value: string }) => v.value)).toEqual([
      'New',
      'Working',
      'Escalated',
      'Closed',
    ]);
    // Not a picklist: no values, not restricted.
    expect(field('Subject')).toMatchObject({ picklistValues: [], restrictedPicklist: false });
  });

  test('a restricted picklist refuses an unknown or inactive value on insert and update', async () => {
    const unknown = await api('/sobjects/Case', {
      method: 'POST',
      body: JSON.stringify({ Subject: 'x', ContactId: contactId(), Origin: 'Portal' }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual([
      {
        errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: 'bad value for restricted picklist field: Portal',
        fields: ['Origin'],
      },
    ]);
    // An administrator deactivates Web (the org's metadata is the emulator's module state).
    const web = OBJECTS.get('Case')!
      .byLower.get('origin')!
      .picklist!.values.find((v) => v.value === 'Web')!;
    web.active = false;
    try {
      const inactive = await api('/sobjects/Case', {
        method: 'POST',
        body: JSON.stringify({ Subject: 'x', ContactId: contactId(), Origin: 'Web' }),
      });
      expect(inactive.status).toBe(400);
      expect((await inactive.json())[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
      const d = await (await api('/sobjects/Case/describe')).json();
      expect(
        d.fields
          .find((f: { name: string }) => f.name === 'Origin')
          .picklistValues.find((v: { value: string }) => v.value === 'Web').active,
      ).toBe(false);
    } finally {
      web.active = true;
    }
    const ok = await api('/sobjects/Case', {
      method: 'POST',
      body: JSON.stringify({ Subject: 'x', ContactId: contactId(), Origin: 'Web' }),
    });
    expect(ok.status).toBe(201);
    const { id } = await ok.json();
    const update = await api(`/sobjects/Case/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Priority: 'Urgent' }),
    });
    expect(update.status).toBe(400);
    expect((await update.json())[0]).toMatchObject({
      errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      fields: ['Priority'],
    });
  });
});

describe('OauthToken (describe + query; revoke with DeleteToken)', () => {
  /** Signs a citizen in through the site (302 with the code in Location) and exchanges the code. */
  async function siteLogin(i: number) {
    const { createHash, randomBytes } = await import('node:crypto');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const c = emu.core.world.citizens[i];
    const app = emu.core.world.portalApp;
    const site = `${up.url}/identity`;
    const a = await fetch(`${site}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'Auth-Request-Type': 'Named-User',
        authorization: `Basic ${Buffer.from(`${c.username}:${emu.core.world.citizenPassword}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        response_type: 'code_credentials',
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        code_challenge: challenge,
      }),
    });
    expect(a.status).toBe(302);
    const code = new URL(a.headers.get('location')!).searchParams.get('code')!;
    const t = await fetch(`${site}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      }),
    });
    return { user: c, tokens: (await t.json()) as Record<string, string> };
  }
  const soql = async (q: string) =>
    (await (await api(`/query?q=${encodeURIComponent(q)}`)).json()) as {
      totalSize: number;
      records: Record<string, unknown>[];
    };

  test('one row per live grant of the user; its DeleteToken at revoke ends the grant', async () => {
    const one = await siteLogin(40);
    const two = await siteLogin(40);
    const q = `SELECT Id, AppName, DeleteToken, UserId, UseCount FROM OauthToken WHERE UserId = '${one.user.userId}'`;
    const rows = await soql(q);
    expect(rows.totalSize).toBe(2);
    expect(rows.records[0]).toEqual({
      attributes: { type: 'OauthToken', url: expect.stringMatching(/\/sobjects\/OauthToken\//) },
      Id: expect.any(String),
      AppName: 'Citizen Portal',
      DeleteToken: expect.any(String),
      UserId: one.user.userId,
      UseCount: 0,
    });
    const res = await fetch(`${base}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(rows.records[0].DeleteToken) }),
    });
    expect(res.status).toBe(200);
    const left = await soql(q);
    expect(left.totalSize).toBe(1);
    const [revoked, alive] =
      emu.core.tokens.lookup(one.tokens.access_token) === undefined ? [one, two] : [two, one];
    expect(emu.core.tokens.lookup(revoked.tokens.access_token)).toBeUndefined();
    expect(emu.core.tokens.lookup(revoked.tokens.refresh_token)).toBeUndefined();
    expect(emu.core.tokens.lookup(alive.tokens.access_token)).toBeDefined();
    // A grant revoked by any other path (here: its refresh token) loses its row too.
    emu.core.tokens.revoke(alive.tokens.refresh_token);
    expect((await soql(q)).totalSize).toBe(0);
  });

  test('other users\' rows need "Customize Application": without it, own rows only (0, no error)', async () => {
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm
    const s = await siteLogin(42);
    const q = `SELECT Id, UserId FROM OauthToken WHERE UserId = '${s.user.userId}'`;
    expect((await soql(q)).totalSize).toBe(1);
    // The integration user's profile is a permission set the org can read.
    const held = await soql(
      `SELECT PermissionSet.Label FROM PermissionSetAssignment WHERE AssigneeId = '${emu.core.world.integration.userId}' AND PermissionSet.PermissionsCustomizeApplication = true`,
    );
    expect(held.totalSize).toBe(1);
    const setId = permissionSetGranting(
      emu.core,
      emu.core.world.integration.userId,
      'PermissionsCustomizeApplication',
    )!;
    emu.core.sobjects.update('PermissionSet', setId, { PermissionsCustomizeApplication: false });
    try {
      expect(await soql(q)).toMatchObject({ totalSize: 0, records: [] });
      expect((await soql('SELECT Id FROM OauthToken')).totalSize).toBe(0);
      expect(
        (
          await soql(
            `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${emu.core.world.integration.userId}' AND PermissionSet.PermissionsCustomizeApplication = true`,
          )
        ).totalSize,
      ).toBe(0);
    } finally {
      emu.core.sobjects.update('PermissionSet', setId, { PermissionsCustomizeApplication: true });
    }
    expect((await soql(q)).totalSize).toBe(1);
  });

  test('describe says query only; DML is refused with INVALID_TYPE_FOR_OPERATION', async () => {
    const d = await (await api('/sobjects/OauthToken/describe')).json();
    expect(d).toMatchObject({
      name: 'OauthToken',
      createable: false,
      updateable: false,
      deletable: false,
      queryable: true,
    });
    expect(d.fields.map((f: { name: string }) => f.name)).toEqual([
      'Id',
      'AccessToken',
      'AppMenuItemId',
      'AppName',
      'CreatedDate',
      'DeleteToken',
      'LastUsedDate',
      'RequestToken',
      'UseCount',
      'UserId',
    ]);
    const s = await siteLogin(41);
    const { records } = await soql(`SELECT Id FROM OauthToken WHERE UserId = '${s.user.userId}'`);
    const id = String(records[0].Id);
    const del = await api(`/sobjects/OauthToken/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(400);
    expect(await del.json()).toEqual([
      { errorCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be deleted' },
    ]);
    const coll = await api(`/composite/sobjects?ids=${id}`, { method: 'DELETE' });
    expect(await coll.json()).toEqual([
      {
        id,
        success: false,
        errors: [
          {
            statusCode: 'INVALID_TYPE_FOR_OPERATION',
            message: 'entity type cannot be deleted',
            fields: [],
          },
        ],
      },
    ]);
    expect(emu.core.tokens.lookup(s.tokens.access_token)).toBeDefined();
  });
});

// Every CrmClient method against the emulator, including SOQL escaping with hostile strings and
// re-authentication after an expired session.
import { createEmulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { UpstreamError } from '../../../lib/errors.js';
import { CrmClient, type SfRecord } from '../../../lib/salesforce/crm-client.js';
import { loadCaseConfig } from '../config.js';
import { soqlString } from '../../../lib/salesforce/soql.js';
import { CoreTokenCache } from '../../../lib/salesforce/token-cache.js';

let emu: ReturnType<typeof createEmulator>;
let up: Listening;
let crm: CrmClient;
let tokens: CoreTokenCache;
let config: ReturnType<typeof loadCaseConfig>;
const crmCalls = () =>
  emu.log.list({ family: 'crm' }).map((c) => `${c.status} ${c.method} ${c.path}`);

beforeAll(async () => {
  emu = createEmulator({ citizens: 250 });
  up = await listen(emu.app);
  emu.setOrigin(up.url);
  config = loadCaseConfig({ CRM_LOGIN_URL: `${up.url}/crm` });
  tokens = new CoreTokenCache(config);
  crm = new CrmClient(config, tokens, { cost: new UpstreamCost() });
});
afterAll(() => up.close());
beforeEach(() => emu.log.reset());

test('query follows nextRecordsUrl; the token is fetched once', async () => {
  const all = await crm.query<{ Id: string; attributes: any }>('SELECT Id FROM Contact');
  expect(all.records).toHaveLength(250);
  await crm.query('SELECT Id FROM Contact LIMIT 1');
  expect(emu.log.list({ family: 'crm', path: '/oauth2/token' })).toHaveLength(1);
});

test('queryMore over several pages', async () => {
  const res = await crm.query<{ Id: string; attributes: any }>('SELECT Id FROM CaseComment');
  expect(res.records).toHaveLength(emu.core.sobjects.count('CaseComment'));
});

describe('lib/salesforce soqlString against the CRM emulator', () => {
  test.each([
    "O'Brien",
    "x\\' OR Name != \\'",
    '\\',
    'trailing\\',
    "'; DELETE",
    'two\nlines\r\tand a tab',
    'say "hi"',
    'Zoë 東京 🙂',
    "%' OR LastName LIKE '%",
  ])('the hostile string %p round-trips as one literal', async (lastName) => {
    const [created] = await crm.composite([
      { method: 'POST', path: '/sobjects/Contact', referenceId: 'c', body: { LastName: lastName } },
    ]);
    expect(created.httpStatusCode).toBe(201);
    const id = (created.body as { id: string }).id;
    const res = await crm.query<SfRecord>(
      `SELECT Id, LastName FROM Contact WHERE LastName = ${soqlString(lastName)}`,
    );
    // Exactly the contacts with that last name (SOQL = is case-insensitive), the new one among them.
    const expected = [...emu.core.sobjects.all('Contact')]
      .filter((c) => String(c.LastName).toLowerCase() === lastName.toLowerCase())
      .map((c) => String(c.Id));
    expect(res.records.map((r) => r.Id).sort()).toEqual(expected.sort());
    expect(res.records.find((r) => r.Id === id)?.LastName).toBe(lastName);
  });
});

test('retrieve returns records in id order and null for unknown ids', async () => {
  const ids = emu.core.world.citizens.slice(0, 2).map((c) => c.contactId);
  const res = await crm.retrieve('Contact', [...ids, '003Hu0000000ZZZZZZ'], ['Id', 'Email']);
  expect(res.map((r) => r?.Id ?? null)).toEqual([...ids, null]);
});

test('composite with references', async () => {
  const res = await crm.composite([
    {
      method: 'POST',
      path: '/sobjects/Case',
      referenceId: 'c',
      body: { Subject: 'via composite', ContactId: emu.core.world.citizens[0].contactId },
    },
    { method: 'GET', path: '/sobjects/Case/@{c.id}?fields=Subject', referenceId: 'r' },
  ]);
  expect(res.map((r) => r.httpStatusCode)).toEqual([201, 200]);
  expect((res[1].body as any).Subject).toBe('via composite');
});

test('re-authenticates once after the session expired', async () => {
  await crm.query('SELECT Id FROM Contact LIMIT 1');
  emu.core.tokens.expireAll('core-access');
  emu.log.reset();
  const res = await crm.query('SELECT Id FROM Contact LIMIT 1');
  expect(res.records).toHaveLength(1);
  const calls = emu.log.list({ family: 'crm' }).map((c) => `${c.status} ${c.path}`);
  expect(calls).toEqual([
    '401 /services/data/v62.0/query',
    '200 /services/oauth2/token',
    '200 /services/data/v62.0/query',
  ]);
});

describe('CoreTokenCache', () => {
  test('concurrent callers share one token request; a refused token is fetched again', async () => {
    const tokens = new CoreTokenCache(config);
    const sessions = await Promise.all([1, 2, 3, 4, 5].map(() => tokens.get({})));
    expect(new Set(sessions.map((s) => s.accessToken)).size).toBe(1);
    expect(crmCalls()).toEqual(['200 POST /services/oauth2/token']);
    tokens.invalidate('some other token');
    expect((await tokens.get({})).accessToken).toBe(sessions[0].accessToken);
    tokens.invalidate(sessions[0].accessToken);
    expect((await tokens.get({})).accessToken).not.toBe(sessions[0].accessToken);
    expect(crmCalls()).toHaveLength(2);
  });
});

describe('withReauth', () => {
  test('a 401 re-authenticates exactly once: a second 401 is the answer', async () => {
    const tokens = new CoreTokenCache(config);
    // Every session dies just before each query reaches the org.
    const dying: typeof fetch = (input, init) => {
      if (String(input).includes('/query')) emu.core.tokens.expireAll('core-access');
      return fetch(input, init);
    };
    const crm = new CrmClient(config, tokens, { fetch: dying });
    const err = await crm.query('SELECT Id FROM Contact LIMIT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).status).toBe(401);
    expect(crmCalls()).toEqual([
      '200 POST /services/oauth2/token',
      '401 GET /services/data/v62.0/query',
      '200 POST /services/oauth2/token',
      '401 GET /services/data/v62.0/query',
    ]);
  });
});

// Every CrmClient method against the emulator, including SOQL escaping with hostile strings and
// re-authentication after an expired session.
import { createEmulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { CrmClient } from '../client.js';
import { loadCaseConfig } from '../config.js';
import { soqlString } from '../soql.js';
import { CoreTokenCache } from '../token-cache.js';

let emu: ReturnType<typeof createEmulator>;
let up: Listening;
let crm: CrmClient;
let tokens: CoreTokenCache;

beforeAll(async () => {
  emu = createEmulator({ citizens: 250 });
  up = await listen(emu.app);
  emu.setOrigin(up.url);
  const config = loadCaseConfig({ CRM_LOGIN_URL: `${up.url}/crm` });
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

test.each(["O'Brien", "x\\' OR Name != \\'", '\\', "'; DELETE", 'a\nb', "%' OR LastName LIKE '%"])(
  'hostile string %p stays a literal',
  async (s) => {
    const res = await crm.query(`SELECT Id FROM Contact WHERE LastName = ${soqlString(s)}`);
    const expected = [...emu.core.sobjects.all('Contact')].filter(
      (c) => String(c.LastName).toLowerCase() === s.toLowerCase(),
    ).length;
    expect(res.totalSize).toBe(expected);
  },
);

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

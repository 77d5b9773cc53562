// Data Cloud's documented API limits on the tenant endpoint (data-cloud/limits.ts): a daily
// allowance per API class and the Query API's concurrency (429 above it). No timing is asserted:
// concurrent calls are held together by a 'settle' fault and counted from the call log's
// `inFlight`; days pass on the emulator's clock.
import { EmulatorClock } from '../core/clock.js';
import { createEmulator } from '../server.js';
import { listen } from '../../lib/http.js';
import { coreTokenFor, exchange, get, sql, type DcHarness } from './datacloud-helpers.js';

async function start(options: Parameters<typeof createEmulator>[0] = {}): Promise<DcHarness> {
  const emu = createEmulator({ citizens: 50, ...options });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  const crm = `${up.url}/crm`;
  const coreToken = coreTokenFor(emu);
  const body = (await (await exchange(crm, coreToken)).json()) as { access_token: string };
  return { emu, up, coreToken, dcToken: body.access_token, tse: `${up.url}/datacloud`, crm };
}

const graph = (h: DcHarness) =>
  get(`${h.tse}/api/v1/dataGraph/Citizen_360/${h.emu.core.world.citizens[0].unifiedId}`, h.dcToken);

describe('Query API concurrency (15 by default, documented)', () => {
  it('answers 429 to the calls above the limit that arrive while the others are in progress', async () => {
    const h = await start();
    try {
      expect(h.emu.dataCloudLimits.snapshot().query.concurrency).toBe(15);
      // Every call is held until no other has arrived for a moment: all 20 are in progress at once.
      h.emu.faults.add({
        kind: 'settle',
        family: 'datacloud',
        path: '/api/v2/query',
        latencyMs: 150,
      });
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          sql(h, 'SELECT ssot__Id__c FROM ssot__Individual__dlm LIMIT 1'),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(15);
      const refused = answers.filter((a) => a.status === 429);
      expect(refused).toHaveLength(5);
      expect(refused[0].body).toMatchObject({ errorCode: 'TOO_MANY_REQUESTS' });
      const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });
      // A refused call leaves at once, so the busiest moment is the 15 held plus one arriving.
      expect(Math.max(...calls.map((c) => c.inFlight ?? 0))).toBe(16);
      for (const c of calls) expect(c.status).toBe(c.inFlight! > 15 ? 429 : 200);
      // Refused calls spend nothing of the day's allowance.
      expect(h.emu.dataCloudLimits.snapshot().query.used).toBe(15);
    } finally {
      await h.up.close();
    }
  });
});

describe('daily allowances per API class', () => {
  it('spends the Query and the Profile/Data Graph allowances separately, 429 when spent, renewed the next UTC day', async () => {
    const clock = new EmulatorClock();
    clock.freeze(Date.UTC(2026, 0, 1, 23));
    const h = await start({
      clock,
      dataCloudLimits: { query: { daily: 2 }, profile: { daily: 1 } },
    });
    try {
      const q = () => sql(h, 'SELECT ssot__Id__c FROM ssot__Individual__dlm LIMIT 1');
      expect((await q()).status).toBe(200);
      expect((await q()).status).toBe(200);
      const spent = await fetch(`${h.tse}/api/v2/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.dcToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT ssot__Id__c FROM ssot__Individual__dlm LIMIT 1' }),
      });
      expect(spent.status).toBe(429);
      expect(await spent.json()).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
      expect(spent.headers.get('retry-after')).toBe('3600');
      // The Data Graph draws on the Profile API's allowance, not the Query API's.
      expect((await graph(h)).status).toBe(200);
      expect((await graph(h)).status).toBe(429);
      // Metadata reads count against neither.
      expect((await get(`${h.tse}/api/v1/dataGraph/metadata`, h.dcToken)).status).toBe(200);
      expect(h.emu.dataCloudLimits.snapshot()).toMatchObject({
        query: { daily: 2, used: 2 },
        profile: { daily: 1, used: 1 },
      });
      clock.advance(3600_000);
      expect((await q()).status).toBe(200);
      expect((await graph(h)).status).toBe(200);
    } finally {
      await h.up.close();
    }
  });

  it('defaults to the Enterprise edition, is set through PUT /__emulator/limits, and a reseed renews it', async () => {
    const h = await start();
    try {
      const hook = async (body?: unknown) =>
        (await (
          await fetch(`${h.up.url}/__emulator/limits`, {
            method: body ? 'PUT' : 'GET',
            headers: { 'content-type': 'application/json' },
            body: body ? JSON.stringify(body) : undefined,
          })
        ).json()) as any;
      expect((await hook()).dataCloud).toMatchObject({
        query: { daily: 1000, concurrency: 15, used: 0 },
        profile: { daily: 50000, concurrency: null, used: 0 },
      });
      const set = await hook({
        dataCloud: { query: { daily: 5, used: 5 }, profile: { daily: null } },
      });
      expect(set.dataCloud).toMatchObject({
        query: { daily: 5, used: 5 },
        profile: { daily: null },
      });
      expect((await sql(h, 'SELECT ssot__Id__c FROM ssot__Individual__dlm LIMIT 1')).status).toBe(
        429,
      );
      h.emu.reseed();
      expect((await sql(h, 'SELECT ssot__Id__c FROM ssot__Individual__dlm LIMIT 1')).status).toBe(
        401,
      ); // a reseed forgets tokens too; the allowance is renewed:
      expect(h.emu.dataCloudLimits.snapshot().query).toMatchObject({ daily: 5, used: 0 });
    } finally {
      await h.up.close();
    }
  });
});

// The test hooks and fault injection under /__emulator, through HTTP.
import request from 'supertest';
import { createEmulator } from '../server.js';
import { generateWorld } from '../world.js';
import { caseSafeSuffix, sfId, toId18 } from '../ids.js';

const emu = createEmulator({ citizens: 50 });

beforeEach(() => emu.reset());

test('ids are 18-character case-safe Salesforce ids', () => {
  const id = sfId('003', 1234);
  expect(id).toHaveLength(18);
  expect(id.startsWith('003')).toBe(true);
  expect(toId18(id.slice(0, 15))).toBe(id);
  expect(toId18('not-an-id')).toBeNull();
  // Documented example from Salesforce: 001A0000006Vm9r → 001A0000006Vm9rIAC
  expect(caseSafeSuffix('001A0000006Vm9r')).toBe('IAC');
});

test('the world is deterministic and consistent', () => {
  const a = generateWorld({ citizens: 20, seed: 7 });
  const b = generateWorld({ citizens: 20, seed: 7 });
  expect(a.citizens).toEqual(b.citizens);
  expect(new Set(a.citizens.map((c: { contactId: string }) => c.contactId)).size).toBe(20);
});

test('demo users lists citizens, agents and the integration client', async () => {
  const res = await request(emu.app).get('/__emulator/demo-users').expect(200);
  expect(res.body.citizens[0]).toMatchObject({
    username: expect.stringContaining('@'),
    password: expect.any(String),
  });
  expect(res.body.agents.length).toBeGreaterThan(0);
  expect(res.body.integration.clientId).toBeTruthy();
});

test('calls are logged per family and reset', async () => {
  await request(emu.app).get('/crm/services/data');
  await request(emu.app).get('/scapi/nothing-here');
  const res = await request(emu.app).get('/__emulator/calls?family=crm').expect(200);
  expect(res.body.total).toBe(1);
  expect(res.body.calls[0]).toMatchObject({ family: 'crm', method: 'GET', path: '/services/data' });
  await request(emu.app).delete('/__emulator/calls').expect(204);
  expect((await request(emu.app).get('/__emulator/calls')).body.total).toBe(0);
});

test('a status fault answers in the family envelope for N calls, then retires', async () => {
  await request(emu.app)
    .post('/__emulator/faults')
    .send({ kind: 'status', family: 'scapi', status: 503, count: 2 })
    .expect(201);
  for (let i = 0; i < 2; i++) {
    const res = await request(emu.app).get(
      '/scapi/product/shopper-products/v1/organizations/x/products',
    );
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({ title: 'Service Unavailable' });
  }
  const third = await request(emu.app).get(
    '/scapi/product/shopper-products/v1/organizations/x/products',
  );
  expect(third.status).not.toBe(503);
});

test('CRM faults use the array error envelope; throttling sends Retry-After', async () => {
  await request(emu.app)
    .post('/__emulator/faults')
    .send({ kind: 'status', family: 'crm', status: 500, count: 1 });
  const res = await request(emu.app).get('/crm/services/data/v62.0/limits');
  expect(res.status).toBe(500);
  expect(res.body[0].errorCode).toBe('UNKNOWN_EXCEPTION');
  await request(emu.app)
    .post('/__emulator/faults')
    .send({ kind: 'throttle', family: 'identity', retryAfterSeconds: 7, count: 1 });
  const t = await request(emu.app).get('/identity/services/oauth2/userinfo');
  expect(t.status).toBe(429);
  expect(t.headers['retry-after']).toBe('7');
  expect(t.body.error).toBeTruthy();
});

test('commit-late: the write is received, the caller gives up, and it commits later all the same', async () => {
  const { listen } = await import('../../lib/http.js');
  const up = await listen(emu.app);
  try {
    const t = await fetch(`${up.url}/crm/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emu.core.world.integration.clientId,
        client_secret: emu.core.world.integration.clientSecret,
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const fault = await request(emu.app)
      .post('/__emulator/faults')
      .send({
        kind: 'commit-late',
        family: 'crm',
        method: 'POST',
        path: '/sobjects/Case',
        latencyMs: 600_000,
        count: 1,
      })
      .expect(201);
    const contactId = emu.core.world.citizens[0].contactId;
    const before = emu.core.sobjects.count('Case');
    const received = new Promise((r) => emu.faults.once('received', r));
    const caller = new AbortController();
    const sent = fetch(`${up.url}/crm/services/data/v62.0/sobjects/Case`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Subject: 'Late', ContactId: contactId }),
      signal: caller.signal,
    });
    await received;
    // The caller times out and goes away; nothing is written yet.
    caller.abort();
    await expect(sent).rejects.toThrow();
    expect(emu.core.sobjects.count('Case')).toBe(before);
    expect(emu.faults.lateWrites).toBe(1);
    // The platform commits it anyway (here now, instead of after latencyMs).
    const committed = new Promise<[string, number]>((r) =>
      emu.faults.once('committed', (id: string, status: number) => r([id, status])),
    );
    const hook = await request(emu.app)
      .post(`/__emulator/faults/${fault.body.id}/commit`)
      .expect(200);
    expect(hook.body).toEqual({ committed: 1 });
    expect(await committed).toEqual([fault.body.id, 201]);
    expect(emu.core.sobjects.count('Case')).toBe(before + 1);
    expect(
      [...emu.core.sobjects.all('Case')].filter(
        (c) => c.Subject === 'Late' && c.ContactId === contactId,
      ),
    ).toHaveLength(1);
  } finally {
    await up.close();
  }
});

test('a fault with skip lets the first matching calls through', async () => {
  await request(emu.app)
    .post('/__emulator/faults')
    .send({ kind: 'status', family: 'scapi', status: 503, skip: 1, count: 1 })
    .expect(201);
  const path = '/scapi/product/shopper-products/v1/organizations/x/products';
  expect((await request(emu.app).get(path)).status).not.toBe(503);
  expect((await request(emu.app).get(path)).status).toBe(503);
  expect((await request(emu.app).get(path)).status).not.toBe(503);
  await request(emu.app).post('/__emulator/faults').send({ kind: 'status', skip: -1 }).expect(400);
});

test('bad fault definitions are refused with a 400', async () => {
  await request(emu.app).post('/__emulator/faults').send({ kind: 'explode' }).expect(400);
  await request(emu.app)
    .post('/__emulator/faults')
    .send({ kind: 'status', family: 'nope' })
    .expect(400);
});

test('reseed rebuilds the data deterministically at the requested size', async () => {
  const res = await request(emu.app).post('/__emulator/reseed').send({ citizens: 30 }).expect(200);
  expect(res.body.citizens).toBe(30);
  await request(emu.app).post('/__emulator/reseed').send({ citizens: -1 }).expect(400);
  await request(emu.app).post('/__emulator/reseed').send({ citizens: 50 }).expect(200);
});

test('with testHooks: false (EMULATOR_TEST_HOOKS off) no hook is served: no demo credentials, no passcodes', async () => {
  const closed = createEmulator({ citizens: 5, testHooks: false });
  for (const path of ['/__emulator/demo-users', '/__emulator/outbox', '/__emulator/calls'])
    expect([path, (await request(closed.app).get(path)).status]).toEqual([path, 404]);
  expect((await request(closed.app).get('/')).body.hooks).toBeNull();
  expect((await request(emu.app).get('/')).body.hooks).toBe('/__emulator');
});

describe('citizen-change: a Data Cloud change and the flow’s platform event', () => {
  const topic = '/event/Citizen_Profile_Changed__e';
  const events = () =>
    emu.bus
      .after(topic, 0n, 1000)
      .map(
        (e) =>
          emu.bus.topic(topic)!.schema.type.fromBuffer(e.payload) as Record<
            string,
            Record<string, unknown> | null
          >,
      );
  const insightOf = (uid: string) => {
    const t = emu.core.families.dataCloud!.table('Citizen_Engagement__cio')!;
    return t.rows[t.lookup('UnifiedIndividualId__c', uid)[0]];
  };

  test('an insight change moves the eligibility band and publishes one event', async () => {
    const uid = emu.core.world.citizens[3].unifiedId;
    const before = { ...insightOf(uid) };
    const seen = events().length;
    const res = await request(emu.app)
      .post('/__emulator/datacloud/citizen-change')
      .send({ unifiedId: uid, changeType: 'insight' })
      .expect(201);
    expect(res.body.changedFields).toEqual(['EngagementScore__c', 'BenefitEligibility__c']);
    expect(insightOf(uid).BenefitEligibility__c).not.toBe(before.BenefitEligibility__c);
    const published = events().slice(seen);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      UnifiedIndividualId__c: { string: uid },
      ChangeType__c: { string: 'insight' },
      ChangedFields__c: { string: 'EngagementScore__c,BenefitEligibility__c' },
      ChangedAt__c: { long: expect.any(Number) },
    });
  });

  test('refuses an unknown citizen, change type or field, publishing nothing', async () => {
    const seen = events().length;
    const uid = emu.core.world.citizens[0].unifiedId;
    await request(emu.app)
      .post('/__emulator/datacloud/citizen-change')
      .send({ unifiedId: 'nobody', changeType: 'profile' })
      .expect(404);
    await request(emu.app)
      .post('/__emulator/datacloud/citizen-change')
      .send({ unifiedId: uid, changeType: 'address' })
      .expect(400);
    await request(emu.app)
      .post('/__emulator/datacloud/citizen-change')
      .send({ unifiedId: uid, changeType: 'profile', fields: { NoSuch__c: 'x' } })
      .expect(400);
    expect(events()).toHaveLength(seen);
  });
});

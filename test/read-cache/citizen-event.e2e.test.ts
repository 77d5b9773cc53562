// The read cache (READ_CACHE=memory) kept true by Data Cloud's platform event: a citizen's
// CitizenProfile read twice costs no Data Cloud call the second time; a change made in Data Cloud
// without its event (straight in the emulator's table) is NOT seen — the cache serves the old
// value, which is why the event matters; the org's flow publishes Citizen_Profile_Changed__e
// (the emulator's citizen-change hook), the customer subgraph's listener drops
// `individual:<unified id>` before any citizenUpdated subscriber hears of it, so once the
// citizen's own subscription has the event (waited on, never a sleep) the next read answers the
// new value for exactly the Data Cloud calls of an uncached read — and another citizen's cached
// profile is still a hit.
import request from 'supertest';
import { CitizenProfileDocument } from '../../gql/graphql.js';
import { loginAs } from '../client.js';
import { gql, startStack, type Stack } from '../harness.js';
import { liveKit, until } from '../live/live-kit.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ citizens: 40, live: {}, env: { READ_CACHE: 'memory' } });
}, 60_000);
afterEach(() => live.closeAll());
afterAll(async () => {
  await stack.stop();
});

const live = liveKit(() => stack);

/** Only the event itself: a `citizen { … }` selection would re-read (and re-cache) the citizen. */
const SUBSCRIPTION = /* GraphQL */ `
  subscription {
    citizenUpdated {
      kind
      changedFields
    }
  }
`;

interface Event {
  kind: string;
  changedFields: string[];
}
const events = (s: { results: unknown[] }) =>
  (s.results as Array<{ data?: { citizenUpdated?: Event | null } | null }>)
    .map((r) => r.data?.citizenUpdated)
    .filter((e): e is Event => !!e);

async function citizen(n: number) {
  const c = stack.emulator.core.world.citizens[n];
  const headers = await loginAs(stack, c.username, stack.emulator.core.world.citizenPassword);
  return { unifiedId: c.unifiedId, authorization: headers.authorization };
}

/** The org's flow: a Data Cloud change for the citizen, and its platform event. */
async function change(
  unifiedId: string,
  changeType: 'insight' | 'profile',
  fields?: Record<string, unknown>,
) {
  const res = await request(stack.emulator.app)
    .post('/__emulator/datacloud/citizen-change')
    .send({ unifiedId, changeType, fields });
  expect(res.status).toBe(201);
}

/** Salesforce calls per family of one request, from the emulator's call log. */
async function callsOf<T>(run: () => Promise<T>) {
  stack.emulator.log.reset();
  const result = await run();
  return { result, calls: stack.emulator.log.countByFamily() };
}

/** The Data Cloud calls in the emulator's call log since its last reset, as `METHOD path`. */
const dataCloudReads = () =>
  stack.emulator.log
    .list()
    .filter((c) => c.family === 'datacloud')
    .map((c) => `${c.method} ${c.path}`);

const unifiedTable = () =>
  stack.emulator.core.families.dataCloud!.table('UnifiedssotIndividualIr1__dlm')!;

test("Citizen_Profile_Changed__e drops the citizen's cached reads before the subscriber hears of it; another citizen's stay", async () => {
  const a = await citizen(10);
  const b = await citizen(11);
  const profile = (c: { unifiedId: string; authorization: string }) =>
    gql(stack, { authorization: c.authorization }, CitizenProfileDocument, { id: c.unifiedId });

  // A follows themselves; live upstream once one of A's changes has arrived (each wait bounded,
  // the change repeated) — before anything is cached, so these changes invalidate nothing.
  const sub = live.overWs(a.authorization, { query: SUBSCRIPTION });
  const from = events(sub).length;
  for (let i = 0; i < 20 && events(sub).length === from; i++) {
    await change(a.unifiedId, 'insight');
    await until(() => events(sub).length > from, 1000).catch(() => undefined);
  }
  expect(events(sub).length).toBeGreaterThan(from);
  // Drained: a profile change last; once its event is in, every insight change's is (delivered
  // in order), so none arrives after the warm-up below to invalidate it.
  await change(a.unifiedId, 'profile');
  await until(() => events(sub).some((e) => e.kind === 'PROFILE_CHANGED'));

  // Warm: B's profile first (it also pays the process's Data Cloud token and the shared segment
  // catalogue), then A's: uncached, its own Data Cloud reads; again, none.
  expect((await profile(b)).body.errors).toBeUndefined();
  expect((await callsOf(() => profile(b))).calls.datacloud ?? 0).toBe(0);
  const uncached = await callsOf(() => profile(a));
  expect(uncached.result.body.errors).toBeUndefined();
  const uncachedReads = dataCloudReads();
  expect(uncachedReads.length).toBeGreaterThan(0);
  const hit = await callsOf(() => profile(a));
  expect(hit.result.body.data).toEqual(uncached.result.body.data);
  expect(hit.calls.datacloud ?? 0).toBe(0);

  // Without the event the cache would serve the old value: a change made in Data Cloud's table
  // with no platform event published is not seen (and costs no call).
  const oldName = uncached.result.body.data!.citizen!.displayName;
  const row = unifiedTable().rows.find((r) => r.ssot__Id__c === a.unifiedId)!;
  const lastName = String(row.ssot__LastName__c);
  unifiedTable().update(a.unifiedId, { ssot__FirstName__c: 'Silently' });
  const stale = await callsOf(() => profile(a));
  expect(stale.calls.datacloud ?? 0).toBe(0);
  expect(stale.result.body.data!.citizen!.displayName).toBe(oldName);

  // The org's flow: the change and its event. A's subscription hears of it only after the
  // customer subgraph's listener invalidated `individual:<A>`.
  const before = events(sub).length;
  await change(a.unifiedId, 'profile', { ssot__FirstName__c: 'Evented' });
  await until(() => events(sub).length > before);
  expect(events(sub).slice(before)).toEqual([
    { kind: 'PROFILE_CHANGED', changedFields: ['firstName', 'displayName'] },
  ]);

  const fresh = await callsOf(() => profile(a));
  expect(fresh.result.body.errors).toBeUndefined();
  expect(fresh.result.body.data!.citizen!.displayName).toBe(`Evented ${lastName}`);
  // Exactly the Data Cloud calls of the uncached read: every one of A's reads was dropped.
  expect(dataCloudReads()).toEqual(uncachedReads);
  console.log(
    `CitizenProfile Data Cloud calls: uncached ${uncachedReads.join(', ')}; cached ${hit.calls.datacloud ?? 0}; after the event ${fresh.calls.datacloud}`,
  );

  // B's cached profile was not touched by A's event.
  const other = await callsOf(() => profile(b));
  expect(other.result.body.errors).toBeUndefined();
  expect(other.calls.datacloud ?? 0).toBe(0);
});

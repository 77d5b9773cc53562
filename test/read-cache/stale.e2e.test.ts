// Below the org's API floor, through the gateway: a cached read past its TTL (the read caches run
// on this test's clock) is served, marked in `extensions.staleReads` per family, without a call;
// above the floor the same read past its TTL goes to Salesforce again.
import { CaseWithCitizenDocument } from '../../gql/graphql.js';
import { gql, startStack, type Stack } from '../harness.js';
import { liveKit } from '../live/live-kit.js';

let stack: Stack;
let now = 1_000_000_000;

beforeAll(async () => {
  stack = await startStack({
    citizens: 30,
    live: {},
    readCacheNow: () => now,
    env: { READ_CACHE: 'memory', READ_CACHE_API_FLOOR_PERCENT: '10' },
  });
}, 60_000);
afterAll(async () => {
  await live.closeAll();
  await stack.stop();
});

const live = liveKit(() => stack);
const TTL_CRM = 300_000; // READ_CACHE_TTL_CRM_MS's default

async function callsOf<T>(run: () => Promise<T>) {
  stack.emulator.log.reset();
  const result = await run();
  return { result, calls: stack.emulator.log.countByFamily() };
}

test('past its TTL: sent again above the floor; served stale (extensions.staleReads) below it', async () => {
  const a = await live.citizenWithCase(0);
  const b = await live.citizenWithCase(1);
  const read = (who: { authorization: string }, id: string) =>
    gql(stack, who, CaseWithCitizenDocument, { id });
  const warm = await read(a, a.caseId);
  expect(warm.body.errors).toBeUndefined();

  now += TTL_CRM;
  const fresh = await callsOf(() => read(a, a.caseId));
  expect(fresh.calls.crm).toBeGreaterThan(0);
  expect(fresh.result.body.extensions?.staleReads).toBeUndefined();

  const { emulator } = stack;
  try {
    emulator.apiUsage.reset(1_000_000);
    emulator.apiUsage.used = 950_000;
    now += TTL_CRM;
    // An answer reporting 95 % of the allowance spent (a low reading is believed 30 s).
    await read(b, b.caseId);
    const stale = await callsOf(() => read(a, a.caseId));
    expect(stale.calls.crm ?? 0).toBe(0);
    expect(stale.result.body.errors).toBeUndefined();
    expect(stale.result.body.data).toEqual(fresh.result.body.data);
    expect(stale.result.body.extensions?.staleReads).toEqual({ crm: expect.any(Number) });
  } finally {
    emulator.apiUsage.reset(1_000_000);
  }
});

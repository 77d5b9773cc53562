// The customer subgraph stays within Data Cloud's documented limits (data-cloud-gate.ts) against
// the emulator, which enforces them (emulator/data-cloud/limits.ts): never more calls in
// progress than DATA_CLOUD_MAX_CONCURRENCY, and once an API's daily allowance is spent, a clear
// RATE_LIMITED and no further call. Concurrency is read from the emulator's call log (`inFlight`:
// calls of the same API in progress when each arrived), not from timings.
import type { Principal } from '../../../lib/principal.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

const AGENT: Principal = { kind: 'agent', clientId: 'test' };

const ONE = `query($id: ID!) { citizen(id: $id) { id firstName email } }`;
const MANY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id firstName } } }`;

const warm = (h: SubgraphHarness<'customer'>) =>
  h.request(AGENT, `{ citizen(id: "warm-up") { id } }`);

describe('bounded concurrency towards Data Cloud', () => {
  it('never has more than DATA_CLOUD_MAX_CONCURRENCY calls in progress, so the limit is never reached', async () => {
    await using h = await startSubgraphHarness('customer', {
      citizens: 60,
      env: { DATA_CLOUD_MAX_CONCURRENCY: '3' },
    });
    // The emulated org accepts 3 at a time: a 4th in progress would be answered 429.
    h.emu.dataCloudLimits.configure({ query: { concurrency: 3 }, profile: { concurrency: 3 } });
    await warm(h);
    h.emu.reset();
    // Each call is held until no other has arrived for a moment, so every call the subgraph lets
    // through at once is in progress at once at the emulator.
    h.emu.faults.add({
      kind: 'settle',
      family: 'datacloud',
      path: '/api/v1/dataGraph',
      latencyMs: 80,
    });
    const citizens = h.emu.core.world.citizens.slice(0, 12);
    const answers = await Promise.all(
      citizens.map((c) => h.request(AGENT, ONE, { id: c.unifiedId })),
    );
    expect(answers.map((a) => a.body.errors)).toEqual(citizens.map(() => undefined));
    expect(answers.map((a) => a.body.data.citizen.id)).toEqual(citizens.map((c) => c.unifiedId));
    const calls = h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' });
    expect(calls).toHaveLength(12);
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(Math.max(...calls.map((c) => c.inFlight ?? Infinity))).toBeLessThanOrEqual(3);
  });
});

describe('a spent daily allowance', () => {
  it('answers RATE_LIMITED, then sends nothing more to that API; the other API keeps its own allowance', async () => {
    await using h = await startSubgraphHarness('customer', { citizens: 60 });
    await warm(h);
    const [a, b, c, d] = h.emu.core.world.citizens;
    const graphCalls = () => h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' });
    const queryCalls = () => h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' });

    // The Profile / Data Graph allowance of the day is spent.
    const profile = h.emu.dataCloudLimits.snapshot().profile.daily!;
    h.emu.dataCloudLimits.configure({ profile: { used: profile } });
    h.emu.reset();
    const first = await h.request(AGENT, ONE, { id: a.unifiedId });
    expect(first.body.data.citizen).toBeNull();
    expect(first.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      upstream: 'datacloud',
    });
    // One refused call (its Retry-After — the next UTC day — is longer than a retry would wait).
    expect(graphCalls().map((x) => x.status)).toEqual([429]);

    h.emu.reset();
    const again = await h.request(AGENT, ONE, { id: b.unifiedId });
    expect(again.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(again.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(h.emu.log.list({ family: 'datacloud' })).toHaveLength(0);

    // Several citizens are one Query API call: another allowance, still open.
    const batch = await h.request(AGENT, MANY, {
      r: [c, d].map((x) => ({ __typename: 'Citizen', id: x.unifiedId })),
    });
    expect(batch.body.errors).toBeUndefined();
    expect(queryCalls().map((x) => x.status)).toEqual([200]);

    // Then the Query API's allowance is spent too.
    const query = h.emu.dataCloudLimits.snapshot().query.daily!;
    h.emu.dataCloudLimits.configure({ query: { used: query } });
    h.emu.reset();
    const spent = await h.request(AGENT, MANY, {
      r: [c, d].map((x) => ({ __typename: 'Citizen', id: x.unifiedId })),
    });
    expect(spent.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(queryCalls().map((x) => x.status)).toEqual([429]);
    h.emu.reset();
    const none = await h.request(AGENT, MANY, {
      r: [a, b].map((x) => ({ __typename: 'Citizen', id: x.unifiedId })),
    });
    expect(none.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(h.emu.log.list({ family: 'datacloud' })).toHaveLength(0);
  });
});

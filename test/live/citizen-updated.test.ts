// Live citizen updates through the gateway: the org's Data Cloud-Triggered Flow publishes
// Citizen_Profile_Changed__e (the emulator's citizen-change hook), the customer subgraph consumes
// it with the case subgraph's Pub/Sub machinery, and the gateway relays `citizenUpdated` — routed
// to the customer subgraph by the supergraph — over graphql-ws and SSE, each event's
// `citizen { … }` re-read through the graph. A citizen follows only themselves; the
// customer subgraph's onCitizenChanged hook runs before any subscriber gets the change.
import request from 'supertest';
import { startStack, type Stack } from '../harness.js';
import { loginAs } from '../client.js';
import { liveKit, until } from './live-kit.js';
import type { CitizenChange } from '../../subgraphs/customer/citizen-events.js';

let stack: Stack;
/** What the customer subgraph's hook saw, with how many events each subscription had then. */
const hooked: Array<{ change: CitizenChange; delivered: number }> = [];
let deliveredSoFar = () => 0;

beforeAll(async () => {
  stack = await startStack({
    citizens: 40,
    live: { recheckMs: 200 },
    onCitizenChanged: (change) => {
      hooked.push({ change, delivered: deliveredSoFar() });
    },
  });
}, 60_000);
afterEach(() => live.closeAll());
afterAll(async () => {
  await stack.stop();
});

const live = liveKit(() => stack);

interface CitizenResult {
  data?: {
    citizenUpdated: {
      __typename: string;
      kind: string;
      changedFields: string[];
      changedAt: string | null;
      citizen: { id: string; firstName: string; insights: { benefitEligibility: string } };
    } | null;
  } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const QUERY = /* GraphQL */ `
  subscription ($id: ID) {
    citizenUpdated(id: $id) {
      __typename
      kind
      changedFields
      changedAt
      citizen {
        id
        firstName
        insights {
          benefitEligibility
        }
      }
    }
  }
`;

const results = (s: { results: unknown[] }) => s.results as CitizenResult[];
const events = (s: { results: unknown[] }) =>
  results(s)
    .map((r) => r.data?.citizenUpdated)
    .filter((e): e is NonNullable<typeof e> => !!e);

async function citizen(n: number) {
  const c = stack.emulator.core.world.citizens[n];
  const headers = await loginAs(stack, c.username, stack.emulator.core.world.citizenPassword);
  return { unifiedId: c.unifiedId, authorization: headers.authorization };
}

/** The org's flow: a Data Cloud change for the citizen, and its platform event. */
async function change(unifiedId: string, changeType: 'insight' | 'profile' = 'insight') {
  const res = await request(stack.emulator.app)
    .post('/__emulator/datacloud/citizen-change')
    .send({ unifiedId, changeType });
  expect(res.status).toBe(201);
}

const insightRow = (unifiedId: string) => {
  const t = stack.emulator.core.families.dataCloud!.table('Citizen_Engagement__cio')!;
  return t.rows[t.lookup('UnifiedIndividualId__c', unifiedId)[0]];
};

/**
 * Changes the citizen until `sub` has an event for them past `from` (a subscription is live
 * upstream a moment after it is accepted: each wait is bounded, the write repeated).
 */
async function changeUntilSeen(
  sub: { results: unknown[] },
  unifiedId: string,
  attempts = 20,
  /** Instead of an event in `sub` (another transport's own record). */
  seenElsewhere?: () => boolean,
) {
  const from = events(sub).length;
  const seen =
    seenElsewhere ??
    (() =>
      events(sub)
        .slice(from)
        .some((e) => e.citizen?.id === unifiedId));
  for (let i = 0; i < attempts && !seen(); i++) {
    await change(unifiedId);
    await until(seen, 1000).catch(() => undefined);
  }
  if (!seen()) throw new Error(`no citizenUpdated event after ${attempts} changes`);
}

test.each(['ws', 'sse'] as const)(
  'over %s, citizen A gets their own change with the re-read insight; B’s change reaches A not (a probe after)',
  async (transport) => {
    const a = await citizen(1);
    const b = await citizen(2);
    const subscribe = transport === 'ws' ? live.overWs : live.overSse;
    // A follows themselves: without id over WebSocket, with their own id over SSE.
    const subA = subscribe(a.authorization, {
      query: QUERY,
      variables: { id: transport === 'ws' ? null : a.unifiedId },
    });
    deliveredSoFar = () => events(subA).length;
    await changeUntilSeen(subA, a.unifiedId);
    const last = events(subA).at(-1)!;
    expect(last).toMatchObject({
      __typename: 'CitizenEvent',
      kind: 'INSIGHT_CHANGED',
      changedFields: ['insights'],
      changedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      citizen: {
        id: a.unifiedId,
        insights: { benefitEligibility: insightRow(a.unifiedId).BenefitEligibility__c },
      },
    });
    // B's change, then a probe for A: once the probe has arrived, B's (published before it,
    // delivered in order) would have too.
    const before = events(subA).length;
    await change(b.unifiedId);
    await change(a.unifiedId, 'profile');
    await until(() => events(subA).length > before);
    const after = events(subA).slice(before);
    expect(after.map((e) => [e.citizen.id, e.kind])).toEqual([[a.unifiedId, 'PROFILE_CHANGED']]);
    expect(after[0].citizen.firstName).toBe(
      stack.emulator.core.families
        .dataCloud!.table('UnifiedssotIndividualIr1__dlm')!
        .rows.find((r) => r.ssot__Id__c === a.unifiedId)!.ssot__FirstName__c,
    );
    // The hook saw B's change as well as A's, and A's before A's subscription had it.
    expect(hooked.some((h) => h.change.unifiedId === b.unifiedId)).toBe(true);
    const probe = hooked.filter(
      (h) => h.change.unifiedId === a.unifiedId && h.change.kind === 'PROFILE_CHANGED',
    );
    expect(probe.at(-1)!.delivered).toBe(before);
    expect(results(subA).some((r) => r.errors)).toBe(false);
  },
);

test('citizen A subscribing to citizen B is refused (FORBIDDEN), over WebSocket and SSE', async () => {
  const a = await citizen(3);
  const b = await citizen(4);
  for (const subscribe of [live.overWs, live.overSse]) {
    const spy = subscribe(a.authorization, { query: QUERY, variables: { id: b.unifiedId } });
    await until(() => results(spy).some((r) => r.errors?.length) || spy.errors.length > 0);
    const codes = [
      ...results(spy).flatMap((r) => r.errors ?? []),
      ...(spy.errors as Array<{ extensions?: { code?: string } }>),
    ].map((e) => e.extensions?.code);
    expect(codes).toContain('FORBIDDEN');
    expect(events(spy)).toEqual([]);
  }
});

test('an agent follows a citizen by id; a subscription with two root fields is refused before any work', async () => {
  const a = await citizen(5);
  const { agentHeaders } = await import('../client.js');
  const { authorization } = await agentHeaders(stack);
  const sub = live.overWs(authorization, { query: QUERY, variables: { id: a.unifiedId } });
  await changeUntilSeen(sub, a.unifiedId);
  expect(events(sub).every((e) => e.citizen.id === a.unifiedId)).toBe(true);
  const both = live.overWs(authorization, {
    query: 'subscription { citizenUpdated { kind } caseUpdated { kind } }',
  });
  await until(() => both.errors.length > 0 || both.results.length > 0);
  // graphql-js's own rule (one root field per subscription), before any upstream work.
  expect(JSON.stringify([both.errors, both.results])).toContain('GRAPHQL_VALIDATION_FAILED');
});

test("over multipart HTTP (Apollo Client's Accept) too: A's change arrives as a payload", async () => {
  const a = await citizen(6);
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      authorization: a.authorization,
      accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0, application/json',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query: QUERY, variables: { id: null } }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('multipart/mixed');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  })();
  const payloads = () =>
    text
      .split('\r\n--graphql')
      .slice(1)
      .map((p) => p.slice(p.indexOf('\r\n\r\n') + 4))
      .filter((p) => p.trim() && !p.startsWith('--'))
      .map((p) => JSON.parse(p) as { payload?: CitizenResult })
      .filter((p) => p.payload)
      .map((p) => p.payload!);
  try {
    await changeUntilSeen({ results: [] }, a.unifiedId, 20, () =>
      payloads().some((p) => p.data?.citizenUpdated?.citizen.id === a.unifiedId),
    );
    expect(payloads()[0].data?.citizenUpdated).toMatchObject({
      __typename: 'CitizenEvent',
      kind: 'INSIGHT_CHANGED',
      citizen: { id: a.unifiedId },
    });
  } finally {
    await reader.cancel().catch(() => undefined);
  }
});

test('one event costs the subscriber the Data Cloud calls of the same Query.citizen, no more', async () => {
  const a = await citizen(7);
  const sub = live.overWs(a.authorization, { query: QUERY });
  await changeUntilSeen(sub, a.unifiedId);
  const before = events(sub).length;
  stack.emulator.log.reset();
  await change(a.unifiedId);
  await until(() => events(sub).length > before);
  const perEvent = stack.emulator.log.countByFamily();
  stack.emulator.log.reset();
  const { gql } = await import('../client.js');
  const read = await gql(
    stack,
    'query ($id: ID!) { citizen(id: $id) { id firstName insights { benefitEligibility } } }',
    { id: a.unifiedId },
    { authorization: a.authorization },
  );
  expect(read.body.data.citizen.id).toBe(a.unifiedId);
  const perQuery = stack.emulator.log.countByFamily();
  console.log(
    `Salesforce calls per citizenUpdated event ${JSON.stringify(perEvent)}, per query ${JSON.stringify(perQuery)}`,
  );
  expect(perEvent).toEqual(perQuery);
});

// The citizen parts loader against the emulator's Query API: the parts of one tick are ONE
// call whatever their mix, a part alone reads only its own tables, and the joined answer splits
// back into exactly the rows each part's own query answers (no row multiplied, none lost).
import { DataCloudAuth } from '../auth.js';
import { DataCloudClient, type SqlRow } from '../client.js';
import { UpstreamCost } from '../../../lib/upstream-cost.js';
import { citizenPartsLoader, type CitizenPart } from '../citizen-parts.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

let h: SubgraphHarness<'customer'>;
let auth: DataCloudAuth;
beforeAll(async () => {
  h = await startSubgraphHarness('customer', { citizens: 600 });
  auth = new DataCloudAuth(h.config);
});
afterAll(() => h.close());

/** A real client that also keeps the SQL it sent (no data graph: every read is SQL). */
function recordingClient() {
  const sql: string[] = [];
  const client = new DataCloudClient({ ...h.config, dataGraph: null }, auth, {
    cost: new UpstreamCost(),
  });
  const query = client.query.bind(client);
  client.query = (s: string) => {
    sql.push(s);
    return query(s);
  };
  return { client, sql };
}

const PARTS: CitizenPart[] = ['profile', 'links', 'memberships'];
const queryCalls = () => h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' }).length;
const sorted = (rows: SqlRow[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Each part of each citizen read alone: one loader per part, one tick each. */
async function alone(ids: string[]) {
  const out: Record<string, string[]> = {};
  for (const part of PARTS) {
    const { client } = recordingClient();
    const loader = citizenPartsLoader(client, h.config.dataCloud);
    const rows = await Promise.all(ids.map((unifiedId) => loader.load({ part, unifiedId })));
    ids.forEach((id, i) => (out[`${part}:${id}`] = sorted(rows[i])));
  }
  return out;
}

it('answers every part of several citizens in ONE Query API call, with the rows each part alone answers', async () => {
  const citizens = h.emu.core.world.citizens.slice(5, 12);
  const ids = [...citizens.map((c) => c.unifiedId), 'no-such-citizen'];
  const expected = await alone(ids);
  h.emu.reset();
  const { client, sql } = recordingClient();
  const loader = citizenPartsLoader(client, h.config.dataCloud);
  const got = await Promise.all(
    ids.flatMap((unifiedId) => PARTS.map((part) => loader.load({ part, unifiedId }))),
  );
  expect(queryCalls()).toBe(1);
  expect(sql).toHaveLength(1);
  const m = h.config.dataCloud;
  for (const table of [
    m.unifiedIndividual,
    m.contactPointEmail,
    m.individualLink,
    'ssot__PartyIdentification__dlm',
    m.segmentMembershipTable,
  ])
    expect(sql[0]).toContain(table);
  const byKey: Record<string, string[]> = {};
  ids.forEach((id, i) => PARTS.forEach((p, j) => (byKey[`${p}:${id}`] = sorted(got[i * 3 + j]))));
  expect(byKey).toEqual(expected);
  // The data is the emulator's: real links and memberships came back, and the unknown id has none.
  const first = citizens[0];
  expect(byKey[`links:${first.unifiedId}`].join()).toContain(first.contactId);
  expect(byKey[`links:${first.unifiedId}`].length).toBeGreaterThan(1);
  expect(ids.some((id) => byKey[`memberships:${id}`].length > 1)).toBe(true);
  expect(PARTS.map((p) => byKey[`${p}:no-such-citizen`])).toEqual([[], [], []]);
});

it('keeps the parts a batch answered for citizens that did not ask for them (primed, no second call)', async () => {
  const [a, b] = h.emu.core.world.citizens.slice(30, 32).map((c) => c.unifiedId);
  h.emu.reset();
  const { client, sql } = recordingClient();
  const loader = citizenPartsLoader(client, h.config.dataCloud);
  await Promise.all([
    loader.load({ part: 'profile', unifiedId: a }),
    loader.load({ part: 'links', unifiedId: b }),
  ]);
  const links = await loader.load({ part: 'links', unifiedId: a });
  expect(links.length).toBeGreaterThan(0);
  expect(sql).toHaveLength(1);
  expect(queryCalls()).toBe(1);
});

it('reads a part asked alone from its own tables only, and asks no more than asked', async () => {
  const id = h.emu.core.world.citizens[20].unifiedId;
  const m = h.config.dataCloud;
  const { client, sql } = recordingClient();
  const loader = citizenPartsLoader(client, m);
  await loader.load({ part: 'memberships', unifiedId: id });
  expect(sql).toEqual([
    `SELECT sm.Id__c AS citizen_id, sm.Segment_Id__c FROM ${m.segmentMembershipTable} sm WHERE sm.Id__c IN ('${id}')`,
  ]);
  await Promise.all([
    loader.load({ part: 'profile', unifiedId: id }),
    loader.load({ part: 'links', unifiedId: id }),
  ]);
  expect(sql).toHaveLength(2);
  expect(sql[1]).toContain(m.individualLink);
  expect(sql[1]).toContain(m.contactPointEmail);
  expect(sql[1]).not.toContain(m.segmentMembershipTable);
});

it('never sends an id that cannot be a SQL literal', async () => {
  h.emu.reset();
  const { client, sql } = recordingClient();
  const loader = citizenPartsLoader(client, h.config.dataCloud);
  expect(await loader.load({ part: 'links', unifiedId: 'x\\y' })).toEqual([]);
  expect(sql).toEqual([]);
  expect(queryCalls()).toBe(0);
});

// With a data graph configured (DATA_CLOUD_DATA_GRAPH), a batch of ONE citizen is its data graph
// record (Data Graph API by unified id), read into the same rows: the answer must not depend on
// which API served it.
it('a batch of one citizen is one Data Graph API call, with exactly the rows the Query API answers', async () => {
  const citizens = h.emu.core.world.citizens.slice(40, 80);
  const ids = [...citizens.map((c) => c.unifiedId), 'no-such-citizen'];
  const expected = await alone(ids);
  h.emu.reset();
  const graphClient = new DataCloudClient(h.config, auth, { cost: new UpstreamCost() });
  expect(graphClient.dataGraph).toBe('Citizen_360');
  const got: Record<string, string[]> = {};
  for (const unifiedId of ids) {
    // A loader per citizen: each batch holds one citizen, whatever parts it asks.
    const loader = citizenPartsLoader(graphClient, h.config.dataCloud);
    const rows = await Promise.all(PARTS.map((part) => loader.load({ part, unifiedId })));
    PARTS.forEach((p, j) => (got[`${p}:${unifiedId}`] = sorted(rows[j])));
  }
  expect(got).toEqual(expected);
  expect(queryCalls()).toBe(0);
  expect(
    h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph/Citizen_360/' }),
  ).toHaveLength(ids.length);
  // Several citizens in one batch stay ONE Query API call.
  h.emu.reset();
  const batch = citizenPartsLoader(graphClient, h.config.dataCloud);
  await Promise.all(ids.map((unifiedId) => batch.load({ part: 'profile', unifiedId })));
  expect(queryCalls()).toBe(1);
  expect(h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' })).toHaveLength(0);
});

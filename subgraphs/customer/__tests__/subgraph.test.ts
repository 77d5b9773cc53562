// The Customer subgraph over HTTP with a signed principal: fields, _entities by each key,
// segment members batching, access rules and input limits. Upstream calls are counted from
// the emulator's call log.
import type { Principal } from '../../../lib/principal.js';
import { dataCloudDb } from '../../../emulator/data-cloud/index.js';
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';

const AGENT: Principal = { kind: 'agent', clientId: 'test' };

let h: SubgraphHarness<'customer'>;
beforeAll(async () => {
  h = await startSubgraphHarness('customer', { citizens: 3000 });
  // Warm the token cache so call counts below are Data Cloud data calls only.
  await h.request(AGENT, `{ citizen(id: "warm-up") { id } }`);
});
afterAll(() => h.close());
beforeEach(() => h.emu.reset());

const citizenA = () => h.emu.core.world.citizens[3];
const citizenB = () => h.emu.core.world.citizens[4];
const asCitizen = (c: ReturnType<typeof citizenA>): Principal =>
  citizenPrincipal(c, { commerceLogin: false });
const queryCalls = () => h.emu.log.list({ family: 'datacloud', path: '/api/v2/query' }).length;
/** Data Graph API data reads (DATA_CLOUD_DATA_GRAPH is Citizen_360 in development). */
const graphCalls = () =>
  h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph/Citizen_360' }).length;
const dcCalls = () => h.emu.log.list({ family: 'datacloud' }).length;

/** The emulator's own answer: segments (by display name order of the list) whose membership has `unifiedId`. */
function segmentsOf(unifiedId: string) {
  const db = dataCloudDb(h.emu.core);
  const table = db.table(h.config.dataCloud.segmentMembershipTable)!;
  const ids = new Set(
    table.lookup('Id__c', unifiedId).map((i) => String(table.rows[i].Segment_Id__c)),
  );
  return db.segments
    .filter((s) => ids.has(s.id))
    .map((s) => ({ apiName: s.apiName, name: s.displayName }));
}

const FULL = `
  id contactId commerceCustomerId firstName lastName displayName email phone
  address { street city stateCode postalCode countryCode }
  insights { lifetimeValue { amount currencyCode } engagementScore benefitEligibility }
  segments { apiName name }`;

describe('Query.citizen', () => {
  it('resolves every field from Data Cloud in ONE Data Graph API call: the one-to-one tables, links and memberships pre-joined', async () => {
    const c = citizenA();
    const { body } = await h.request(AGENT, `query($id: ID!) { citizen(id: $id) { ${FULL} } }`, {
      id: c.unifiedId,
    });
    expect(body.errors).toBeUndefined();
    const got = body.data.citizen;
    expect(got).toMatchObject({
      id: c.unifiedId,
      contactId: c.contactId,
      commerceCustomerId: c.commerceCustomerId,
      firstName: c.firstName,
      lastName: c.lastName,
      displayName: `${c.firstName} ${c.lastName}`,
      email: c.email,
      phone: c.phone,
      address: {
        street: c.street,
        city: c.city,
        stateCode: c.stateCode,
        postalCode: c.postalCode,
        countryCode: 'US',
      },
      insights: {
        lifetimeValue: { amount: expect.stringMatching(/^\d+\.\d\d$/), currencyCode: 'USD' },
        engagementScore: expect.any(Number),
      },
    });
    expect(got.segments).toEqual(segmentsOf(c.unifiedId));
    expect(got.segments.length).toBeGreaterThan(0);
    // One citizen: its Citizen_360 record (unified, contact points, insight, links with the
    // Commerce login, segment memberships) = 1 Data Graph API call by unified id and no Query
    // API call (was: 1 Query API statement joining them, citizen-parts.ts); + 1 segment list.
    expect(graphCalls()).toBe(1);
    expect(queryCalls()).toBe(0);
    expect(h.emu.log.list({ family: 'datacloud', path: '/ssot/segments' })).toHaveLength(1);
  });

  it('a unified individual with no contact points or insights: those fields are null, not rows of nulls', async () => {
    // Identity resolution can leave an individual with no email, phone, address or insight row:
    // the joined query still returns the individual (LEFT JOIN), and each part reads as absent.
    const unified = dataCloudDb(h.emu.core).table('UnifiedssotIndividualIr1__dlm')!;
    unified.insert({
      ssot__Id__c: 'bare-individual-1',
      ssot__FirstName__c: 'Bare',
      ssot__LastName__c: 'Person',
    });
    h.emu.reset();
    const { body } = await h.request(
      AGENT,
      `query($id: ID!) { citizen(id: $id) { id displayName email phone address { city } insights { engagementScore } } }`,
      { id: 'bare-individual-1' },
    );
    expect(body).toEqual({
      data: {
        citizen: {
          id: 'bare-individual-1',
          displayName: 'Bare Person',
          email: null,
          phone: null,
          address: null,
          insights: null,
        },
      },
    });
    // Data Graph API by unified id (was: 1 Query API call).
    expect(graphCalls()).toBe(1);
    expect(queryCalls()).toBe(0);
  });

  it('answers null for an unknown id and for hostile ids, without leaking SQL', async () => {
    for (const id of ['nope', "x' OR '1'='1", "x\\' OR 1=1 --"]) {
      const { body } = await h.request(
        AGENT,
        `query($id: ID!) { citizen(id: $id) { id firstName } }`,
        {
          id,
        },
      );
      expect(body).toEqual({ data: { citizen: null } });
    }
  });

  it('refuses an empty or blank id with BAD_USER_INPUT instead of a silent null, before any Data Cloud call', async () => {
    for (const id of ['', '  ']) {
      const { body } = await h.request(AGENT, `query($id: ID!) { citizen(id: $id) { id } }`, {
        id,
      });
      expect(body.data).toEqual({ citizen: null });
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^id must be a Data Cloud unified individual id/),
          path: ['citizen'],
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'id' }),
        }),
      ]);
    }
    expect(dcCalls()).toBe(0);
  });
});

describe('_entities', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id contactId commerceCustomerId firstName commerceLogin } } }`;

  it('resolves by id, contactId and commerceCustomerId', async () => {
    const [a, b, c] = h.emu.core.world.citizens.slice(10, 13);
    const { body } = await h.request(AGENT, ENTITIES, {
      r: [
        { __typename: 'Citizen', id: a.unifiedId },
        { __typename: 'Citizen', contactId: b.contactId },
        { __typename: 'Citizen', commerceCustomerId: c.commerceCustomerId },
        { __typename: 'Citizen', contactId: c.commerceCustomerId },
        { __typename: 'Citizen', contactId: "003' OR 1=1 --" },
      ],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      {
        id: a.unifiedId,
        contactId: a.contactId,
        commerceCustomerId: a.commerceCustomerId,
        firstName: a.firstName,
        commerceLogin: a.email,
      },
      {
        id: b.unifiedId,
        contactId: b.contactId,
        commerceCustomerId: b.commerceCustomerId,
        firstName: b.firstName,
        commerceLogin: b.email,
      },
      {
        id: c.unifiedId,
        contactId: c.contactId,
        commerceCustomerId: c.commerceCustomerId,
        firstName: c.firstName,
        commerceLogin: c.email,
      },
      null,
      null,
    ]);
    // The parts of the id key, whose unified id is known (one citizen: its data graph record,
    // ONE Data Graph API call), and the links by source id (both other key kinds, two values)
    // with the same parts joined through the unified individual (ONE Query API call), in one
    // wave. Not per citizen, not per field, not per table, not a second wave for the citizens
    // found by a source key. (Was: 2 Query API calls.)
    expect(graphCalls()).toBe(1);
    expect(queryCalls()).toBe(1);
  });

  it('batches 50 contactId representations into one query: their links with their profiles joined', async () => {
    const cs = h.emu.core.world.citizens.slice(100, 150);
    const { body } = await h.request(
      AGENT,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id email } } }`,
      {
        r: cs.map((c) => ({ __typename: 'Citizen', contactId: c.contactId })),
      },
    );
    expect(body.data._entities.map((e: { email: string }) => e.email)).toEqual(
      cs.map((c) => c.email),
    );
    expect(queryCalls()).toBe(1);
    expect(graphCalls()).toBe(0);
  });
});

describe('a citizen reached by a source key', () => {
  it('costs ONE Data Graph API call (lookupKeys on the link DMO) for every part its selection needs, with the answers of the id path', async () => {
    const c = h.emu.core.world.citizens[40];
    const SEL = `id contactId commerceCustomerId commerceLogin email displayName segments { apiName name }`;
    const { body } = await h.request(
      AGENT,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { ${SEL} } } }`,
      { r: [{ __typename: 'Citizen', contactId: c.contactId }] },
    );
    expect(body.errors).toBeUndefined();
    // GET /api/v1/dataGraph/Citizen_360?lookupKeys=[UnifiedLinkssotIndividualIr1__dlm.SourceRecordId__c=…]
    // (was: 1 Query API call).
    const lookups = h.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph/Citizen_360' });
    expect(lookups.map((x) => decodeURIComponent(x.query))).toEqual([
      `lookupKeys=[UnifiedLinkssotIndividualIr1__dlm.SourceRecordId__c=${c.contactId}]`,
    ]);
    expect(queryCalls()).toBe(0);
    const byId = await h.request(AGENT, `query($id: ID!) { citizen(id: $id) { ${SEL} } }`, {
      id: c.unifiedId,
    });
    expect(body.data._entities).toEqual([byId.body.data.citizen]);
    expect(body.data._entities[0]).toMatchObject({
      id: c.unifiedId,
      commerceCustomerId: c.commerceCustomerId,
      commerceLogin: c.email,
      email: c.email,
      segments: segmentsOf(c.unifiedId),
    });
  });
});

describe('a single source key through the Data Graph', () => {
  it('finds a citizen by commerceCustomerId with lookupKeys, with the answers of the id path', async () => {
    const c = h.emu.core.world.citizens[42];
    const SEL = `id contactId commerceCustomerId commerceLogin email phone segments { apiName }`;
    const { body } = await h.request(
      AGENT,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { ${SEL} } } }`,
      { r: [{ __typename: 'Citizen', commerceCustomerId: c.commerceCustomerId }] },
    );
    expect(
      h.emu.log
        .list({ family: 'datacloud', path: '/api/v1/dataGraph/Citizen_360' })
        .map((x) => decodeURIComponent(x.query)),
    ).toEqual([
      `lookupKeys=[UnifiedLinkssotIndividualIr1__dlm.SourceRecordId__c=${c.commerceCustomerId}]`,
    ]);
    const byId = await h.request(AGENT, `query($id: ID!) { citizen(id: $id) { ${SEL} } }`, {
      id: c.unifiedId,
    });
    expect(body.data._entities).toEqual([byId.body.data.citizen]);
    expect(byId.body.data.citizen).toMatchObject({
      contactId: c.contactId,
      commerceLogin: c.email,
    });
  });

  it('answers null when the record belongs to the other source (a Commerce id given as contactId)', async () => {
    const c = h.emu.core.world.citizens[41];
    const { body } = await h.request(
      AGENT,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id } } }`,
      { r: [{ __typename: 'Citizen', contactId: c.commerceCustomerId }] },
    );
    expect(body).toEqual({ data: { _entities: [null] } });
    expect(graphCalls()).toBe(1);
  });

  it('sends a value that cannot be a lookup key through the Query API as a SQL literal instead', async () => {
    const { body } = await h.request(
      AGENT,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id } } }`,
      { r: [{ __typename: 'Citizen', contactId: "003' OR 1=1 --" }] },
    );
    expect(body).toEqual({ data: { _entities: [null] } });
    expect(graphCalls()).toBe(0);
    expect(queryCalls()).toBe(1);
  });
});

describe('access rules', () => {
  it('lets a citizen see only themselves, by any key, and spends no upstream call on others', async () => {
    const a = citizenA();
    const b = citizenB();
    const own = await h.request(asCitizen(a), `query($id: ID!) { citizen(id: $id) { id email } }`, {
      id: a.unifiedId,
    });
    expect(own.body.data.citizen).toEqual({ id: a.unifiedId, email: a.email });
    h.emu.reset();
    const other = await h.request(
      asCitizen(a),
      `query($id: ID!) { citizen(id: $id) { id email } }`,
      {
        id: b.unifiedId,
      },
    );
    expect(other.body).toEqual({ data: { citizen: null } });
    const ents = await h.request(
      asCitizen(a),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id email } } }`,
      {
        r: [
          { __typename: 'Citizen', contactId: b.contactId },
          { __typename: 'Citizen', commerceCustomerId: b.commerceCustomerId },
          { __typename: 'Citizen', id: b.unifiedId },
        ],
      },
    );
    expect(ents.body.data._entities).toEqual([null, null, null]);
    expect(dcCalls()).toBe(0);
    const byContact = await h.request(
      asCitizen(a),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { id } } }`,
      {
        r: [{ __typename: 'Citizen', contactId: a.contactId }],
      },
    );
    expect(byContact.body.data._entities).toEqual([{ id: a.unifiedId }]);
  });

  it('shows nothing to anonymous callers and segments only to agents', async () => {
    const a = citizenA();
    const anon = await h.request(
      { kind: 'anonymous' },
      `query($id: ID!) { citizen(id: $id) { id } segment(apiName: "Senior_Services") { name } }`,
      { id: a.unifiedId },
    );
    expect(anon.body).toEqual({ data: { citizen: null, segment: null } });
    const cit = await h.request(asCitizen(a), `{ segment(apiName: "Senior_Services") { name } }`);
    expect(cit.body).toEqual({ data: { segment: null } });
    expect(dcCalls()).toBe(0);
  });

  it('refuses a segment apiName that is not an API name before any Salesforce call', async () => {
    const upstream = () =>
      h.emu.log.list({ family: 'datacloud' }).length + h.emu.log.list({ family: 'crm' }).length;
    const before = upstream();
    for (const apiName of [
      '..',
      '../segments',
      'a/b',
      'Senior%2F..',
      '',
      '_x',
      'a__b',
      'x_',
      'a'.repeat(81),
    ]) {
      const { body } = await h.request(
        AGENT,
        `query($n: String!) { segment(apiName: $n) { name } }`,
        {
          n: apiName,
        },
      );
      expect([apiName, body.data?.segment ?? null, body.errors?.[0]?.extensions?.code]).toEqual([
        apiName,
        null,
        'BAD_USER_INPUT',
      ]);
    }
    expect(upstream()).toBe(before);
  });

  it('refuses requests without a signed principal', async () => {
    const supertest = (await import('supertest')).default;
    const res = await supertest(h.sub.url).post('/graphql').send({ query: '{ __typename }' });
    expect(res.status).toBe(401);
  });
});

/** Members of a segment per the emulator's membership DMO. */
function memberCount(apiName: string) {
  const db = dataCloudDb(h.emu.core);
  const seg = db.segments.find((s) => s.apiName === apiName)!;
  return db.table(seg.membershipTable)!.lookup('Segment_Id__c', seg.id).length;
}

describe('segment definitions, kept per process', () => {
  const Q = `query($id: ID!) { citizen(id: $id) { segments { apiName } } segment(apiName: "Senior_Services") { name } }`;

  it('one Connect list read serves every request within SEGMENT_LIST_TTL_MS; Query.segment reads from it', async () => {
    await using kept = await startSubgraphHarness('customer', {
      citizens: 60,
      env: { SEGMENT_LIST_TTL_MS: '60000' },
    });
    kept.emu.reset();
    for (const c of kept.emu.core.world.citizens.slice(0, 3)) {
      const { body } = await kept.request(AGENT, Q, { id: c.unifiedId });
      expect(body.errors).toBeUndefined();
      expect(body.data.segment).toEqual({ name: expect.any(String) });
    }
    const segmentCalls = kept.emu.log.list({ family: 'datacloud', path: '/ssot/segments' });
    expect(segmentCalls.map((c) => c.path.replace(/^.*\/ssot/, ''))).toEqual(['/segments']);
  });

  it('with SEGMENT_LIST_TTL_MS=0 each request reads the list once itself', async () => {
    await using perRequest = await startSubgraphHarness('customer', {
      citizens: 60,
      env: { SEGMENT_LIST_TTL_MS: '0' },
    });
    perRequest.emu.reset();
    for (const c of perRequest.emu.core.world.citizens.slice(0, 3))
      await perRequest.request(AGENT, Q, { id: c.unifiedId });
    const segmentCalls = perRequest.emu.log.list({ family: 'datacloud', path: '/ssot/segments' });
    expect(segmentCalls).toHaveLength(3);
  });
});

describe('Query.segment members', () => {
  const MEMBERS = `query($n: Int, $after: String) { segment(apiName: "Permit_Renewal_Due") { apiName name
    members(first: $n, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id firstName email contactId insights { engagementScore } } } } } }`;

  async function membersCost(n: number) {
    h.emu.reset();
    const { body } = await h.request(AGENT, MEMBERS, { n });
    expect(body.errors).toBeUndefined();
    return { body, total: dcCalls(), queries: queryCalls() };
  }

  it('costs the same number of Data Cloud calls for 10 and 100 members', async () => {
    await membersCost(1); // the segment list is kept per process: measure the steady state
    const ten = await membersCost(10);
    const hundred = await membersCost(100);
    expect(ten.body.data.segment.members.edges).toHaveLength(10);
    expect(hundred.body.data.segment.members.edges).toHaveLength(100);
    expect(hundred.total).toBe(ten.total);
    expect(hundred.queries).toBe(ten.queries);
    // members (Connect; the segment itself from the kept list) + ONE Query API call for the
    // members' profile (names, email, insights) and links joined; totalCount comes from the
    // members answer.
    expect(ten.total).toBe(2);
    expect(ten.queries).toBe(1);
    const m = hundred.body.data.segment.members;
    expect(m.totalCount).toBe(memberCount('Permit_Renewal_Due'));
    expect(ten.body.data.segment.members.totalCount).toBe(m.totalCount);
    expect(m.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const byId = new Map(h.emu.core.world.citizens.map((c) => [c.unifiedId, c]));
    for (const e of m.edges) expect(e.node.email).toBe(byId.get(e.node.id)!.email);
  });

  it('pages with after and rejects first > 100 and bad cursors', async () => {
    const p1 = await h.request(AGENT, MEMBERS, { n: 5 });
    const p2 = await h.request(AGENT, MEMBERS, {
      n: 5,
      after: p1.body.data.segment.members.pageInfo.endCursor,
    });
    const ids1 = p1.body.data.segment.members.edges.map((e: { node: { id: string } }) => e.node.id);
    const ids2 = p2.body.data.segment.members.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids2[0] > ids1[4]).toBe(true);
    expect(p2.body.data.segment.members.pageInfo.hasPreviousPage).toBe(true);
    const big = await h.request(AGENT, MEMBERS, { n: 101 });
    expect(big.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const bad = await h.request(AGENT, MEMBERS, { n: 5, after: 'garbage' });
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers totalCount for first: 0 with one smallest members page and no SQL', async () => {
    const { body } = await h.request(
      AGENT,
      `{ segment(apiName: "Senior_Services") { members(first: 0) { totalCount edges { cursor } pageInfo { hasNextPage } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.segment.members).toEqual({
      totalCount: memberCount('Senior_Services'),
      edges: [],
      pageInfo: { hasNextPage: false },
    });
    expect(queryCalls()).toBe(0);
    expect(
      h.emu.log
        .list({ family: 'datacloud' })
        .filter((c) => c.path.endsWith('/members'))
        .map((c) => c.query),
    ).toEqual(['limit=1&offset=0&orderBy=Id__c%20ASC']);
  });

  it('ends hasNextPage on the last page (nextPageUrl null)', async () => {
    const total = memberCount('Permit_Renewal_Due');
    const { encodeCursor } = await import('../mappers.js');
    const { body } = await h.request(AGENT, MEMBERS, { n: 10, after: encodeCursor(total - 4) });
    expect(body.errors).toBeUndefined();
    expect(body.data.segment.members.edges).toHaveLength(4);
    expect(body.data.segment.members.pageInfo.hasNextPage).toBe(false);
  });

  it('returns null for an unknown segment', async () => {
    const { body } = await h.request(AGENT, `{ segment(apiName: "Nope") { name } }`);
    expect(body).toEqual({ data: { segment: null } });
  });

  it('forbids members to citizens who reach a segment through their own profile', async () => {
    const a = citizenA();
    const { body } = await h.request(
      asCitizen(a),
      `query($id: ID!) { citizen(id: $id) { segments { apiName members(first: 1) { totalCount } } } }`,
      { id: a.unifiedId },
    );
    if (body.data?.citizen?.segments?.length)
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('configured Data Cloud names', () => {
  it('reads the Commerce login by the configured party identification type', async () => {
    await using other = await startSubgraphHarness('customer', {
      citizens: 50,
      env: {
        DATA_CLOUD_COMMERCE_LOGIN_ID_TYPE: 'DriverLicence',
      },
    });
    const c = other.emu.core.world.citizens[2];
    const q = `query($id: ID!) { citizen(id: $id) { id commerceLogin } }`;
    const { body } = await other.request(AGENT, q, { id: c.unifiedId });
    expect(body).toEqual({ data: { citizen: { id: c.unifiedId, commerceLogin: null } } });
    // One data graph record; the party identifications in it are filtered by the configured type.
    expect(other.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' })).toHaveLength(1);
    expect(other.emu.log.list({ family: 'datacloud', path: '/api/v2/query' })).toHaveLength(0);
    const own = await h.request(AGENT, q, { id: citizenA().unifiedId });
    expect(own.body.data.citizen.commerceLogin).toBe(citizenA().email);
  });
});

describe('without a data graph (DATA_CLOUD_DATA_GRAPH blank)', () => {
  it('reads a single citizen through ONE Query API call, with the same answer', async () => {
    await using sql = await startSubgraphHarness('customer', {
      citizens: 50,
      env: { DATA_CLOUD_DATA_GRAPH: '' },
    });
    expect(sql.config.dataGraph).toBeNull();
    const c = sql.emu.core.world.citizens[7];
    const q = `query($id: ID!) { citizen(id: $id) { ${FULL} commerceLogin } }`;
    const { body } = await sql.request(AGENT, q, { id: c.unifiedId });
    expect(body.errors).toBeUndefined();
    expect(sql.emu.log.list({ family: 'datacloud', path: '/api/v2/query' })).toHaveLength(1);
    expect(sql.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' })).toHaveLength(0);
    await using graph = await startSubgraphHarness('customer', { citizens: 50 });
    const viaGraph = await graph.request(AGENT, q, { id: c.unifiedId });
    expect(graph.emu.log.list({ family: 'datacloud', path: '/api/v1/dataGraph' })).toHaveLength(1);
    expect(viaGraph.body).toEqual(body);
  });
});

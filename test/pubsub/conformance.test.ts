// Pub/Sub API conformance: the field's client (salesforce-pubsub-api-client 5.5.2, unmodified)
// against the emulator's gRPC service. Two things are set from the outside, both through the
// client's own configuration: `pubSubEndpoint` (127.0.0.1:port instead of
// api.pubsub.salesforce.com:7443) and `rejectUnauthorizedSsl: false` — the client dials TLS with
// its bundled Salesforce CA only, so a local certificate can be used only unverified.
// The client's `instanceUrl` must start with https:// (its own check); the emulator's instance
// URL is served over http, so the test passes the same host with the https scheme.
import { randomUUID } from 'node:crypto';
import { createEmulator, type Emulator } from '../../emulator/server.js';
import type { PubSubServer } from '../../emulator/pubsub/server.js';
import { listen, type Listening } from '../../lib/http.js';
import { waitFor } from '../support/wait-for.js';

// avro-js 1.12.2's index requires `underscore` without declaring it: it is a devDependency here
// so the unmodified client loads as it would in an app that has it.

interface ParsedEvent {
  replayId: number;
  payload: Record<string, unknown> & {
    ChangeEventHeader?: Record<string, unknown> & { changedFields: string[] };
  };
}
type Callback = (info: unknown, type: string, data?: unknown) => void;
interface Client {
  connect(): Promise<void>;
  subscribe(topic: string, cb: Callback, n?: number | null): void;
  subscribeFromEarliestEvent(topic: string, cb: Callback, n?: number | null): void;
  subscribeFromReplayId(topic: string, cb: Callback, n: number | null, replayId: number): void;
  requestAdditionalEvents(topic: string, n: number): void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PubSubApiClient = require('salesforce-pubsub-api-client').default as new (
  config: Record<string, unknown>,
  logger?: unknown,
) => Client;

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const TOPIC = '/data/CaseChangeEvent';

let emulator: Emulator;
let http: Listening;
let pubsub: PubSubServer;
let token: string;
const clients: Client[] = [];
/** Every subscription's collector, to wait in afterEach until each has seen its stream end. */
const subscriptions: Array<{ ended: () => boolean }> = [];

beforeAll(async () => {
  emulator = createEmulator({ citizens: 20 });
  http = await listen(emulator.app);
  emulator.setOrigin(http.url);
  pubsub = await emulator.startPubSub({ port: 0, host: '127.0.0.1' }, { keepaliveMs: 200 });
  const w = emulator.core.world;
  const res = await fetch(`${http.url}/crm/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: w.integration.clientId,
      client_secret: w.integration.clientSecret,
    }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});

afterEach(async () => {
  // End the streams from the server first: the client's close() detaches its listeners before
  // cancelling, and a cancelled call's error with no listener would be thrown.
  await pubsub.dropStreams();
  await waitFor(() => subscriptions.every((s) => s.ended()), {
    what: "every subscription to see its stream end (the client's status callback)",
  });
  subscriptions.splice(0);
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await pubsub.close();
  await http.close();
});

async function connect(accessToken = token): Promise<Client> {
  const client = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken,
      instanceUrl: `${http.url.replace(/^http:/, 'https:')}/crm`,
      organizationId: emulator.core.world.orgId,
      pubSubEndpoint: `127.0.0.1:${pubsub.port}`,
      rejectUnauthorizedSsl: false,
    },
    silent,
  );
  await client.connect();
  clients.push(client);
  return client;
}

/** Collects events (and errors) a subscription callback sees. */
function collector() {
  const events: ParsedEvent[] = [];
  const errors: Array<{
    code?: number;
    details?: string;
    metadata?: { get(k: string): unknown[] };
  }> = [];
  let keepalives = 0;
  let ended = false;
  const cb: Callback = (_info, type, data) => {
    if (type === 'event') events.push(data as ParsedEvent);
    else if (type === 'error') errors.push(data as (typeof errors)[number]);
    else if (type === 'grpcKeepAlive') keepalives++;
    // grpc-js reports every finished call's status (after its error, if any).
    if (type === 'grpcStatus' || type === 'end') ended = true;
  };
  const until = (ok: () => boolean, what = 'the subscription to see it') => waitFor(ok, { what });
  const c = { cb, events, errors, until, keepalives: () => keepalives, ended: () => ended };
  subscriptions.push(c);
  return c;
}

async function crm(method: string, path: string, body?: unknown) {
  const res = await fetch(`${http.url}/crm/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
}

/** An open case (so a status change leaves IsClosed and ClosedDate as they are). */
const aCaseId = () => [...emulator.core.sobjects.all('Case')].find((r) => !r.IsClosed)!.Id;
/** The client decodes each response in an async handler, so arrival order can interleave. */
const byReplayId = (events: ParsedEvent[]) => [...events].sort((a, b) => a.replayId - b.replayId);

/** Waits until the subscription is live (its first keepalive), so LATEST has a tip to start at. */
const live = (c: ReturnType<typeof collector>) => c.until(() => c.keepalives() > 0);

/**
 * Proves that nothing more was published, without a sleep: a probe (a new Case) is written after
 * the writes under test, so its event comes after anything they published. Waits until the
 * subscription has the probe and every event the topic holds between `since` and it, and returns
 * those events (the probe excluded) in replay order: an unwanted event would be among them.
 */
async function eventsBeforeProbe(c: ReturnType<typeof collector>, since: bigint) {
  const subject = `Probe ${randomUUID()}`;
  await crm('POST', '/sobjects/Case', { Subject: subject });
  const probe = () => c.events.find((e) => e.payload.Subject === subject);
  await c.until(() => {
    const p = probe();
    if (!p) return false;
    const got = new Set(c.events.map((e) => e.replayId));
    return emulator.bus
      .after(TOPIC, since, 10_000)
      .filter((e) => e.replayId < BigInt(p.replayId))
      .every((e) => got.has(Number(e.replayId)));
  }, 'the probe event and every event published before it');
  return byReplayId(c.events).filter((e) => e.replayId < probe()!.replayId);
}

test('a case update through CRM REST arrives decoded, with the CDC header and changed fields', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 5);
  await live(c);
  const id = aCaseId();
  await crm('PATCH', `/sobjects/Case/${id}`, { Status: 'Working' });
  await c.until(() => c.events.length === 1);
  const { payload } = c.events[0];
  const header = payload.ChangeEventHeader!;
  expect(header.entityName).toBe('Case');
  expect(header.recordIds).toEqual([id]);
  expect(header.changeType).toBe('UPDATE');
  expect(header.changedFields.sort()).toEqual(['LastModifiedById', 'LastModifiedDate', 'Status']);
  expect(header.commitUser).toBe(emulator.core.world.integration.userId);
  expect(typeof header.transactionKey).toBe('string');
  expect(header.sequenceNumber).toBe(1);
  expect(payload.Status).toBe('Working');
  // Unchanged fields are null in an UPDATE change event.
  expect(payload.Subject).toBeNull();
});

test('composite and collections writes publish, a rolled-back one does not', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const [a, b] = [...emulator.core.sobjects.all('Case')]
    .filter((r) => r.Priority !== 'High')
    .slice(1, 3)
    .map((r) => r.Id);
  const since = emulator.bus.latestReplayId;
  await crm('PATCH', '/composite/sobjects', {
    allOrNone: true,
    records: [
      { attributes: { type: 'Case' }, id: a, Priority: 'High' },
      { attributes: { type: 'Case' }, id: b, Priority: 'High' },
    ],
  });
  // All or none with one bad record: nothing stands, nothing is published.
  await crm('PATCH', '/composite/sobjects', {
    allOrNone: true,
    records: [
      { attributes: { type: 'Case' }, id: a, Priority: 'Low' },
      { attributes: { type: 'Case' }, id: b, NoSuchField__c: 'x' },
    ],
  });
  await crm('POST', '/composite', {
    allOrNone: false,
    compositeRequest: [
      {
        method: 'POST',
        url: '/services/data/v62.0/sobjects/Case',
        referenceId: 'newCase',
        body: { Subject: 'Pothole on Main St' },
      },
    ],
  });
  // The rolled-back write published nothing: only two events come before the probe.
  const events = await eventsBeforeProbe(c, since);
  const headers = events.map((e) => e.payload.ChangeEventHeader!);
  // The same change to two Cases in one transaction is ONE merged event listing both ids.
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_merged_events.htm
  expect(headers.map((h) => [h.changeType, h.recordIds])).toEqual([
    ['UPDATE', [a, b]],
    ['CREATE', [expect.stringMatching(/^500/)]],
  ]);
  expect(headers[0].sequenceNumber).toBe(1);
  expect(headers[0].changedFields.sort()).toEqual([
    'LastModifiedById',
    'LastModifiedDate',
    'Priority',
  ]);
  expect(events[0].payload.Priority).toBe('High');
  expect(events[1].payload.Subject).toBe('Pothole on Main St');
  expect(events[1].payload.Status).toBe('New');
});

test('different changes in one transaction stay separate events: one key, sequence numbers 1, 2', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const [a, b] = [...emulator.core.sobjects.all('Case')]
    .filter((r) => !r.IsClosed)
    .slice(5, 7)
    .map((r) => r.Id);
  await crm('PATCH', '/composite/sobjects', {
    allOrNone: true,
    records: [
      { attributes: { type: 'Case' }, id: a, Subject: 'First subject' },
      { attributes: { type: 'Case' }, id: b, Subject: 'Second subject' },
    ],
  });
  await c.until(() => c.events.length === 2);
  const headers = byReplayId(c.events).map((e) => e.payload.ChangeEventHeader!);
  expect(headers.map((h) => h.recordIds)).toEqual([[a], [b]]);
  expect(headers[0].transactionKey).toBe(headers[1].transactionKey);
  expect(headers.map((h) => h.sequenceNumber)).toEqual([1, 2]);
});

test('deleting two Cases in one transaction is one merged DELETE event', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const created = (await crm('POST', '/composite/sobjects', {
    allOrNone: true,
    records: [
      { attributes: { type: 'Case' }, Subject: 'Duplicate one' },
      { attributes: { type: 'Case' }, Subject: 'Duplicate two' },
    ],
  })) as unknown as Array<{ id: string }>;
  const ids = created.map((r) => r.id);
  await crm('DELETE', `/composite/sobjects?ids=${ids.join(',')}&allOrNone=true`);
  await c.until(() => c.events.length === 3);
  const headers = byReplayId(c.events).map((e) => e.payload.ChangeEventHeader!);
  expect(headers.map((h) => [h.changeType, h.recordIds])).toEqual([
    ['CREATE', [ids[0]]],
    ['CREATE', [ids[1]]],
    ['DELETE', ids],
  ]);
});

test('a change applied in the database is one gap event: header only, every record id, sequence 1', async () => {
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_gap.htm
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const [a, b] = [...emulator.core.sobjects.all('Case')]
    .filter((r) => !r.IsClosed)
    .slice(8, 10)
    .map((r) => r.Id);
  const res = await fetch(`${http.url}/__emulator/cdc/gap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      changeType: 'GAP_UPDATE',
      records: [
        { id: a, fields: { Status: 'Escalated' } },
        { id: b, fields: { Status: 'Escalated' } },
      ],
    }),
  });
  expect(res.status).toBe(201);
  await c.until(() => c.events.length === 1);
  const { payload } = c.events[0];
  expect(payload.ChangeEventHeader).toMatchObject({
    entityName: 'Case',
    changeType: 'GAP_UPDATE',
    recordIds: [a, b],
    sequenceNumber: 1,
    changedFields: [],
  });
  // No record fields: the subscriber re-reads the records.
  expect(payload.Status).toBeNull();
  expect(payload.Subject).toBeNull();
  expect(emulator.core.sobjects.get('Case', a)!.Status).toBe('Escalated');
});

test('a transaction over the overflow threshold: change events up to it, then one GAP_OVERFLOW without ids', async () => {
  // https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_other_events_overflow.htm
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const since = emulator.bus.latestReplayId;
  emulator.cdc.overflowThreshold = 2;
  try {
    await crm('POST', '/composite/sobjects', {
      allOrNone: true,
      records: ['one', 'two', 'three', 'four'].map((n) => ({
        attributes: { type: 'Case' },
        Subject: `Bulk ${n}`,
      })),
    });
  } finally {
    emulator.cdc.overflowThreshold = 100_000;
  }
  const events = await eventsBeforeProbe(c, since);
  expect(events).toHaveLength(3);
  const headers = events.map((e) => e.payload.ChangeEventHeader!);
  expect(headers.map((h) => [h.changeType, (h.recordIds as string[]).length])).toEqual([
    ['CREATE', 1],
    ['CREATE', 1],
    ['GAP_OVERFLOW', 0],
  ]);
  expect(headers[2]).toMatchObject({ entityName: 'Case', sequenceNumber: 3 });
  expect(events[2].payload.Subject).toBeNull();
});

test('a CaseComment insert publishes Case_Comment__e', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe('/event/Case_Comment__e', c.cb, 5);
  await live(c);
  const id = aCaseId();
  const created = await crm('POST', '/sobjects/CaseComment', {
    ParentId: id,
    CommentBody: 'We are on it',
    IsPublished: true,
  });
  await c.until(() => c.events.length === 1);
  expect(c.events[0].payload).toMatchObject({
    Case_Id__c: id,
    CaseComment_Id__c: created!.id,
    Is_Published__c: true,
  });
});

test('CUSTOM replay from a stored replay id delivers exactly the events after it', async () => {
  const first = await connect();
  const c = collector();
  first.subscribe(TOPIC, c.cb, 10);
  await live(c);
  const id = aCaseId();
  for (const s of ['Escalated', 'Working', 'Closed'])
    await crm('PATCH', `/sobjects/Case/${id}`, { Status: s });
  await c.until(() => c.events.length === 3);
  const original = byReplayId(c.events);
  const stored = original[0].replayId;
  const replay = collector();
  (await connect()).subscribeFromReplayId(TOPIC, replay.cb, 10, stored);
  const replayed = await eventsBeforeProbe(replay, BigInt(stored));
  expect(replayed.map((e) => e.payload.Status)).toEqual(['Working', 'Closed']);
  expect(replayed.map((e) => e.replayId)).toEqual(original.slice(1).map((e) => e.replayId));
});

test('EARLIEST delivers from the start of retention', async () => {
  const retained = emulator.bus.topic(TOPIC)!.events.length;
  expect(retained).toBeGreaterThan(3);
  const c = collector();
  (await connect()).subscribeFromEarliestEvent(TOPIC, c.cb, 100);
  await c.until(() => c.events.length === retained);
  expect(byReplayId(c.events).map((e) => e.replayId)).toEqual(
    emulator.bus.topic(TOPIC)!.events.map((e) => Number(e.replayId)),
  );
});

test('flow control: 2 requested of 5 published → 2 delivered until more are requested', async () => {
  const client = await connect();
  const c = collector();
  client.subscribe(TOPIC, c.cb, 2);
  await live(c);
  const id = aCaseId();
  for (let i = 0; i < 5; i++) await crm('PATCH', `/sobjects/Case/${id}`, { Subject: `s${i}` });
  await c.until(() => c.events.length === 2);
  // Keepalives keep coming, events do not.
  const seen = c.keepalives();
  await c.until(() => c.keepalives() >= seen + 2);
  expect(c.events).toHaveLength(2);
  client.requestAdditionalEvents(TOPIC, 3);
  await c.until(() => c.events.length === 5);
  expect(byReplayId(c.events).map((e: ParsedEvent) => e.payload.Subject)).toEqual([
    's0',
    's1',
    's2',
    's3',
    's4',
  ]);
});

test('a bad token is refused as UNAUTHENTICATED with sfdc.platform.eventbus.grpc.service.auth.error', async () => {
  const client = await connect(`${emulator.core.world.orgId.slice(0, 15)}!AQ4AQnot-a-token`);
  const c = collector();
  client.subscribe(TOPIC, c.cb, 1);
  await c.until(() => c.errors.length > 0);
  expect(c.errors[0].code).toBe(16);
  expect(c.errors[0].metadata?.get('error-code')).toEqual([
    'sfdc.platform.eventbus.grpc.service.auth.error',
  ]);
  expect(c.errors[0].details).toMatch(/^An authentication exception occurred\..*rpcId: /);
  expect(c.events).toHaveLength(0);
});

// Last: it moves the emulator clock 72 hours on, which purges every retained event.
test('a replay id after which events were purged (72-hour retention) is refused: INVALID_ARGUMENT, replayid.corrupted', async () => {
  const c = collector();
  (await connect()).subscribe(TOPIC, c.cb, 10);
  await live(c);
  const id = aCaseId();
  for (const s of ['before the purge 1', 'before the purge 2'])
    await crm('PATCH', `/sobjects/Case/${id}`, { Subject: s });
  await c.until(() => c.events.length === 2);
  const [stored, newest] = byReplayId(c.events).map((e) => e.replayId);
  emulator.clock.advance(72 * 3600 * 1000 + 1000);
  expect(emulator.bus.topic(TOPIC)!.events).toHaveLength(0);
  // The integration session expired with the clock: a new one.
  const res = await fetch(`${http.url}/crm/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.core.world.integration.clientId,
      client_secret: emulator.core.world.integration.clientSecret,
    }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
  // The event after `stored` is gone: replay from it is impossible.
  const refused = collector();
  (await connect()).subscribeFromReplayId(TOPIC, refused.cb, 10, stored);
  await refused.until(() => refused.errors.length > 0);
  expect(refused.errors[0].code).toBe(3);
  expect(refused.errors[0].metadata?.get('error-code')).toEqual([
    'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
  ]);
  expect(refused.events).toHaveLength(0);
  // Nothing after the newest purged event is missing: replay from it is possible.
  const fine = collector();
  (await connect()).subscribeFromReplayId(TOPIC, fine.cb, 10, newest);
  await live(fine);
  expect(fine.errors).toHaveLength(0);
});

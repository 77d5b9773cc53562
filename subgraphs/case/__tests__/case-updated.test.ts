// Subscription.caseUpdated over graphql-ws on the Case subgraph, fed by the emulator's Pub/Sub
// API through the product subscriber (lib/salesforce/pubsub-subscriber.ts): own-case events for
// a citizen, nothing for another citizen, agents see all; one upstream stream per topic however
// many subscribers; a dropped upstream stream resumes from the last replay id (no event lost);
// a refused session (UNAUTHENTICATED) logs in again.
import { createClient, type Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Emulator } from '../../../emulator/server.js';
import type { PubSubServer } from '../../../emulator/pubsub/server.js';
import type { Listening } from '../../../lib/http.js';
import { signPrincipal, PRINCIPAL_HEADER, type Principal } from '../../../lib/principal.js';
import { TEST_PRINCIPAL_SECRET as SECRET } from '../../../test/harness.js';
import { citizenPrincipal } from '../../../test/support/principals.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { waitFor } from '../../../test/support/wait-for.js';

let h: SubgraphHarness<'case'>;
let emu: Emulator;
let pubsub: PubSubServer;
let sub: Listening;
let token: string;
const clients: Client[] = [];

beforeAll(async () => {
  h = await startSubgraphHarness('case', { citizens: 60, pubsub: true, live: true });
  ({ emu, sub } = h);
  pubsub = h.pubsub!;
  token = await h.integrationToken();
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
});
afterAll(() => h.close());

const citizens = () => emu.core.world.citizens;
const asCitizen = (i: number): Principal => citizenPrincipal(citizens()[i]);
const agent: Principal = { kind: 'agent', clientId: 'agent-console' };

/** A citizen index with at least one open case, and that case. */
function citizenWithCase(skip = 0): { index: number; caseId: string } {
  let seen = 0;
  for (let i = 0; i < citizens().length; i++) {
    const open = emu.core.sobjects
      .findBy('Case', 'ContactId', citizens()[i].contactId)
      .find((c) => !c.IsClosed);
    if (open && seen++ === skip) return { index: i, caseId: open.Id };
  }
  throw new Error('no citizen with an open case');
}

/** A status the case does not have now (so the write is a status change). */
const otherStatus = (caseId: string, not?: string) => {
  const now = not ?? String(emu.core.sobjects.get('Case', caseId)!.Status);
  return now === 'Escalated' ? 'Working' : 'Escalated';
};
const graphStatus = (s: string) => s.toUpperCase();

interface Received {
  kind: string;
  changedFields: string[];
  case: {
    id: string;
    status: string;
    description: string | null;
    comments: Array<{ body: string }>;
  } | null;
}

function subscribe(principal: Principal, id?: string) {
  const client = createClient({
    url: `${sub.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: () => ({
      [PRINCIPAL_HEADER]: signPrincipal(principal, SECRET, {
        audience: 'case',
        subscription: true,
      }),
    }),
    retryAttempts: 0,
  });
  clients.push(client);
  const events: Received[] = [];
  const errors: unknown[] = [];
  client.subscribe<{ caseUpdated: Received }>(
    {
      query: `subscription($id: ID) { caseUpdated(id: $id) { kind changedFields case { id status description comments { body } } } }`,
      variables: { id: id ?? null },
    },
    {
      next: (r) => (r.data ? events.push(r.data.caseUpdated) : errors.push(r.errors)),
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return { events, errors };
}

const until = (ok: () => boolean, what = 'the subscription events') => waitFor(ok, { what });

async function crm(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.emulatorUrl}/crm/services/data/v62.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

let probes = 0;
/**
 * Waits until `subs` are live for `caseId`, instead of sleeping on "probably live by now": probe
 * changes (a Description) to the case, again (each wait bounded) until every one has seen one;
 * then one last probe, which every one now gets after any earlier probe (its queue is ordered),
 * and their events are cleared. A subscription that can see no change to the case (another
 * citizen's) cannot be waited on this way.
 */
async function live(caseId: string, ...subs: Array<{ events: Received[] }>) {
  const write = async () => {
    const description = `live probe ${++probes}`;
    await crm('PATCH', `/sobjects/Case/${caseId}`, { Description: description });
    return (s: { events: Received[] }) => s.events.some((e) => e.case?.description === description);
  };
  const seenAny = () =>
    subs.every((s) => s.events.some((e) => e.case?.description?.startsWith('live probe')));
  for (let i = 0; i < 20 && !seenAny(); i++) {
    await write();
    await waitFor(seenAny, { what: 'a live probe', timeoutMs: 1000, onTimeout: 'return' });
  }
  const last = await write();
  await until(() => subs.every(last), 'the last live probe');
  for (const s of subs) s.events.length = 0;
}

/**
 * Proves that nothing more arrives on `subs`, without a sleep: a probe change (a Description) to
 * `caseId`, which each of them sees, is queued on each subscription after everything published
 * before it (one upstream stream, one ordered queue per subscription). Waits until each has the
 * probe and takes it out: what is left is all that arrived before it.
 */
async function probe(caseId: string, ...subs: Array<{ events: Received[] }>) {
  await crm('PATCH', `/sobjects/Case/${caseId}`, { Description: `Probe ${randomUUID()}` });
  const isProbe = (e: Received) =>
    e.kind === 'UPDATED' && e.case?.id === caseId && e.changedFields.includes('description');
  await until(() => subs.every((s) => s.events.some(isProbe)), 'the probe change');
  for (const s of subs) {
    expect(isProbe(s.events.at(-1)!)).toBe(true);
    s.events.pop();
  }
}

test("a citizen receives their own case's status change and an agent's comment; another citizen nothing", async () => {
  const a = citizenWithCase(0);
  const b = citizenWithCase(1);
  const mine = subscribe(asCitizen(a.index));
  const theirs = subscribe(asCitizen(b.index), a.caseId);
  const all = subscribe(agent);
  await live(a.caseId, mine, all);
  const status = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: status });
  await crm('POST', '/sobjects/CaseComment', {
    ParentId: a.caseId,
    CommentBody: 'An inspector is on the way.',
    IsPublished: true,
  });
  // An internal (unpublished) note is no event for anyone.
  await crm('POST', '/sobjects/CaseComment', {
    ParentId: a.caseId,
    CommentBody: 'internal',
    IsPublished: false,
  });
  await until(() => mine.events.length === 2 && all.events.length === 2);
  await probe(a.caseId, mine, all);
  expect(mine.events).toEqual([
    {
      kind: 'STATUS_CHANGED',
      changedFields: ['status', 'updatedAt'],
      case: {
        id: a.caseId,
        status: graphStatus(status),
        description: expect.stringMatching(/^live probe/),
        comments: expect.any(Array),
      },
    },
    {
      kind: 'COMMENT_ADDED',
      changedFields: [],
      case: expect.objectContaining({ id: a.caseId, status: graphStatus(status) }),
    },
  ]);
  expect(mine.events[1].case!.comments.at(-1)).toEqual({ body: 'An inspector is on the way.' });
  expect(all.events.map((e) => e.kind)).toEqual(['STATUS_CHANGED', 'COMMENT_ADDED']);
  // Citizen B asked for A's case: nothing at all.
  expect(theirs.events).toEqual([]);
  expect(theirs.errors).toEqual([]);
  expect(mine.errors).toEqual([]);
});

test('many subscribers share one upstream stream per topic', async () => {
  const a = citizenWithCase(2);
  const before = streams();
  const subs = [0, 1, 2].map(() => subscribe(asCitizen(a.index), a.caseId));
  await live(a.caseId, ...subs);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Priority: 'High' });
  const since = emu.log.list().length;
  await until(() => subs.every((s) => s.events.length === 1));
  expect(subs.map((s) => s.events[0].kind)).toEqual(['UPDATED', 'UPDATED', 'UPDATED']);
  expect(streams()).toBe(before);
  // The case after the change is read from CRM once for the three subscriptions (each still
  // reads its own `comments`).
  const reads = emu.log
    .list()
    .slice(since)
    .filter((c) => c.family === 'crm');
  expect(reads.filter((c) => c.path.endsWith('/composite/sobjects/Case'))).toHaveLength(1);
  expect(reads.filter((c) => c.query.includes('CaseComment'))).toHaveLength(3);
});

test('the upstream stream dropped and restored loses no event (CUSTOM replay)', async () => {
  const a = citizenWithCase(3);
  const mine = subscribe(asCitizen(a.index), a.caseId);
  await live(a.caseId, mine);
  const first = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: first });
  await until(() => mine.events.length === 1);
  // The connection drops; a change commits while the subscriber is away; then a second one.
  await pubsub.dropStreams();
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: otherStatus(a.caseId, first) });
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Streetlight out (update)' });
  await until(() => mine.events.length === 3);
  await probe(a.caseId, mine);
  expect(mine.events.map((e) => [e.kind, e.changedFields])).toEqual([
    ['STATUS_CHANGED', ['status', 'updatedAt']],
    ['STATUS_CHANGED', ['status', 'updatedAt']],
    ['UPDATED', ['subject', 'updatedAt']],
  ]);
});

test('an expired integration session is refused upstream (UNAUTHENTICATED) and renewed', async () => {
  const a = citizenWithCase(4);
  const mine = subscribe(asCitizen(a.index), a.caseId);
  await live(a.caseId, mine);
  emu.core.tokens.expireAll('core-access');
  await pubsub.dropStreams();
  // Our own REST token expired too: log in again for the write.
  token = await h.integrationToken();
  const status = otherStatus(a.caseId);
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Status: status });
  await until(() => mine.events.length === 1);
  expect(mine.events[0]).toMatchObject({
    kind: 'STATUS_CHANGED',
    case: { status: graphStatus(status) },
  });
});

describe('merged, gap and overflow change events', () => {
  /** Plays a change applied in the database: the emulator's gap event for these cases. */
  async function gap(changeType: string, records: Array<{ id: string; fields?: object }>) {
    const res = await fetch(`${h.emulatorUrl}/__emulator/cdc/gap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ changeType, records }),
    });
    expect(res.status).toBe(201);
  }

  test('a merged event for two citizens’ cases: each gets their own case, the agent both', async () => {
    const a = citizenWithCase(5);
    const b = citizenWithCase(6);
    for (const id of [a.caseId, b.caseId])
      emu.core.sobjects.update('Case', id, { Priority: 'Low' });
    const mineA = subscribe(asCitizen(a.index));
    const mineB = subscribe(asCitizen(b.index));
    const all = subscribe(agent);
    // B's probes first: the agent sees them too, before A's last probe clears its events.
    await live(b.caseId, mineB);
    await live(a.caseId, mineA, all);
    const since = emu.bus.topic('/data/CaseChangeEvent')!.events.length;
    // One transaction, the same change to both: Salesforce sends ONE event with both ids.
    await crm('PATCH', '/composite/sobjects', {
      allOrNone: true,
      records: [a.caseId, b.caseId].map((id) => ({
        attributes: { type: 'Case' },
        id,
        Priority: 'High',
      })),
    });
    await until(() => mineA.events.length === 1 && mineB.events.length === 1);
    await until(() => all.events.length === 2);
    expect(emu.bus.topic('/data/CaseChangeEvent')!.events.length - since).toBe(1);
    await probe(a.caseId, mineA, all);
    await probe(b.caseId, mineB, all);
    expect(mineA.events).toEqual([
      expect.objectContaining({
        kind: 'UPDATED',
        changedFields: ['priority', 'updatedAt'],
        case: expect.objectContaining({ id: a.caseId }),
      }),
    ]);
    expect(mineB.events.map((e) => e.case?.id)).toEqual([b.caseId]);
    expect(all.events.map((e) => e.case?.id).sort()).toEqual([a.caseId, b.caseId].sort());
  });

  test('a gap event re-reads each case it names: kind GAP, changedFields empty, the case as it is now', async () => {
    const a = citizenWithCase(7);
    const b = citizenWithCase(8);
    const mine = subscribe(asCitizen(a.index), a.caseId);
    const all = subscribe(agent);
    await live(a.caseId, mine, all);
    const status = otherStatus(a.caseId);
    await gap('GAP_UPDATE', [
      { id: a.caseId, fields: { Status: status } },
      { id: b.caseId, fields: { Status: otherStatus(b.caseId) } },
    ]);
    await until(() => mine.events.length === 1 && all.events.length === 2);
    await probe(a.caseId, mine, all);
    expect(mine.events).toEqual([
      {
        kind: 'GAP',
        changedFields: [],
        case: expect.objectContaining({ id: a.caseId, status: graphStatus(status) }),
      },
    ]);
    expect(all.events.map((e) => e.kind)).toEqual(['GAP', 'GAP']);
  });

  test('GAP_DELETE is a deletion (agents only)', async () => {
    const a = citizenWithCase(9);
    const mine = subscribe(asCitizen(a.index), a.caseId);
    const all = subscribe(agent);
    await live(a.caseId, mine, all);
    await gap('GAP_DELETE', [{ id: a.caseId }]);
    await until(() => all.events.length === 1);
    // Any case the agent sees carries the probe (the deleted one is gone).
    await probe(citizenWithCase(13).caseId, all);
    expect(all.events).toEqual([{ kind: 'DELETED', changedFields: [], case: null }]);
    expect(mine.events).toEqual([]);
  });

  test('an overflow event: one-case subscriptions get their case re-read, every-case ones case null', async () => {
    const a = citizenWithCase(10);
    const mine = subscribe(asCitizen(a.index), a.caseId);
    const mineAll = subscribe(asCitizen(a.index));
    const all = subscribe(agent);
    const other = subscribe(asCitizen(citizenWithCase(11).index), a.caseId);
    await live(a.caseId, mine, mineAll, all);
    emu.cdc.overflowThreshold = 1;
    try {
      // The first change already passes the threshold: no change event, one GAP_OVERFLOW.
      await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Flooded underpass (bulk)' });
    } finally {
      emu.cdc.overflowThreshold = 100_000;
    }
    await until(() => mine.events.length === 1 && mineAll.events.length === 1);
    await until(() => all.events.length === 1);
    await probe(a.caseId, mine, mineAll, all);
    expect(mine.events).toEqual([
      {
        kind: 'GAP_OVERFLOW',
        changedFields: [],
        case: expect.objectContaining({ id: a.caseId }),
      },
    ]);
    expect(mineAll.events).toEqual([{ kind: 'GAP_OVERFLOW', changedFields: [], case: null }]);
    expect(all.events).toEqual([{ kind: 'GAP_OVERFLOW', changedFields: [], case: null }]);
    // Another citizen following A's case is not shown it.
    expect(other.events).toEqual([]);
  });
});

test('a change whose case cannot be read (503s) is an error event with its code and case id, and the subscription goes on', async () => {
  const a = citizenWithCase(12);
  const mine = subscribe(asCitizen(a.index), a.caseId);
  await live(a.caseId, mine);
  // Every read of the case after the change fails, the client's retries included.
  const fault = emu.faults.add({
    kind: 'status',
    family: 'crm',
    status: 503,
    path: '/composite/sobjects/Case',
  });
  try {
    await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Pothole (unreadable)' });
    await until(() => mine.errors.length === 1);
  } finally {
    emu.faults.remove(fault.id);
  }
  expect(mine.events).toEqual([]);
  expect(mine.errors[0]).toEqual([
    expect.objectContaining({
      extensions: expect.objectContaining({
        code: 'UPSTREAM_UNAVAILABLE',
        caseId: a.caseId,
        kind: 'UPDATED',
      }),
    }),
  ]);
  // Salesforce answers again: the next change is an event as usual.
  await crm('PATCH', `/sobjects/Case/${a.caseId}`, { Subject: 'Pothole (readable)' });
  await until(() => mine.events.length === 1);
  expect(mine.events[0]).toMatchObject({ kind: 'UPDATED', case: { id: a.caseId } });
  expect(mine.errors).toHaveLength(1);
});

test('an anonymous principal cannot subscribe', async () => {
  const anon = subscribe({ kind: 'anonymous' });
  await until(() => anon.errors.length === 1);
  expect(JSON.stringify(anon.errors[0])).toContain('UNAUTHENTICATED');
  expect(anon.events).toEqual([]);
});

/** Open Subscribe streams the emulator serves (the bus's listeners). */
function streams(): number {
  const bus = emu.bus as unknown as { listeners: Map<string, Set<unknown>> };
  return [...bus.listeners.values()].reduce((n, s) => n + s.size, 0);
}

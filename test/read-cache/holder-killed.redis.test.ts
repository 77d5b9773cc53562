// The read cache on Redis (READ_CACHE=redis) across two case replicas that consume the case
// change events for the fleet (lib/salesforce/pubsub-fleet.ts, one real redis-server): a case read
// through replica B is cached (its second read costs no CRM call); the replica holding the
// consumer's lease (A) is killed (its Redis cut first, nothing given back); the case is changed
// straight in CRM REST while nobody consumes; B takes the lease once A's expires, resumes from
// the checkpoint, and the change event — published meanwhile — still invalidates the cached
// read before B's caseUpdated subscriber hears of it (waited on, never a sleep); the next read
// through B answers the new value, from Salesforce.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../lib/redis/connect.js';
import { signPrincipal, PRINCIPAL_HEADER, type Principal } from '../../lib/principal.js';
import type { FleetTopicState } from '../../lib/salesforce/pubsub-fleet.js';
import {
  startEmulator,
  startSubgraph,
  TEST_PRINCIPAL_SECRET,
  type RunningEmulator,
  type RunningSubgraph,
} from '../harness.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { integrationToken } from '../support/integration-token.js';
import { budget } from '../support/budget.js';
import { waitFor as poll } from '../support/wait-for.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;
const CASE_TOPIC = '/data/CaseChangeEvent';
const LEASE_KEY = `lease:{pubsub:${CASE_TOPIC}}`;
const agent: Principal = { kind: 'agent', clientId: 'agent-console' };
const CASE = /* GraphQL */ `
  query ($id: ID!) {
    case(id: $id) {
      id
      subject
    }
  }
`;

interface Replica {
  sub: RunningSubgraph;
  /** Its own Redis connections: shared state (the read cache) and the case events. */
  connections: Redis[];
  /** As a killed process: its Redis connections cut first, so it gives nothing back. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

describeRedis('the read cache on Redis when the change events’ consumer is killed', () => {
  let server: RedisServer;
  let admin: Redis;
  let emu: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  let token: string;
  const replicas: Replica[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connectRedis({ url: server.url });
    emu = await startEmulator({ citizens: 40, pubsub: true });
    env = {
      ...emu.env,
      PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
      READ_CACHE: 'redis',
      PUBSUB_RETRY_MS: '50',
      // Short leases: a dead holder is replaced within seconds (waited on, never slept on); long
      // enough that a loaded machine does not let the killed holder's lease run out mid-kill.
      PUBSUB_LEASE_MS: '3000',
      UPSTREAM_TIMEOUT_MS: String(budget(0.1)),
    };
    token = await integrationToken(emu.emulator, emu.url);
  }, budget(0.5));
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const r of replicas.splice(0)) await r.stop();
    await admin?.quit();
    await emu?.stop();
    await server?.stop();
  });

  async function replica(): Promise<Replica> {
    // Generous command timeouts: a loaded machine must not make a holder lose its lease.
    const redis = connectRedis({ url: server.url, commandTimeoutMs: 2000 });
    const eventsRedis = connectRedis({ url: server.url, commandTimeoutMs: 2000 });
    const connections = [redis, eventsRedis];
    const sub = await startSubgraph('case', env, { deps: { redis, eventsRedis }, live: true });
    let stopped: Promise<void> | undefined;
    const r: Replica = {
      sub,
      connections,
      stop: () =>
        (stopped ??= (async () => {
          await sub.stop();
          // A killed replica's connections are closed already (no offline queue: quit would throw).
          for (const c of connections)
            if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
            else c.disconnect();
        })()),
      kill: async () => {
        for (const c of connections) c.disconnect();
        await r.stop();
      },
    };
    replicas.push(r);
    return r;
  }

  const holder = () => admin.get(LEASE_KEY);
  const checkpoint = () => admin.get(`pubsub:replay:{pubsub:${CASE_TOPIC}}`);
  const waitFor = (what: string, ok: () => boolean | Promise<boolean>, ms = budget(0.3)) =>
    poll(ok, { what, timeoutMs: ms });

  /** The replica's role for the case topic, as its /readyz says (holder or follower). */
  const role = async (r: Replica) => {
    const body = (await (await fetch(`${r.sub.http.url}/readyz`)).json()) as {
      events: FleetTopicState[];
    };
    return body.events.find((t) => t.topic === CASE_TOPIC)?.role;
  };

  async function patchCase(caseId: string, body: Record<string, unknown>) {
    const res = await fetch(`${emu.url}/crm/services/data/v62.0/sobjects/Case/${caseId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`PATCH ${caseId}: ${res.status} ${await res.text()}`);
  }

  /** The changed fields of each caseUpdated event on `r` for `caseId` (no re-read of the case). */
  function subscribe(r: Replica, caseId: string) {
    const client = createClient({
      url: `${r.sub.url.replace(/^http/, 'ws')}`,
      webSocketImpl: WebSocket,
      connectionParams: () => ({
        [PRINCIPAL_HEADER]: signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
          audience: 'case',
          subscription: true,
        }),
      }),
      retryAttempts: 0,
    });
    clients.push(client);
    const events: string[][] = [];
    const errors: unknown[] = [];
    client.subscribe<{ caseUpdated: { kind: string; changedFields: string[] } }>(
      {
        query: `subscription($id: ID) { caseUpdated(id: $id) { kind changedFields } }`,
        variables: { id: caseId },
      },
      {
        next: (m) => {
          if (m.data?.caseUpdated) events.push(m.data.caseUpdated.changedFields);
          else errors.push(...(m.errors ?? []));
        },
        error: (e) => errors.push(e),
        complete: () => {},
      },
    );
    return { events, errors };
  }

  /** CRM reads of one request through `r`, from the emulator's call log (token requests aside). */
  async function readThrough(r: Replica, caseId: string) {
    emu.emulator.log.reset();
    const res = await r.sub.gql(agent, CASE, { id: caseId });
    const crm = emu.emulator.log
      .list()
      .filter((c) => c.family === 'crm' && !c.path.endsWith('/oauth2/token')).length;
    return { res, crm };
  }

  test('the holder killed: the surviving replica resumes from the checkpoint and the change made meanwhile still invalidates its cached read', async () => {
    // The first replica takes the lease and checkpoints; then the second starts.
    const first = await replica();
    await waitFor(
      'the lease and a first checkpoint',
      async () => !!(await holder()) && !!(await checkpoint()),
    );
    const lease = await holder();
    const second = await replica();
    // Who holds it, each replica says (a lease can change hands on a loaded machine).
    const roles = await Promise.all([role(first), role(second)]);
    expect([...roles].sort()).toEqual(['follower', 'holder']);
    const [A, B] = roles[0] === 'holder' ? [first, second] : [second, first];

    const caseId = [...emu.emulator.core.sobjects.all('Case')].find((c) => !c.IsClosed)!
      .Id as string;
    // B's subscriber is fed (through Redis, A consuming): a probe change until one arrives.
    const s = subscribe(B, caseId);
    for (let i = 0; !s.events.length; i++) {
      if (i > 20) throw new Error('the subscription never received a probe');
      await patchCase(caseId, { Description: `probe ${i}` });
      await waitFor('a probe', () => s.events.length > 0, 500).catch(() => {});
    }
    // Drained: a last change of another field; once its event is in, every probe's is (one
    // ordered channel), so none arrives after the warm-up to invalidate it.
    const origin =
      emu.emulator.core.sobjects.get('Case', caseId)!.Origin === 'Web' ? 'Phone' : 'Web';
    await patchCase(caseId, { Origin: origin });
    await waitFor('the drain marker', () => s.events.some((f) => f.includes('origin')));
    expect(await holder()).toBe(lease);

    // Warm through B: the second read is a hit in Redis, no CRM call.
    const warm = await readThrough(B, caseId);
    expect(warm.res.body.errors).toBeUndefined();
    const oldSubject = (warm.res.body.data as { case: { subject: string } }).case.subject;
    expect(warm.crm).toBeGreaterThan(0);
    const hit = await readThrough(B, caseId);
    expect(hit.res.body.data).toEqual(warm.res.body.data);
    expect(hit.crm).toBe(0);

    // The holder dies; its lease is held on (only if still the dead holder's: compare-and-set)
    // so the case certainly changes while nobody consumes, then runs out (deleted, as expiry).
    const from = s.events.length;
    await A.kill();
    const held = await admin.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
      1,
      LEASE_KEY,
      lease!,
      String(budget(0.5)),
    );
    expect(held).toBe(1);
    const subject = `${oldSubject} (changed while the consumer was dead)`;
    await patchCase(caseId, { Subject: subject });
    expect(await role(B)).toBe('follower');
    expect(s.events.slice(from)).toEqual([]);
    await admin.del(LEASE_KEY);

    // B takes the lease, replays from the checkpoint, invalidates, then tells its subscriber.
    await waitFor('the lease changing hands', async () => ![null, lease].includes(await holder()));
    await waitFor('the change event on B', () =>
      s.events.slice(from).some((f) => f.includes('subject')),
    );
    expect(await role(B)).toBe('holder');
    expect(s.events.slice(from)).toEqual([['subject', 'updatedAt']]);
    expect(s.errors).toEqual([]);

    const after = await readThrough(B, caseId);
    expect(after.res.body.errors).toBeUndefined();
    expect((after.res.body.data as { case: { subject: string } }).case.subject).toBe(subject);
    expect(after.crm).toBeGreaterThan(0);
    console.log(
      `case read through B: uncached ${warm.crm} CRM calls, cached ${hit.crm}, after the event ${after.crm}`,
    );
  });
});

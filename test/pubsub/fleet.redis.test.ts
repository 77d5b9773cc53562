// Durable live updates across replicas of the case subgraph on one real Redis
// (lib/salesforce/pubsub-fleet.ts): one replica consumes each topic under a lease, checkpoints
// its replay id, and every replica's subscribers get each event through Redis — once. The
// consumer's replica dies while the case changes → the other replica (or the restarted one)
// takes the lease and replays from the checkpoint (in this process, and as a real
// `subgraphs/case/main.ts` process with REDIS_URL, SIGKILLed); a case that cannot be read is an error
// event; a checkpoint older than the bus's 72-hour retention is an error telling to re-read.
// Waits are on events and on the lease changing hands in Redis, bounded by the suite's budget.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../lib/redis/connect.js';
import { signPrincipal, PRINCIPAL_HEADER, type Principal } from '../../lib/principal.js';
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
import { freePorts, spawnService, TSX_LOADER } from '../ops/processes.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;
const CASE_TOPIC = '/data/CaseChangeEvent';
const agent: Principal = { kind: 'agent', clientId: 'agent-console' };

interface Received {
  subject: string;
  kind: string;
  changedFields: string[];
}
interface Replica {
  sub: RunningSubgraph;
  redis: Redis;
  /** As a killed process: its Redis connection cut first, so it gives nothing back. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

describeRedis('durable case events across replicas on one Redis', () => {
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
      PUBSUB_RETRY_MS: '50',
      // Short leases: a dead holder is replaced within seconds (waited on, never slept on). Not
      // shorter: beside CPU burners a live holder's renewal can be late by a second, and a lease
      // that lapses under a live holder moves to the other replica mid-test.
      PUBSUB_LEASE_MS: '2500',
      UPSTREAM_TIMEOUT_MS: String(budget(0.1)),
    };
    token = await integrationToken(emu.emulator, emu.url);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const r of replicas.splice(0)) await r.stop();
    emu.emulator.faults.reset();
    await admin.flushall();
  });
  afterAll(async () => {
    await admin?.quit();
    await emu?.stop();
    await server?.stop();
  });

  async function replica(): Promise<Replica> {
    const redis = connectRedis({ url: server.url });
    const sub = await startSubgraph('case', env, { deps: { eventsRedis: redis }, live: true });
    let stopped: Promise<void> | undefined;
    const r: Replica = {
      sub,
      redis,
      stop: () =>
        (stopped ??= (async () => {
          await sub.stop();
          // A killed replica's connection is already closed (no offline queue: quit would throw).
          // (Its status may still say ready until the close is processed: then quit refuses.)
          if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
          else redis.disconnect();
        })()),
      kill: async () => {
        redis.disconnect();
        await r.stop();
      },
    };
    replicas.push(r);
    return r;
  }

  const leaseKey = (topic: string) => `lease:{pubsub:${topic}}`;
  const holder = () => admin.get(leaseKey(CASE_TOPIC));
  const checkpoint = () => admin.get(`pubsub:replay:{pubsub:${CASE_TOPIC}}`);

  const waitFor = (what: string, ok: () => boolean | Promise<boolean>, ms = budget(0.3)) =>
    poll(ok, { what, timeoutMs: ms });

  /** The first replica: it holds the lease and its stream is live (a keepalive checkpointed). */
  async function firstConsumer(): Promise<{ replica: Replica; token: string }> {
    const a = await replica();
    await waitFor(
      'the lease and a first checkpoint',
      async () => !!(await holder()) && !!(await checkpoint()),
    );
    return { replica: a, token: (await holder())! };
  }

  const aCase = () =>
    [...emu.emulator.core.sobjects.all('Case')].find((c) => !c.IsClosed)!.Id as string;

  let changes = 0;
  const setSubject = (caseId: string, subject: string) => change(caseId, { Subject: subject });
  /** Three changes to three different fields: each event is told apart by its changedFields. */
  async function threeChanges(caseId: string) {
    const priority = emu.emulator.core.sobjects.get('Case', caseId)!.Priority;
    const n = ++changes;
    await change(caseId, { Subject: `changed ${n}.1` });
    await change(caseId, { Priority: priority === 'High' ? 'Low' : 'High' });
    await change(caseId, { Description: `changed ${n}.3` });
  }
  const THREE = [
    ['subject', 'updatedAt'],
    ['priority', 'updatedAt'],
    ['description', 'updatedAt'],
  ];
  async function change(caseId: string, body: Record<string, unknown>) {
    const res = await fetch(`${emu.url}/crm/services/data/v62.0/sobjects/Case/${caseId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status >= 400) throw new Error(`PATCH ${caseId}: ${res.status} ${await res.text()}`);
  }

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
    const events: Received[] = [];
    const errors: Array<{ message: string; extensions?: Record<string, unknown> }> = [];
    client.subscribe<{
      caseUpdated: { kind: string; changedFields: string[]; case: { subject: string } };
    }>(
      {
        query: `subscription($id: ID) { caseUpdated(id: $id) { kind changedFields case { subject } } }`,
        variables: { id: caseId },
      },
      {
        next: (r) => {
          if (r.data?.caseUpdated)
            events.push({
              kind: r.data.caseUpdated.kind,
              changedFields: r.data.caseUpdated.changedFields,
              subject: r.data.caseUpdated.case.subject,
            });
          else errors.push(...((r.errors ?? []) as typeof errors));
        },
        error: (e) => errors.push({ message: String(e) }),
        complete: () => {},
      },
    );
    return { events, errors };
  }

  /** Changes the case until the subscription has seen one more probe (it is registered and fed). */
  let probes = 0;
  async function probe(caseId: string, s: ReturnType<typeof subscribe>) {
    const from = s.events.length;
    const seen = () => s.events.slice(from).some((e) => e.subject.startsWith('probe'));
    for (let i = 0; !seen(); i++) {
      if (i > 20) throw new Error('the subscription never received a probe');
      // A subject this case never had (a repeated one would change only LastModifiedDate).
      await setSubject(caseId, `probe ${++probes}`);
      await waitFor('a probe', seen, 500).catch(() => {});
    }
  }
  /** The events after the last probe: their changed fields. */
  const after = (s: ReturnType<typeof subscribe>) => {
    let last = -1;
    s.events.forEach((e, i) => {
      if (e.changedFields.includes('subject') && e.subject.startsWith('probe')) last = i;
    });
    return s.events.slice(last + 1).map((e) => e.changedFields);
  };
  const MARKER = [['origin', 'updatedAt']];
  const marker = (caseId: string) =>
    change(caseId, {
      Origin: emu.emulator.core.sobjects.get('Case', caseId)!.Origin === 'Web' ? 'Phone' : 'Web',
    });

  test('the consumer’s replica is killed while the case changes 3 times: every change reaches a subscriber on the other replica exactly once', async () => {
    const { replica: a, token: first } = await firstConsumer();
    const b = await replica();
    const caseId = aCase();
    const s = subscribe(b, caseId);
    await probe(caseId, s);
    // B does not consume: A does, and B's subscriber is fed through Redis.
    expect(await holder()).toBe(first);
    await a.kill();
    await threeChanges(caseId);
    // A starts again; whichever replica takes the lease replays from the checkpoint.
    await replica();
    await waitFor('the three changes', () => after(s).length >= 3);
    // A last change: any duplicate of the three would have come before it (one ordered channel).
    await marker(caseId);
    await waitFor('the marker', () => after(s).length >= 4);
    expect(after(s)).toEqual([...THREE, ...MARKER]);
    expect(s.errors).toEqual([]);
    const now = await holder();
    expect(now).not.toBeNull();
    expect(now).not.toBe(first);
  });

  test('a real case subgraph process (REDIS_URL) consuming for the fleet is SIGKILLed while the case changes 3 times: every change reaches the other replica’s subscriber once', async () => {
    const [port] = await freePorts(1);
    const child = spawnService(['--import', TSX_LOADER, 'subgraphs/case/main.ts'], {
      ...env,
      CASE_PORT: String(port),
      REDIS_URL: server.url,
    });
    try {
      await child.waitFor(/case subgraph ready at/);
      await waitFor(
        'the process holding the lease and a first checkpoint',
        async () => !!(await holder()) && !!(await checkpoint()),
        budget(0.5),
      );
      const first = await holder();
      const b = await replica();
      const caseId = aCase();
      const s = subscribe(b, caseId);
      await probe(caseId, s);
      expect(await holder()).toBe(first);
      child.child.kill('SIGKILL');
      await child.exited;
      await threeChanges(caseId);
      await waitFor('the three changes', () => after(s).length >= 3);
      await marker(caseId);
      await waitFor('the marker', () => after(s).length >= 4);
      expect(after(s)).toEqual([...THREE, ...MARKER]);
      expect(s.errors).toEqual([]);
      expect(await holder()).not.toBe(first);
    } finally {
      if (child.child.exitCode === null && child.child.signalCode === null)
        child.child.kill('SIGKILL');
      await child.exited;
    }
  });

  test('a stopped consumer gives its lease back: the other replica takes over at once and misses nothing', async () => {
    const { replica: a, token: first } = await firstConsumer();
    const b = await replica();
    const caseId = aCase();
    const s = subscribe(b, caseId);
    await probe(caseId, s);
    await a.stop();
    await threeChanges(caseId);
    await waitFor('the lease changing hands', async () => ![null, first].includes(await holder()));
    await waitFor('the three changes', () => after(s).length >= 3);
    await marker(caseId);
    await waitFor('the marker', () => after(s).length >= 4);
    expect(after(s)).toEqual([...THREE, ...MARKER]);
  });

  test('a change whose case cannot be read is an error event on the subscriber’s replica, with its code and case id', async () => {
    await firstConsumer();
    const b = await replica();
    const caseId = aCase();
    const s = subscribe(b, caseId);
    await probe(caseId, s);
    const fault = emu.emulator.faults.add({
      kind: 'status',
      family: 'crm',
      status: 503,
      path: '/composite/sobjects/Case',
    });
    await setSubject(caseId, 'unreadable');
    await waitFor('the error event', () => s.errors.length === 1);
    emu.emulator.faults.remove(fault.id);
    expect(s.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', caseId });
    await marker(caseId);
    await waitFor('the next change', () => after(s).length >= 1);
    expect(after(s)).toEqual(MARKER);
  });

  // Last: it moves the emulator clock 72 hours on.
  test('a checkpoint older than the 72-hour retention: subscribers are told to re-read, and the consumer goes on from LATEST', async () => {
    const { replica: a, token: first } = await firstConsumer();
    const b = await replica();
    const caseId = aCase();
    const s = subscribe(b, caseId);
    await probe(caseId, s);
    await a.kill();
    // Nobody may take the dead holder's lease until the change is past the retention.
    await admin.pexpire(leaseKey(CASE_TOPIC), budget(0.5));
    await setSubject(caseId, 'purged before anyone read it');
    emu.emulator.clock.advance(72 * 3600 * 1000 + 1000);
    token = await integrationToken(emu.emulator, emu.url);
    await admin.del(leaseKey(CASE_TOPIC));
    await waitFor('the re-read error', () => s.errors.length === 1);
    expect(s.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reread: true });
    expect(s.errors[0].message).toMatch(/re-read/);
    await waitFor('a new holding', async () => ![null, first].includes(await holder()));
    // From LATEST on: the next change arrives as usual.
    await probe(caseId, s);
    await marker(caseId);
    await waitFor('the change after', () => after(s).length >= 1);
    expect(after(s)).toEqual(MARKER);
    expect(s.errors).toHaveLength(1);
  });
});

// The customer subgraph's citizen change feed across replicas on one real Redis: the SAME
// durable consumer as the case subgraph's (lib/salesforce/pubsub-fleet.ts, its own namespace
// `pubsub:customer`): one replica consumes Citizen_Profile_Changed__e under a lease, checkpoints
// its replay id, and every replica's `citizenUpdated` subscribers get each change once; when the
// consumer dies the other replica takes the lease and replays what changed from the checkpoint.
// Waits are on events and on the lease/checkpoint in Redis, bounded by the suite's budget.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import request from 'supertest';
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
import { budget } from '../support/budget.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;
const TOPIC = '/event/Citizen_Profile_Changed__e';
const NAME = `pubsub:customer:${TOPIC}`;
const agent: Principal = { kind: 'agent', clientId: 'agent-console' };

describeRedis('citizen change events across customer replicas on one Redis', () => {
  let server: RedisServer;
  let admin: Redis;
  let emu: RunningEmulator;
  let env: NodeJS.ProcessEnv;
  const stops: Array<() => Promise<void>> = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connectRedis({ url: server.url });
    emu = await startEmulator({ citizens: 20, pubsub: true });
    env = {
      ...emu.env,
      PRINCIPAL_SECRET: TEST_PRINCIPAL_SECRET,
      PUBSUB_RETRY_MS: '50',
      // Short, but long enough that a live holder's renewal late on a loaded machine keeps it.
      PUBSUB_LEASE_MS: '2500',
    };
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const s of stops.splice(0).reverse()) await s();
    await admin?.quit();
    await emu?.stop();
    await server?.stop();
  });

  async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = budget(0.3)) {
    const until = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function replica() {
    const redis = connectRedis({ url: server.url });
    const sub: RunningSubgraph = await startSubgraph('customer', env, {
      deps: { eventsRedis: redis },
      live: true,
    });
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await sub.stop();
        if (redis.status === 'ready') await redis.quit();
        else redis.disconnect();
      })());
    stops.push(stop);
    // As a killed process: its Redis connection cut first, so it gives its lease nothing back.
    const kill = async () => {
      redis.disconnect();
      await stop();
    };
    return { sub, kill };
  }

  function subscribe(sub: RunningSubgraph) {
    const ids: string[] = [];
    const client = createClient({
      url: sub.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: () => ({
        [PRINCIPAL_HEADER]: signPrincipal(agent, TEST_PRINCIPAL_SECRET, {
          audience: 'customer',
          subscription: true,
        }),
      }),
      retryAttempts: 0,
    });
    clients.push(client);
    client.subscribe<{ citizenUpdated: { citizen: { id: string } } }>(
      { query: 'subscription { citizenUpdated { kind citizen { id } } }' },
      {
        next: (r) => r.data && ids.push(r.data.citizenUpdated.citizen.id),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return ids;
  }

  const citizens = () => emu.emulator.core.world.citizens.map((c) => c.unifiedId);
  const change = async (unifiedId: string) =>
    expect(
      (
        await request(emu.emulator.app)
          .post('/__emulator/datacloud/citizen-change')
          .send({ unifiedId, changeType: 'insight' })
      ).status,
    ).toBe(201);
  const holder = () => admin.get(`lease:{${NAME}}`);
  const checkpoint = () => admin.get(`pubsub:customer:replay:{${NAME}}`);

  test('one replica consumes, both replicas’ subscribers get each change once; the survivor replays after the consumer dies', async () => {
    const a = await replica();
    await waitFor(
      'the lease and a first checkpoint',
      async () => !!(await holder()) && !!(await checkpoint()),
    );
    const b = await replica();
    const consumers = () =>
      [a, b].filter((r) =>
        (r.sub.server as unknown as { citizenEvents: { consuming(): string[] } }).citizenEvents
          .consuming()
          .includes(TOPIC),
      );
    expect(consumers()).toEqual([a]);
    const onA = subscribe(a.sub);
    const onB = subscribe(b.sub);
    // Both subscriptions live: a change for a warm-up citizen, repeated until both saw one.
    const [warm, once, probe, whileDown] = citizens();
    for (let i = 0; i < 20 && !(onA.includes(warm) && onB.includes(warm)); i++) {
      await change(warm);
      await waitFor('the warm-up', () => onA.includes(warm) && onB.includes(warm), 1000).catch(
        () => undefined,
      );
    }
    expect(onA.includes(warm) && onB.includes(warm)).toBe(true);
    // One change, then a probe: once the probe arrived, the change has (in order) — once each.
    await change(once);
    await change(probe);
    await waitFor('the probe', () => onA.includes(probe) && onB.includes(probe));
    expect([onA.filter((id) => id === once), onB.filter((id) => id === once)]).toEqual([
      [once],
      [once],
    ]);
    // The consumer dies (its lease not given back); a change is made while nobody consumes.
    await a.kill();
    await change(whileDown);
    await waitFor('the survivor to replay the change', () => onB.includes(whileDown));
    expect(onB.filter((id) => id === whileDown)).toEqual([whileDown]);
    expect(consumers()).toEqual([b]);
  });
});

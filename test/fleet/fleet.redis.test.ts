// The fleet test suite (issue 24): every scenario on a fleet as deployed — one real redis-server,
// TWO gateways, TWO replicas each of the case and commerce subgraphs behind round-robin TCP
// proxies (WebSocket upgrades pass), on the emulator (test/fleet/fleet-kit.ts). In order:
//   a. a keyed write that commits late: the retry on the OTHER gateway answers
//      IDEMPOTENCY_KEY_IN_USE, then the same result; one record (createCase, addCaseComment,
//      addCartItem, checkout);
//   c. a failed per-event case read (3 × 503) is a coded error event, not a drop;
//   b. the consuming case replica is killed and restarted while the case changes 3 times: every
//      change reaches a subscriber on a gateway exactly once;
//   f. a hung commerce replica (its proxy slot held): partial answers with a typed error within
//      one subgraph timeout, the breaker opens, then no fetch reaches commerce;
//   e. Redis killed: signed-in queries keep answering, /readyz says redis unavailable;
//   d. a gateway with an open subscription shuts down (gracefulShutdown): 1001, drained in time.
// Every wait is on an event or a probe, bounded by the suite's budget; counts from the emulator.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Redis } from 'ioredis';
import { scapiStore } from '../../emulator/scapi/store.js';
import type { CitizenIdentity } from '../../emulator/world.js';
import type { FaultInput } from '../../emulator/core/faults.js';
import {
  AddCartItemDocument,
  AddCaseCommentDocument,
  CheckoutDocument,
  CreateCaseDocument,
  ViewerDocument,
} from '../../gql/graphql.js';
import { connectRedis } from '../../lib/redis/connect.js';
import type { FleetTopicState } from '../../lib/salesforce/pubsub-fleet.js';
import { gracefulShutdown } from '../../lib/http.js';
import { loginAs } from '../client.js';
import { gql } from '../harness.js';
import { liveKit, until, withoutProbes, type Received } from '../live/live-kit.js';
import { integrationToken } from '../support/integration-token.js';
import { HAS_REDIS, startRedisServer } from '../support/redis-server.js';
import { budget } from '../support/budget.js';
import { startFleet, type Fleet, type FleetGateway } from './fleet-kit.js';

const describeRedis = HAS_REDIS ? describe : describe.skip;
const CASE_TOPIC = '/data/CaseChangeEvent';
const SUBSCRIPTION =
  'subscription ($id: ID) { caseUpdated(id: $id) { kind changedFields case { id status } } }';

describeRedis('a fleet: two gateways, two case and two commerce replicas, one Redis', () => {
  let fleet: Fleet;
  let admin: Redis;
  let A: FleetGateway;
  let B: FleetGateway;

  beforeAll(async () => {
    fleet = await startFleet();
    [A, B] = fleet.gateways;
    admin = connectRedis({ url: fleet.redisServer.url });
    // Warm both gateways' paths (tokens, connections to both replicas of each subgraph) so only
    // a held write meets the short Salesforce call timeout.
    for (const g of [A, B]) {
      const headers = await signIn(g, citizen(30));
      for (let i = 0; i < 2; i++) {
        expect((await gql(g.gw, headers, ViewerDocument, {})).body.errors).toBeUndefined();
        const warm = await gql(g.gw, headers, AddCartItemDocument, {
          input: { productId: 'licence-dog-annual', quantity: 1 },
        });
        expect(warm.body.data?.addCartItem.userErrors).toEqual([]);
      }
    }
  }, budget(1));
  afterAll(async () => {
    admin?.disconnect();
    await fleet?.stop();
  }, budget(1));
  afterEach(() => fleet.upstream.emulator.faults.reset());

  const emulator = () => fleet.upstream.emulator;
  const world = () => emulator().core.world;
  const citizen = (i: number) => world().citizens[i];
  const signIn = (g: FleetGateway, c: CitizenIdentity) =>
    loginAs(g.stack, c.username, world().citizenPassword);

  describe('a. a late commit, retried on the other gateway', () => {
    /** Holds the next matching write until `commit()`; `received` resolves once Salesforce has it. */
    function commitLate(input: Omit<FaultInput, 'kind'>) {
      const faults = emulator().faults;
      const rule = faults.add({ kind: 'commit-late', latencyMs: 600_000, count: 1, ...input });
      const received = new Promise<void>((resolve) =>
        faults.on('received', function onReceived(id: string) {
          if (id !== rule.id) return;
          faults.off('received', onReceived);
          resolve();
        }),
      );
      return {
        received,
        commit: () => {
          const committed = new Promise<number>((resolve) =>
            faults.on('committed', function onCommitted(id: string, status: number) {
              if (id !== rule.id) return;
              faults.off('committed', onCommitted);
              resolve(status);
            }),
          );
          expect(faults.commitLateNow(rule.id)).toBe(1);
          return committed;
        },
      };
    }

    type Answer = Awaited<ReturnType<typeof gql>>;
    const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

    /** First attempt on gateway A; every retry on gateway B (and so, often, another replica). */
    async function lateCommitScenario<R, V>(o: {
      headers: Record<string, string>;
      document: TypedDocumentNode<R, V>;
      variables: V;
      fault: Omit<FaultInput, 'kind'>;
      count: () => number;
      resultOf: (data: R) => unknown;
    }) {
      const before = o.count();
      const late = commitLate(o.fault);
      const first = await gql(A.gw, o.headers, o.document, o.variables);
      await late.received;
      expect(codeOf(first)).toBe('UPSTREAM_TIMEOUT');
      expect(o.count()).toBe(before);
      for (const g of [B, A, B]) {
        const retry = await gql(g.gw, o.headers, o.document, o.variables);
        expect(retry.body.errors?.[0]).toMatchObject({
          extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true },
        });
        expect(retry.body.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(o.count()).toBe(before);
      }
      expect([200, 201]).toContain(await late.commit());
      expect(o.count()).toBe(before + 1);
      const after = await gql(B.gw, o.headers, o.document, o.variables);
      expect(after.body.errors).toBeUndefined();
      const again = await gql(A.gw, o.headers, o.document, o.variables);
      expect(again.body.errors).toBeUndefined();
      expect(o.resultOf(again.body.data as R)).toEqual(o.resultOf(after.body.data as R));
      expect(o.count()).toBe(before + 1);
      return after.body.data as R;
    }

    test('createCase: one case', async () => {
      const c = citizen(31);
      const headers = await signIn(A, c);
      const cases = () => emulator().core.sobjects.findBy('Case', 'ContactId', c.contactId).length;
      const input = { subject: 'Streetlight out (fleet)', idempotencyKey: 'fleet-case-0000001' };
      const data = await lateCommitScenario({
        headers,
        document: CreateCaseDocument,
        variables: { input },
        fault: { family: 'crm', method: 'POST', path: '/composite' },
        count: cases,
        resultOf: (d) => d.createCase.case?.id,
      });
      expect(data.createCase).toMatchObject({ case: { subject: input.subject }, userErrors: [] });
    });

    test('addCaseComment: one comment, one request record', async () => {
      const c = citizen(32);
      const headers = await signIn(A, c);
      const made = await gql(A.gw, headers, CreateCaseDocument, {
        input: { subject: 'Pothole', idempotencyKey: 'fleet-comment-case-1' },
      });
      const caseId = made.body.data!.createCase.case!.id;
      const comments = () =>
        emulator().core.sobjects.findBy('CaseComment', 'ParentId', caseId).length;
      const input = { caseId, body: 'Any news?', idempotencyKey: 'fleet-comment-0000001' };
      const data = await lateCommitScenario({
        headers,
        document: AddCaseCommentDocument,
        variables: { input },
        // The first Composite call reads (case, key); the second writes.
        fault: { family: 'crm', method: 'POST', path: '/composite', skip: 1 },
        count: comments,
        resultOf: (d) => d.addCaseComment.comment?.id,
      });
      expect(data.addCaseComment).toMatchObject({ comment: { body: 'Any news?' }, userErrors: [] });
      const requests = [...emulator().core.sobjects.all('Case_Comment_Request__c')].filter(
        (r) => r.Case__c === caseId,
      );
      expect(requests).toHaveLength(1);
    });

    test('addCartItem: the quantity once', async () => {
      const c = citizen(33);
      const headers = await signIn(A, c);
      const store = () => scapiStore(emulator().core);
      const start = await gql(A.gw, headers, AddCartItemDocument, {
        input: { productId: 'licence-dog-annual', quantity: 1 },
      });
      expect(start.body.data?.addCartItem.userErrors).toEqual([]);
      const quantity = () =>
        store()
          .openBasketOf(c.commerceCustomerId)
          ?.items.filter((it) => it.productId === 'fee-parking-annual')
          .reduce((n, it) => n + it.quantity, 0) ?? 0;
      const data = await lateCommitScenario({
        headers,
        document: AddCartItemDocument,
        variables: {
          input: { productId: 'fee-parking-annual', quantity: 1, idempotencyKey: 'fleet-add-001' },
        },
        fault: { family: 'scapi', method: 'POST', path: '/items' },
        count: quantity,
        resultOf: (d) => d.addCartItem.cart?.items.map((i) => [i.product?.id, i.quantity]),
      });
      expect(data.addCartItem.userErrors).toEqual([]);
    });

    test('checkout: one order', async () => {
      const c = citizen(34);
      const headers = await signIn(A, c);
      const added = await gql(A.gw, headers, AddCartItemDocument, {
        input: { productId: 'licence-dog-annual', quantity: 1 },
      });
      expect(added.body.data?.addCartItem.userErrors).toEqual([]);
      const orders = () => scapiStore(emulator().core).ordersOf(c.commerceCustomerId).length;
      const data = await lateCommitScenario({
        headers,
        document: CheckoutDocument,
        variables: {
          input: {
            idempotencyKey: 'fleet-checkout-0001',
            payment: {
              cardType: 'Visa',
              holder: 'Ada Lovelace',
              maskedNumber: '************1111',
              expirationMonth: 12,
              expirationYear: 2030,
            },
          },
        },
        fault: { family: 'scapi', method: 'POST', path: '/orders' },
        count: orders,
        resultOf: (d) => d.checkout.order?.orderNo,
      });
      expect(data.checkout.userErrors).toEqual([]);
    });
  });

  describe('live updates through a gateway', () => {
    const liveA = liveKit(() => A.stack);
    const liveB = liveKit(() => B.stack);
    afterEach(async () => {
      await liveA.closeAll();
      await liveB.closeAll();
    });
    const changes = (results: Received[]) =>
      withoutProbes(results).map((r) => r.data?.caseUpdated.changedFields);

    test('c. a per-event case read failing 3 × 503 is a coded error event, not a drop', async () => {
      const who = await liveA.citizenWithCase(0);
      const sub = liveA.overWs(who.authorization, {
        query: SUBSCRIPTION,
        variables: { id: who.caseId },
      });
      await liveA.probeLive(sub, who.caseId);
      emulator().faults.add({
        kind: 'status',
        family: 'crm',
        status: 503,
        path: '/composite/sobjects/Case',
        count: 3,
      });
      const from = sub.results.length;
      await liveA.crm('PATCH', `/sobjects/Case/${who.caseId}`, { Subject: 'unreadable (fleet)' });
      await until(() => sub.results.length > from, budget(0.3));
      expect(sub.results[from].data?.caseUpdated ?? null).toBeNull();
      expect(sub.results[from].errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
      });
      // The subscription goes on: the next change arrives.
      await liveA.crm('PATCH', `/sobjects/Case/${who.caseId}`, { Origin: 'Phone' });
      await until(() => sub.results.length > from + 1, budget(0.3));
      expect(sub.results[from + 1].data?.caseUpdated.changedFields).toContain('origin');
      expect(sub.errors).toEqual([]);
    });

    test('b. the consuming case replica is killed and restarted while the case changes 3 times: each change reaches the subscriber exactly once', async () => {
      const lease = `lease:{pubsub:${CASE_TOPIC}}`;
      const holder = () => admin.get(lease);
      // Each replica says whether it holds the topic (/readyz) and on /metrics.
      const events = async (i: number) => {
        const body = (await (
          await fetch(`${fleet.replicas.case[i].sub.http.url}/readyz`)
        ).json()) as { events: FleetTopicState[] };
        return body.events.find((t) => t.topic === CASE_TOPIC)!;
      };
      const metric = async (i: number, name: string) => {
        const text = await (await fetch(`${fleet.replicas.case[i].sub.http.url}/metrics`)).text();
        const line = new RegExp(`^${name}\\{[^}]*topic="${CASE_TOPIC}"[^}]*\\} (\\S+)$`, 'm').exec(
          text,
        );
        return line ? Number(line[1]) : undefined;
      };
      const first = await holder();
      expect(first).not.toBeNull();
      const roles = async () => [(await events(0)).role, (await events(1)).role];
      const h = (await roles()).indexOf('holder');
      const f = 1 - h;
      expect(await roles()).toEqual(h === 0 ? ['holder', 'follower'] : ['follower', 'holder']);
      // The subscriber's upstream WebSocket goes to the follower, which stays: the holder's slot
      // out of the rotation while it subscribes.
      fleet.proxies.case.enable(h, false);
      const who = await liveB.citizenWithCase(1);
      const sub = liveB.overWs(who.authorization, {
        query: SUBSCRIPTION,
        variables: { id: who.caseId },
      });
      await liveB.probeLive(sub, who.caseId);
      fleet.proxies.case.enable(h, true);
      expect(await holder()).toBe(first);
      const from = sub.results.length;

      // Visible: the holder has checkpointed; the follower relayed the probe, with its lag.
      const held = await events(h);
      expect(held).toMatchObject({ role: 'holder', checkpoint: { replayId: expect.any(String) } });
      expect(held.checkpoint!.ageMs).toBeGreaterThanOrEqual(0);
      const followed = await events(f);
      expect(followed).toMatchObject({ role: 'follower', checkpoint: null });
      expect(followed.lagMs).toEqual(expect.any(Number));
      expect(await metric(h, 'pubsub_fleet_holder')).toBe(1);
      expect(await metric(f, 'pubsub_fleet_holder')).toBe(0);
      expect(await metric(h, 'pubsub_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(await metric(f, 'pubsub_checkpoint_age_seconds')).toBeUndefined();
      expect(await metric(f, 'pubsub_event_lag_seconds')).toEqual(expect.any(Number));

      await fleet.replicas.case[h].kill();
      const kase = emulator().core.sobjects.get('Case', who.caseId)!;
      await liveB.crm('PATCH', `/sobjects/Case/${who.caseId}`, { Subject: 'fleet change 1' });
      await liveB.crm('PATCH', `/sobjects/Case/${who.caseId}`, {
        Priority: kase.Priority === 'High' ? 'Low' : 'High',
      });
      await liveB.crm('PATCH', `/sobjects/Case/${who.caseId}`, {
        Status: liveB.otherStatus(who.caseId),
      });
      await fleet.restart('case', h);
      await until(() => changes(sub.results.slice(from)).length >= 3, budget(0.4));
      // A last change: a duplicate of the three would come before it (one ordered channel).
      await liveB.crm('PATCH', `/sobjects/Case/${who.caseId}`, {
        Origin: kase.Origin === 'Web' ? 'Phone' : 'Web',
      });
      await until(() => changes(sub.results.slice(from)).length >= 4, budget(0.3));
      expect(changes(sub.results.slice(from))).toEqual([
        ['subject', 'updatedAt'],
        ['priority', 'updatedAt'],
        ['status', 'updatedAt'],
        ['origin', 'updatedAt'],
      ]);
      expect(sub.results.slice(from).filter((r) => r.errors)).toEqual([]);
      expect(sub.errors).toEqual([]);
      const now = await holder();
      expect(now).not.toBeNull();
      expect(now).not.toBe(first);
      // Exactly one of the two replicas says it holds the topic now.
      expect((await roles()).sort()).toEqual(['follower', 'holder']);
    });
  });

  test('f. a hung commerce replica: partial answers with a typed error within one subgraph timeout, the breaker opens, then commerce is not called', async () => {
    const TIMEOUT_MS = 3_000;
    const g = await fleet.gateway(
      { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS), REQUEST_DEADLINE_MS: String(budget(0.3)) },
      // Half the fetches at most reach the hung replica (round robin over connections that the
      // gateway's pool reuses): the line is a quarter of them.
      {
        subgraphBreakers: {
          commerce: { slowCallMs: 300, volumeThreshold: 3, errorThresholdPercentage: 25 },
        },
      },
    );
    const agent = await integrationToken(emulator(), fleet.upstream.url);
    const who = citizen(5);
    const QUERY = `query ($id: ID!) { citizen(id: $id) { id displayName orders(first: 2) { totalCount } } }`;
    interface Answer {
      data?: { citizen: { displayName: string; orders: { totalCount: number } | null } | null };
      errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }>;
    }
    const ask = async (): Promise<Answer> => {
      const res = await fetch(`${g.gw.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${agent}`,
          'x-upstream-cost': '1',
        },
        body: JSON.stringify({ query: QUERY, variables: { id: who.unifiedId } }),
      });
      return (await res.json()) as Answer;
    };
    const open = async () =>
      ((await (await fetch(`${g.gw.url}/readyz`)).json()) as { openCircuits?: object })
        .openCircuits ?? {};
    // Warm: both replicas answer.
    expect((await ask()).errors).toBeUndefined();
    fleet.proxies.commerce.hold(0, true);
    try {
      const answers: Answer[] = [];
      for (let wave = 0; wave < 8 && !('commerce' in (await open())); wave++)
        answers.push(...(await Promise.all(Array.from({ length: 4 }, ask))));
      expect(await open()).toEqual({ commerce: 'open' });
      // Every answer came: the citizen whole, orders either answered or null with a typed error
      // (the subgraph timeout, or the circuit once it opened) — never the whole request failed.
      let timedOut = 0;
      for (const a of answers) {
        expect(a.data?.citizen?.displayName).toEqual(expect.any(String));
        if (a.data?.citizen?.orders) expect(a.errors).toBeUndefined();
        else {
          expect(a.errors).toEqual([
            expect.objectContaining({
              path: ['citizen'],
              extensions: expect.objectContaining({ serviceName: 'commerce' }),
            }),
          ]);
          const code = a.errors![0].extensions!.code;
          expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']).toContain(code);
          if (code === 'UPSTREAM_TIMEOUT') timedOut++;
        }
      }
      expect(timedOut).toBeGreaterThan(0);
      // Open: the next answer is partial at once, and no connection or byte reaches commerce.
      const connections = [0, 1].map((i) => fleet.proxies.commerce.connections(i));
      const held = fleet.proxies.commerce.heldBytes(0);
      const fast = await ask();
      expect(fast.data?.citizen?.orders).toBeNull();
      expect(fast.errors).toEqual([
        expect.objectContaining({
          path: ['citizen'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE', serviceName: 'commerce' },
        }),
      ]);
      expect([0, 1].map((i) => fleet.proxies.commerce.connections(i))).toEqual(connections);
      expect(fleet.proxies.commerce.heldBytes(0)).toBe(held);
      const metrics = await g.gw.gateway.metrics.registry.metrics();
      expect(metrics).toMatch(
        /circuit_breaker_open\{[^}]*family="subgraph"[^}]*target="commerce"[^}]*\} 1/,
      );
    } finally {
      fleet.proxies.commerce.hold(0, false);
      await g.stop();
    }
  });

  test('e. Redis killed: signed-in queries keep answering on both gateways, /readyz says redis unavailable', async () => {
    const c = citizen(21);
    const headers = await signIn(A, c);
    const before = await gql(A.gw, headers, ViewerDocument, {});
    expect(before.body.errors).toBeUndefined();
    expect((await fetch(`${A.gw.url}/readyz`).then((r) => r.json())) as object).toMatchObject({
      status: 'ready',
      redis: 'ready',
    });
    const closed = Promise.all([A, B].map((g) => new Promise((r) => g.redis.once('close', r))));
    await fleet.redisServer.stop();
    await closed;
    for (const g of [A, B, A, B]) {
      const answer = await gql(g.gw, headers, ViewerDocument, {});
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data?.viewer?.citizen?.id).toBe(before.body.data?.viewer?.citizen?.id);
    }
    for (const g of [A, B]) {
      const ready = await fetch(`${g.gw.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', redis: 'unavailable' });
    }
    const kase = await fetch(`${fleet.replicas.case[1].sub.http.url}/readyz`);
    expect(kase.status).toBe(200);
    expect(await kase.json()).toMatchObject({ status: 'degraded', redis: 'unavailable' });

    // Redis back where the clients expect it: every gateway ready again.
    const back = Promise.all([A, B].map((g) => new Promise((r) => g.redis.once('ready', r))));
    fleet.redisServer = await startRedisServer({ port: fleet.redisServer.port });
    await back;
    for (const g of [A, B])
      expect(await fetch(`${g.gw.url}/readyz`).then((r) => r.json())).toMatchObject({
        status: 'ready',
        redis: 'ready',
      });
  });

  test('d. a gateway with an open subscription shuts down: the subscriber gets 1001 and the drain ends before SHUTDOWN_TIMEOUT_MS', async () => {
    const live = liveKit(() => B.stack);
    try {
      const who = await live.citizenWithCase(2);
      let closedWith: number | undefined;
      const client = createWsClient({
        url: `${B.gw.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: who.authorization },
        retryAttempts: 0,
        on: { closed: (e) => (closedWith = (e as { code: number }).code) },
      });
      const sub = { results: [] as Received[] };
      client.subscribe(
        { query: SUBSCRIPTION, variables: { id: who.caseId } },
        { next: (r) => sub.results.push(r as Received), error: () => {}, complete: () => {} },
      );
      await live.probeLive(sub, who.caseId);
      const log: string[] = [];
      const shutdown = gracefulShutdown({
        name: 'gateway',
        server: B.gw.http.server,
        delayMs: 0,
        timeoutMs: budget(0.3),
        goingAway: () => B.closeSubscriptions(),
        log: (l) => log.push(l),
      });
      // 0: everything finished before the timeout (1: something had to be cut).
      expect(await shutdown.begin('SIGTERM')).toBe(0);
      await until(() => closedWith !== undefined, budget(0.2));
      expect(closedWith).toBe(1001);
      expect(log.at(-1)).toBe('gateway: drained, exiting');
      // The other gateway still answers.
      expect((await fetch(`${A.gw.url}/healthz`)).status).toBe(200);
      await client.dispose();
    } finally {
      await live.closeAll();
    }
  });
});

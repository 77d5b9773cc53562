import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { UpstreamError } from '../errors.js';
import {
  attemptOf,
  InMemoryKeyedLock,
  noteWriteSent,
  reconcilable,
  runAttempt,
} from '../keyed-lock.js';
import { RedisKeyedLock } from '../redis/keyed-lock.js';
import { connectRedis, redisErrorCount } from '../redis/connect.js';
import { HAS_REDIS, startRedisServer, type RedisServer } from '../../test/support/redis-server.js';
import { waitFor } from '../../test/support/wait-for.js';

const tick = () => new Promise((r) => setImmediate(r));

test('holders of one key run one at a time, in order; other keys run alongside', async () => {
  const lock = new InMemoryKeyedLock();
  const events: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const work = (key: string, name: string) =>
    lock.run(key, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      events.push(`start ${name}`);
      await tick();
      await tick();
      events.push(`end ${name}`);
      running--;
      return name;
    });
  const results = await Promise.all([work('k', 'a'), work('k', 'b'), work('k', 'c')]);
  expect(results).toEqual(['a', 'b', 'c']);
  expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  expect(maxRunning).toBe(1);

  running = 0;
  maxRunning = 0;
  await Promise.all([work('x', 'x'), work('y', 'y')]);
  expect(maxRunning).toBe(2);
  expect(lock.size).toBe(0);
});

test('a failing holder releases the key for the next one', async () => {
  const lock = new InMemoryKeyedLock();
  const first = lock.run('k', async () => {
    await tick();
    throw new Error('boom');
  });
  const second = lock.run('k', async () => 'ok');
  await expect(first).rejects.toThrow('boom');
  await expect(second).resolves.toBe('ok');
  expect(lock.size).toBe(0);
});

// ---- outcome unknown: a holder that sent a write and got no answer ------------------------------

/** A holder that sends a write and gets no answer (a timeout after the request left). */
const lostWrite = async () => {
  noteWriteSent();
  throw new UpstreamError('crm', 0, undefined, 'crm did not answer within 5000 ms', true);
};

describe('an unknown outcome blocks the key until it is known or the window passes', () => {
  test('the next holder only looks (outcomeUnknown); not found: a retryable IDEMPOTENCY_KEY_IN_USE', async () => {
    let now = 1_000_000;
    const lock = new InMemoryKeyedLock({ unknownOutcomeMs: 60_000, now: () => now });
    await expect(lock.run('k', lostWrite)).rejects.toThrow('did not answer');
    expect(lock.unknownOutcomes).toBe(1);
    const seen: boolean[] = [];
    const retry = () =>
      lock.run('k', async (attempt) => {
        seen.push(attempt.outcomeUnknown);
        if (attempt.outcomeUnknown) throw attempt.inUse();
        return 'written';
      });
    const refused = await retry().catch((e: GraphQLError) => e);
    expect(refused).toBeInstanceOf(GraphQLError);
    expect((refused as GraphQLError).extensions).toEqual({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
      retryAfterSeconds: 5,
    });
    // Still unknown (nothing was found): the marker stays.
    now += 59_999;
    await expect(retry()).rejects.toThrow(/in progress/);
    expect((await retry().catch((e: GraphQLError) => e.extensions)) as object).toMatchObject({
      retryAfterSeconds: 1,
    });
    // The window has passed: the key is free again.
    now += 1;
    await expect(retry()).resolves.toBe('written');
    expect(seen).toEqual([true, true, true, false]);
    expect(lock.unknownOutcomes).toBe(0);
  });

  test('a holder that finds the earlier result makes the outcome known: the marker goes', async () => {
    const lock = new InMemoryKeyedLock({ now: () => 0 });
    await expect(lock.run('k', lostWrite)).rejects.toThrow();
    await expect(
      lock.run('k', async (a) => (a.outcomeUnknown ? 'found it' : 'wrote again')),
    ).resolves.toBe('found it');
    await expect(
      lock.run('k', async (a) => (a.outcomeUnknown ? 'found it' : 'normal')),
    ).resolves.toBe('normal');
  });

  test('known failures leave no marker: an answer (503), or no answer before any write was sent', async () => {
    const lock = new InMemoryKeyedLock();
    await expect(
      lock.run('a', async () => {
        noteWriteSent();
        throw new UpstreamError('crm', 503, 'SERVER_UNAVAILABLE', 'crm answered 503');
      }),
    ).rejects.toThrow('503');
    await expect(
      lock.run('b', async () => {
        // A read that timed out: nothing was sent that could commit.
        throw new UpstreamError('crm', 0, undefined, 'crm did not answer', true);
      }),
    ).rejects.toThrow();
    expect(lock.unknownOutcomes).toBe(0);
    await expect(lock.run('a', async (x) => x.outcomeUnknown)).resolves.toBe(false);
    await expect(lock.run('b', async (x) => x.outcomeUnknown)).resolves.toBe(false);
  });

  test('a write noted outside any holder marks nothing', () => {
    expect(() => noteWriteSent()).not.toThrow();
  });
});

// ---- on Redis: the lock and the marker shared by replicas; Redis down fails closed at once --------

(HAS_REDIS ? describe : describe.skip)('on Redis', () => {
  let server: RedisServer;
  let a: Redis;
  let b: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    a = connectRedis({ url: server.url });
    b = connectRedis({ url: server.url });
  });
  afterAll(async () => {
    await a?.quit();
    await b?.quit();
    await server?.stop();
  });

  test('an unknown outcome on one replica blocks the key on the other until found', async () => {
    const one = new RedisKeyedLock(a);
    const two = new RedisKeyedLock(b);
    await expect(one.run('shared-k', lostWrite)).rejects.toThrow();
    const pttl = await b.pttl('unknown:{shared-k}');
    expect(pttl).toBeGreaterThan(55_000);
    const refused = await two
      .run('shared-k', async (x) => {
        if (x.outcomeUnknown) throw x.inUse();
        return 'wrote';
      })
      .catch((e: GraphQLError) => e.extensions.code);
    expect(refused).toBe('IDEMPOTENCY_KEY_IN_USE');
    await expect(
      two.run('shared-k', async (x) => (x.outcomeUnknown ? 'found' : 'wrote')),
    ).resolves.toBe('found');
    expect(await b.exists('unknown:{shared-k}')).toBe(0);
    await expect(one.run('shared-k', async (x) => x.outcomeUnknown)).resolves.toBe(false);
  });

  test('a holder in flight on one replica: the other waits for it, bounded, then IDEMPOTENCY_KEY_IN_USE', async () => {
    const one = new RedisKeyedLock(a);
    const two = new RedisKeyedLock(b, { maxWaitMs: 50 });
    let release!: () => void;
    const holding = one.run('busy-k', () => new Promise<string>((r) => (release = () => r('one'))));
    // Wait until the first holds the lock.
    while (!(await b.exists('lock:{busy-k}'))) await new Promise((r) => setImmediate(r));
    const code = await two
      .run('busy-k', async () => 'two')
      .catch((e: GraphQLError) => e.extensions.code);
    expect(code).toBe('IDEMPOTENCY_KEY_IN_USE');
    release();
    await expect(holding).resolves.toBe('one');
  });

  test('Redis unreachable: fails closed at once with the retryable code, fn never runs', async () => {
    const own = await startRedisServer();
    const client = connectRedis({ url: own.url, commandTimeoutMs: 200 });
    await client.ping();
    await own.stop();
    // The connection has seen the server go.
    await waitFor(() => client.status !== 'ready', { what: 'the client to see the server go' });
    const lock = new RedisKeyedLock(client);
    let ran = false;
    const started = Date.now();
    const err = await lock
      .run('down-k', async () => {
        ran = true;
        return 'x';
      })
      .catch((e: GraphQLError) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ran).toBe(false);
    expect((err as GraphQLError).extensions).toMatchObject({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
    });
    expect(await redisErrorCount('lock')).toBeGreaterThan(0);
    client.disconnect();
  });
});

// ---- which upstream calls leave an unknown outcome (lib/upstream-http.ts) ----------------------

test('through callUpstream: a JSON write with no answer marks the key; a read or a token request does not', async () => {
  const { callUpstream } = await import('../upstream-http.js');
  const { Breakers } = await import('../resilience.js');
  // Every call times out after it was sent.
  const timesOut = (async () => {
    const e = new Error('The operation was aborted due to timeout');
    e.name = 'TimeoutError';
    throw e;
  }) as unknown as typeof fetch;
  const transport = { fetch: timesOut, breakers: new Breakers() };
  const call = (method: string, body: { json?: unknown; form?: Record<string, string> }) =>
    callUpstream(
      { family: 'scapi', method, url: 'http://127.0.0.1:9/x', timeoutMs: 50, ...body },
      transport,
    );
  const lock = new InMemoryKeyedLock();
  const outcomeAfter = async (key: string, send: () => Promise<unknown>) => {
    await expect(lock.run(key, send)).rejects.toMatchObject({ status: 0, timedOut: true });
    return lock.run(key, async (a) => a.outcomeUnknown);
  };
  expect(await outcomeAfter('write', () => call('POST', { json: { quantity: 1 } }))).toBe(true);
  expect(await outcomeAfter('read', () => call('GET', {}))).toBe(false);
  expect(
    await outcomeAfter('token', () => call('POST', { form: { grant_type: 'refresh_token' } })),
  ).toBe(false);
  expect(
    await outcomeAfter('squared', () => reconcilable(() => call('PATCH', { json: { c_x: 'y' } }))),
  ).toBe(false);
  // The breakers' rolling windows run timers.
  transport.breakers.reset();
});

// ---- edges npm run mutate found unpinned (npx stryker run --mutate lib/keyed-lock.ts) -----------

describe('edges of the in-memory lock', () => {
  test('the key stays held while a holder queued behind the first still runs', async () => {
    const lock = new InMemoryKeyedLock();
    let releaseSecond!: () => void;
    const secondRunning = new Promise<void>((r) => (releaseSecond = r));
    const order: string[] = [];
    const first = lock.run('k', async () => void order.push('first'));
    const second = lock.run('k', async () => {
      order.push('second start');
      await secondRunning;
      order.push('second end');
    });
    await first;
    await tick();
    // The first is done, the second runs: a third must still wait for it.
    expect(lock.size).toBe(1);
    const third = lock.run('k', async () => void order.push('third'));
    await tick();
    releaseSecond();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second start', 'second end', 'third']);
    expect(lock.size).toBe(0);
  });

  test('a fresh key: outcome known, and inUse() still says to retry in 1 s', async () => {
    const lock = new InMemoryKeyedLock({ now: () => 0 });
    const attempt = await lock.run('fresh', async (a) => a);
    expect(attempt.outcomeUnknown).toBe(false);
    expect((attempt.inUse() as GraphQLError).extensions).toEqual({
      code: 'IDEMPOTENCY_KEY_IN_USE',
      retryable: true,
      retryAfterSeconds: 1,
    });
  });

  test('a marker whose window ends exactly now is gone, even when the holder after it fails with a known error', async () => {
    let now = 0;
    const lock = new InMemoryKeyedLock({ unknownOutcomeMs: 1_000, now: () => now });
    await expect(lock.run('k', lostWrite)).rejects.toThrow();
    expect(lock.unknownOutcomes).toBe(1);
    now = 1_000; // the window's last instant has passed
    const known = new UpstreamError('crm', 503, 'SERVER_UNAVAILABLE', 'crm answered 503');
    await expect(
      lock.run('k', async (a) => {
        expect(a.outcomeUnknown).toBe(false);
        throw known;
      }),
    ).rejects.toBe(known);
    expect(lock.unknownOutcomes).toBe(0);
  });

  test('expired markers of other keys are swept only once 10,000 are kept: those whose window has ended, not the others', async () => {
    let now = 0;
    const lock = new InMemoryKeyedLock({ unknownOutcomeMs: 1_000, now: () => now });
    await expect(lock.run('old', lostWrite)).rejects.toThrow();
    now = 5_000;
    // Below the bound: an expired marker of a key nobody retried is not swept.
    await expect(lock.run('new', lostWrite)).rejects.toThrow();
    expect(lock.unknownOutcomes).toBe(2);
    for (let i = 0; i < 9_997; i++) await lock.run(`k${i}`, lostWrite).catch(() => undefined);
    now = 5_500;
    await expect(lock.run('recent', lostWrite)).rejects.toThrow();
    expect(lock.unknownOutcomes).toBe(10_000);
    // At 6 000 every window but `recent`'s has ended (those of 5 000 end exactly now).
    now = 6_000;
    await expect(lock.run('last', lostWrite)).rejects.toThrow();
    expect(lock.unknownOutcomes).toBe(2);
    await expect(lock.run('recent', async (a) => a.outcomeUnknown)).resolves.toBe(true);
  });
});

test('runAttempt tells a known failure (unknown: false) from one after a lost write (unknown: true)', async () => {
  const attempt = attemptOf(false);
  const boom = new UpstreamError('crm', 0, undefined, 'crm did not answer', true);
  expect(
    await runAttempt(async () => {
      throw boom;
    }, attempt),
  ).toEqual({ ok: false, error: boom, unknown: false });
  expect(
    await runAttempt(async () => {
      noteWriteSent();
      throw boom;
    }, attempt),
  ).toEqual({ ok: false, error: boom, unknown: true });
  expect(await runAttempt(async () => 7, attempt)).toEqual({ ok: true, value: 7 });
});

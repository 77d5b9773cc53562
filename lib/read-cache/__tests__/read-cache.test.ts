// ReadCache on its own (in memory, an injected clock, a fake `send`): TTLs per kind, tags and
// invalidation (a read racing an invalidation is never kept valid), writes invalidating what they
// touch, and the API floor: stale served past the TTL, a miss refused with RATE_LIMITED.
import { UpstreamError } from '../../errors.js';
import { UpstreamCost } from '../../upstream-cost.js';
import type { ReadCacheConfig } from '../config.js';
import { createReadCache, MAX_TAGS, sfIdTags } from '../read-cache.js';

const CONFIG: ReadCacheConfig = {
  mode: 'memory',
  maxEntries: 100,
  ttlMs: { crm: 1_000, identity: 10_000, insights: 500, segments: 500, basket: 300, product: 0 },
  staleMaxMs: 60_000,
  apiFloor: 0.1,
};

function setup(config = CONFIG) {
  let now = 1_000_000;
  const cache = createReadCache(config, undefined, () => now);
  let sent = 0;
  let limit = 'api-usage=10/1000';
  let answer: unknown = { records: [{ Id: '500000000000001AAA', ContactId: '003000000000001' }] };
  const send = async () => {
    sent++;
    return {
      status: 200,
      headers: { get: (h: string) => (h === 'sforce-limit-info' ? limit : null) },
      body: answer,
    };
  };
  const read = (url = 'https://x/query?q=1', cost?: UpstreamCost) =>
    cache.through(
      'crm',
      { method: 'GET', url, cache: { read: 'crm', tagsOf: (b) => sfIdTags(JSON.stringify(b)) } },
      cost,
      send,
    );
  return {
    cache,
    read,
    send,
    sent: () => sent,
    advance: (ms: number) => (now += ms),
    setLimit: (l: string) => (limit = l),
    setAnswer: (a: unknown) => (answer = a),
  };
}

test('a repeated read is answered from the cache until its TTL, then sent again', async () => {
  const t = setup();
  await t.read();
  const cost = new UpstreamCost();
  const again = await t.read(undefined, cost);
  expect(t.sent()).toBe(1);
  expect(again.body).toEqual({
    records: [{ Id: '500000000000001AAA', ContactId: '003000000000001' }],
  });
  expect(cost.report()).toEqual({ crm: { calls: 0, ms: 0, cacheHits: 1 } });
  t.advance(1_000);
  await t.read();
  expect(t.sent()).toBe(2);
});

test('answers are copies: a caller changing one never changes the cache', async () => {
  const t = setup();
  const first = await t.read();
  (first.body as { records: unknown[] }).records.length = 0;
  const second = await t.read();
  expect((second.body as { records: unknown[] }).records).toHaveLength(1);
});

test('invalidating a tag of the answer (a case, its contact) drops it; other tags do not', async () => {
  const t = setup();
  await t.read();
  await t.cache.invalidate(['case:500000000000002'], 'event');
  await t.read();
  expect(t.sent()).toBe(1);
  await t.cache.invalidate(['contact:003000000000001'], 'event');
  await t.read();
  expect(t.sent()).toBe(2);
  await t.cache.invalidate(['case:500000000000001'], 'event');
  await t.read();
  expect(t.sent()).toBe(3);
  await t.cache.invalidate(['type:crm'], 'gap');
  await t.read();
  expect(t.sent()).toBe(4);
});

test('a read that raced an invalidation (sent before, answered after) is not served', async () => {
  const t = setup();
  let release!: () => void;
  const slow = t.cache.through(
    'crm',
    { method: 'GET', url: 'https://x/q', cache: { read: 'crm', tags: ['case:500000000000001'] } },
    undefined,
    async () => {
      await new Promise<void>((r) => (release = r));
      return t.send();
    },
  );
  await new Promise((r) => setImmediate(r));
  await t.cache.invalidate(['case:500000000000001'], 'write');
  release();
  await slow;
  await t.cache.through(
    'crm',
    { method: 'GET', url: 'https://x/q', cache: { read: 'crm', tags: ['case:500000000000001'] } },
    undefined,
    t.send,
  );
  expect(t.sent()).toBe(2);
});

test('a write invalidates the records it names once it answered, even when it failed', async () => {
  const t = setup();
  await t.read();
  await t.cache.through(
    'crm',
    {
      method: 'PATCH',
      url: 'https://x/sobjects/Case/500000000000001AAA',
      cache: { write: () => ['case:500000000000001'] },
    },
    undefined,
    t.send,
  );
  await t.read();
  expect(t.sent()).toBe(3);
  await expect(
    t.cache.through(
      'crm',
      { method: 'POST', url: 'https://x/c', cache: { write: () => ['contact:003000000000001'] } },
      undefined,
      async () => {
        throw new UpstreamError('crm', 0, undefined, 'no answer');
      },
    ),
  ).rejects.toThrow('no answer');
  await t.read();
  expect(t.sent()).toBe(4);
});

test('a kind with TTL 0 is never kept', async () => {
  const t = setup();
  const product = () =>
    t.cache.through(
      'scapi',
      { method: 'GET', url: 'https://x/products', cache: { read: 'product' } },
      undefined,
      t.send,
    );
  await product();
  await product();
  expect(t.sent()).toBe(2);
});

test('below the API floor: past its TTL an entry is served stale; a miss is refused with RATE_LIMITED, no call', async () => {
  const t = setup();
  await t.read();
  t.setLimit('api-usage=950/1000');
  await t.read('https://x/other'); // an answer reporting 95 % spent (floor 10 %)
  expect(t.cache.lowOnApi('crm')).toBe(true);
  t.advance(5_000);
  const cost = new UpstreamCost();
  const stale = await t.read(undefined, cost);
  expect(stale.status).toBe(200);
  expect(cost.report()).toEqual({ crm: { calls: 0, ms: 0, cacheHits: 1, staleReads: 1 } });
  expect(cost.staleReads()).toEqual({ crm: 1 });
  const sent = t.sent();
  const refused = await t.read('https://x/never-read').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(UpstreamError);
  expect((refused as UpstreamError).code).toBe('RATE_LIMITED');
  expect(t.sent()).toBe(sent);
  // An invalidated entry is never served, not even stale.
  await t.cache.invalidate(['case:500000000000001'], 'event');
  await expect(t.read()).rejects.toThrow(UpstreamError);
  // Believed for 30 s without news: then a miss is sent again, and its answer says the org's
  // allowance was reset.
  t.advance(30_000);
  t.setLimit('api-usage=1/1000');
  await t.read('https://x/never-read');
  expect(t.cache.lowOnApi('crm')).toBe(false);
});

test('off: every read is sent', async () => {
  const t = setup({ ...CONFIG, mode: 'off' });
  await t.read();
  await t.read();
  expect(t.sent()).toBe(2);
  expect(t.cache.enabled).toBe(false);
});

// The key decides who may be answered from an entry: every part of the request that changes
// Salesforce's answer is in it.
describe('the key', () => {
  const through = (
    t: ReturnType<typeof setup>,
    req: { method?: string; url?: string; json?: unknown; scope?: string },
  ) =>
    t.cache.through(
      'scapi',
      {
        method: req.method ?? 'POST',
        url: req.url ?? 'https://x/query',
        json: req.json,
        cache: { read: 'basket', scope: req.scope },
      },
      undefined,
      t.send,
    );

  test('two bodies to one URL (two queries) are two entries', async () => {
    const t = setup();
    await through(t, { json: { sql: 'A' } });
    await through(t, { json: { sql: 'B' } });
    expect(t.sent()).toBe(2);
    await through(t, { json: { sql: 'A' } });
    expect(t.sent()).toBe(2);
  });

  test('two shoppers (scopes) asking the same URL are two entries', async () => {
    const t = setup();
    await through(t, { scope: 'shopper-a' });
    await through(t, { scope: 'shopper-b' });
    await through(t, { scope: undefined });
    expect(t.sent()).toBe(3);
    await through(t, { scope: 'shopper-a' });
    expect(t.sent()).toBe(3);
  });

  test('the family, the method and the URL are each in it', async () => {
    const t = setup();
    await through(t, {});
    await through(t, { method: 'GET' });
    await through(t, { url: 'https://x/query?page=2' });
    await t.cache.through(
      'datacloud',
      { method: 'POST', url: 'https://x/query', cache: { read: 'basket' } },
      undefined,
      t.send,
    );
    expect(t.sent()).toBe(4);
  });
});

test('only a 2xx answer the hint agrees to keep is kept', async () => {
  const t = setup();
  const ask = (status: number, keep?: (b: unknown) => boolean) =>
    t.cache.through(
      'crm',
      {
        method: 'GET',
        url: `https://x/${status}/${keep ? 'k' : ''}`,
        cache: { read: 'crm', keep },
      },
      undefined,
      async () => ({ ...(await t.send()), status }),
    );
  for (const status of [199, 300, 404]) {
    await ask(status);
    await ask(status);
  }
  expect(t.sent()).toBe(6);
  await ask(200, () => false);
  await ask(200, () => false);
  expect(t.sent()).toBe(8);
  await ask(299);
  await ask(299);
  expect(t.sent()).toBe(9);
});

test('the hint’s own tags and the answer’s tags both invalidate the entry', async () => {
  const t = setup();
  const read = () =>
    t.cache.through(
      'crm',
      { method: 'GET', url: 'https://x/q', cache: { read: 'crm', tags: ['individual:u1'] } },
      undefined,
      t.send,
    );
  await read();
  await read();
  expect(t.sent()).toBe(1);
  await t.cache.invalidate(['individual:u1'], 'datacloud');
  await read();
  expect(t.sent()).toBe(2);
  await t.cache.invalidate(['', 'individual:other'], 'datacloud');
  await read();
  expect(t.sent()).toBe(2);
});

test('an answer naming more records than an entry may carry is not kept', async () => {
  const t = setup();
  const many = (n: number) => ({
    records: Array.from({ length: n }, (_, i) => ({ Id: `500${String(i).padStart(12, '0')}` })),
  });
  t.setAnswer(many(MAX_TAGS - 1)); // + type:crm = MAX_TAGS tags: kept
  await t.read('https://x/at-limit');
  await t.read('https://x/at-limit');
  expect(t.sent()).toBe(1);
  t.setAnswer(many(MAX_TAGS)); // one tag over
  await t.read('https://x/over');
  await t.read('https://x/over');
  expect(t.sent()).toBe(3);
});

test('the API floor: exactly at the floor is not low; a limit error from Salesforce is', async () => {
  const t = setup();
  t.setLimit('api-usage=900/1000'); // 10 % left, the floor is 10 %
  await t.read();
  expect(t.cache.lowOnApi('crm')).toBe(false);
  t.setLimit('api-usage=901/1000');
  await t.read('https://x/next');
  expect(t.cache.lowOnApi('crm')).toBe(true);
  t.advance(29_999);
  expect(t.cache.lowOnApi('crm')).toBe(true);
  t.advance(1);
  expect(t.cache.lowOnApi('crm')).toBe(false);
  expect(t.cache.lowOnApi('scapi')).toBe(false);
  await expect(
    t.cache.through('scapi', { method: 'GET', url: 'https://x/p' }, undefined, async () => {
      throw new UpstreamError('scapi', 403, 'REQUEST_LIMIT_EXCEEDED', 'over');
    }),
  ).rejects.toThrow('over');
  expect(t.cache.lowOnApi('scapi')).toBe(true);
  const off = setup({ ...CONFIG, apiFloor: 0 });
  off.setLimit('api-usage=1000/1000');
  await off.read();
  expect(off.cache.lowOnApi('crm')).toBe(false);
});

test('stale is served up to staleMaxMs past the TTL and no further', async () => {
  const t = setup({ ...CONFIG, staleMaxMs: 2_000 });
  await t.read();
  t.setLimit('api-usage=999/1000');
  await t.read('https://x/low');
  t.advance(999);
  const fresh = new UpstreamCost();
  await t.read(undefined, fresh);
  expect(fresh.staleReads()).toBeUndefined();
  expect(fresh.report()).toEqual({ crm: { calls: 0, ms: 0, cacheHits: 1 } });
  t.advance(1); // age 1 000 = the TTL: stale from here
  const stale = new UpstreamCost();
  await t.read(undefined, stale);
  expect(stale.staleReads()).toEqual({ crm: 1 });
  t.advance(1_999); // age 2 999 < TTL + staleMaxMs
  await t.read();
  t.advance(1); // age 3 000: no longer served
  await expect(t.read()).rejects.toThrow(UpstreamError);
});

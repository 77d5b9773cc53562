// lib/salesforce without an upstream: SOQL literal text, the single-flight token, and the
// re-authenticate-once rule (the CRM emulator round-trips are in subgraphs/case/__tests__/client.test.ts).
import { UpstreamError } from '../../errors.js';
import { withReauth } from '../reauth.js';
import { soqlList, soqlString } from '../soql.js';
import { KeyedTokenCache, SingleFlightToken, TOKEN_REFRESH_SKEW_MS } from '../token-cache.js';

describe('soqlString', () => {
  test('escapes quotes, backslashes and control characters; unicode stands for itself', () => {
    expect(soqlString("O'Brien")).toBe("'O\\'Brien'");
    expect(soqlString('say "hi"')).toBe('\'say \\"hi\\"\'');
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
    expect(soqlString("\\'")).toBe("'\\\\\\''");
    expect(soqlString('l1\nl2\r\tend')).toBe("'l1\\nl2\\r\\tend'");
    expect(soqlString('\b\f')).toBe("'\\b\\f'");
    expect(soqlString('Zoë 東京 🙂')).toBe("'Zoë 東京 🙂'");
    expect(soqlList(["a'", 'b'])).toBe("('a\\'','b')");
  });
});

describe('SingleFlightToken', () => {
  test('one fetch for concurrent callers, reused until it expires, refetched when refused', async () => {
    let now = 1_000;
    let fetches = 0;
    const cache = new SingleFlightToken(
      async () => ({ v: ++fetches, expiresAt: now + TOKEN_REFRESH_SKEW_MS + 100 }),
      () => now,
    );
    const got = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(got.map((t) => t.v)).toEqual([1, 1, 1]);
    cache.invalidate((t) => t.v === 99);
    expect((await cache.get()).v).toBe(1);
    cache.invalidate((t) => t.v === 1);
    expect((await cache.get()).v).toBe(2);
    now += 100;
    expect((await cache.get()).v).toBe(3);
  });
});

describe('KeyedTokenCache', () => {
  interface Tok {
    key: string;
    v: number;
    expiresAt: number;
    previous?: number;
  }
  const setup = () => {
    const clock = { now: 1_000_000 };
    const fetched: string[] = [];
    let v = 0;
    const cache = new KeyedTokenCache<Tok, number>({
      fetchToken: async (lifetimeMs, previous, key) => {
        fetched.push(key);
        return { key, v: ++v, expiresAt: clock.now + lifetimeMs, previous: previous?.v };
      },
      now: () => clock.now,
      max: 2,
    });
    return { clock, fetched, cache };
  };

  test('one fetch per key for concurrent callers; two keys never share a token', async () => {
    const { fetched, cache } = setup();
    const [a1, a2, b] = await Promise.all([
      cache.get('a', 600_000),
      cache.get('a', 600_000),
      cache.get('b', 600_000),
    ]);
    expect([a1.v, a2.v, b.v]).toEqual([1, 1, 2]);
    expect([a1.key, b.key]).toEqual(['a', 'b']);
    expect(fetched).toEqual(['a', 'b']);
  });

  test('renewed exactly TOKEN_REFRESH_SKEW_MS before the stated expiry', async () => {
    const { clock, fetched, cache } = setup();
    await cache.get('a', 600_000);
    clock.now += 600_000 - TOKEN_REFRESH_SKEW_MS - 1;
    expect((await cache.get('a', 600_000)).v).toBe(1);
    clock.now += 1;
    const renewed = await cache.get('a', 600_000);
    expect([renewed.v, renewed.previous]).toEqual([2, 1]);
    expect(fetched).toEqual(['a', 'a']);
  });

  test('a refused token is renewed with its entry at hand; a newer one is kept', async () => {
    const { cache } = setup();
    await cache.get('a', 600_000);
    cache.invalidate('a', (t) => t.v === 99);
    expect((await cache.get('a', 600_000)).v).toBe(1);
    cache.invalidate('a', (t) => t.v === 1);
    expect(await cache.get('a', 600_000)).toMatchObject({ v: 2, previous: 1 });
    expect(cache.size).toBe(1);
  });

  test('a token living less than the skew is fetched again on each call', async () => {
    const { cache } = setup();
    await cache.get('a', TOKEN_REFRESH_SKEW_MS);
    expect((await cache.get('a', TOKEN_REFRESH_SKEW_MS)).v).toBe(2);
  });
});

describe('withReauth', () => {
  const unauthorized = () => new UpstreamError('crm', 401, 'INVALID_SESSION_ID', 'expired');

  test('a refused token is dropped and the call sent once more with a new one', async () => {
    const seen: string[] = [];
    const dropped: string[] = [];
    let n = 0;
    const result = await withReauth(
      { token: async () => `t${++n}`, invalidate: (t) => dropped.push(t) },
      async (t) => {
        seen.push(t);
        if (t === 't1') throw unauthorized();
        return 'ok';
      },
    );
    expect({ result, seen, dropped }).toEqual({
      result: 'ok',
      seen: ['t1', 't2'],
      dropped: ['t1'],
    });
  });

  test('exactly once: a second 401 is the answer', async () => {
    let calls = 0;
    let n = 0;
    const err = await withReauth(
      { token: async () => `t${++n}`, invalidate: () => undefined },
      async () => {
        calls++;
        throw unauthorized();
      },
    ).catch((e: unknown) => e);
    expect([calls, n, (err as UpstreamError).status]).toEqual([2, 2, 401]);
  });

  test('other failures are not retried, and the token is kept', async () => {
    let invalidated = 0;
    let calls = 0;
    const boom = new UpstreamError('crm', 400, 'MALFORMED_QUERY', 'bad');
    await expect(
      withReauth({ token: async () => 't', invalidate: () => invalidated++ }, async () => {
        calls++;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect([calls, invalidated]).toEqual([1, 0]);
  });
});

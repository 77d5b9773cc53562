// lib/salesforce without an upstream: SOQL literal text, the single-flight token, and the
// re-authenticate-once rule (the CRM emulator round-trips are in subgraphs/case/__tests__/client.test.ts).
import { UpstreamError } from '../../errors.js';
import { withReauth } from '../reauth.js';
import { soqlList, soqlString } from '../soql.js';
import { SingleFlightToken } from '../token-cache.js';

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
      async () => ({ v: ++fetches, expiresAt: now + 100 }),
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

// DataCloudGate alone, on a clock the test moves: the bound on calls in progress, and an API
// closed after its 429 for max(Retry-After, cooldown), the other API still open.
import { ErrorCode, UpstreamError } from '../../../lib/errors.js';
import { DataCloudGate } from '../data-cloud-gate.js';

const throttled = (retryAfterSeconds?: number) =>
  new UpstreamError('datacloud', 429, 'REQUEST_LIMIT_EXCEEDED', '429', false, retryAfterSeconds);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('DataCloudGate', () => {
  it('lets at most maxConcurrency calls run; the others wait their turn', async () => {
    const gate = new DataCloudGate(2, 1000);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const calls = gates.map((g, i) =>
      gate.run(i % 2 ? 'query' : 'dataGraph', async () => {
        most = Math.max(most, ++running);
        await g.promise;
        running--;
        return i;
      }),
    );
    await Promise.resolve();
    expect([gate.active, gate.waiting]).toEqual([2, 1]);
    gates.forEach((g) => g.resolve());
    expect(await Promise.all(calls)).toEqual([0, 1, 2]);
    expect(most).toBe(2);
  });

  it('closes an API after a 429 for its Retry-After, refusing without calling; the other API stays open', async () => {
    let now = 1_000_000;
    const gate = new DataCloudGate(5, 1000, () => now);
    await expect(gate.run('dataGraph', () => Promise.reject(throttled(30)))).rejects.toMatchObject({
      status: 429,
    });
    const call = jest.fn(async () => 'sent');
    const refused = await gate.run('dataGraph', call).catch((e: UpstreamError) => e);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect((refused as UpstreamError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((refused as UpstreamError).retryAfterSeconds).toBe(30);
    expect(call).not.toHaveBeenCalled();
    expect(await gate.run('query', call)).toBe('sent');
    now += 29_999;
    await expect(gate.run('dataGraph', call)).rejects.toMatchObject({ status: 429 });
    now += 1;
    expect(await gate.run('dataGraph', call)).toBe('sent');
  });

  it('without Retry-After, closes for the cooldown; a call waiting for a slot when it closes is refused too', async () => {
    let now = 0;
    const gate = new DataCloudGate(1, 5000, () => now);
    const first = deferred();
    const failing = gate.run('query', async () => {
      await first.promise;
      throw throttled();
    });
    const call = jest.fn(async () => 'sent');
    const queued = gate.run('query', call);
    first.resolve();
    await expect(failing).rejects.toMatchObject({ status: 429 });
    await expect(queued).rejects.toMatchObject({ status: 429, upstreamCode: 'LIMITED_HERE' });
    expect(call).not.toHaveBeenCalled();
    now = 5000;
    expect(await gate.run('query', call)).toBe('sent');
  });

  it('other failures do not close anything', async () => {
    const gate = new DataCloudGate(1, 5000);
    const err = new UpstreamError('datacloud', 503, 'SERVER_UNAVAILABLE', '503');
    await expect(gate.run('query', () => Promise.reject(err))).rejects.toBe(err);
    expect(gate.closedUntilOf('query')).toBe(0);
  });
});

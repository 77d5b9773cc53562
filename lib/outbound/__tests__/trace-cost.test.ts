import { cost } from '../cost.js';
import { trace } from '../trace.js';
import { compose } from '../pipeline.js';
import { UpstreamCost } from '../../upstream-cost.js';
import type { UpstreamCall, UpstreamObserver } from '../../observability/upstream-observer.js';
import { UpstreamError } from '../../errors.js';
import { answer, call, scripted } from './support.js';

test('every attempt that reached the transport is metered: status, code, retry, 0 for none', async () => {
  const seen: UpstreamCall[] = [];
  const meter = new UpstreamCost({
    call: (c: UpstreamCall) => seen.push(c),
    apiUsage: () => undefined,
  } as unknown as UpstreamObserver);
  const codeOf = async () => 'NOT_FOUND';
  const send = compose(
    [trace({ endpoint: '/x', codeOf }), cost(meter, { endpoint: '/x', codeOf })],
    scripted(
      async () => answer(404),
      UpstreamError.unreachable('crm', 'refused'),
      async () => answer(200),
    ),
  );
  const statuses: number[] = [];
  for (const retry of [false, true, true])
    statuses.push(
      await send(call({ retry })).then(
        (r) => r.status,
        () => 0,
      ),
    );
  expect(statuses).toEqual([404, 0, 200]);
  expect(meter.calls()).toEqual({ crm: 3 });
  expect(seen.map((c) => [c.status, c.upstreamCode, c.retry])).toEqual([
    [404, 'NOT_FOUND', false],
    [0, undefined, true],
    [200, undefined, true],
  ]);
});

test('no meter, no cost stage', () => {
  expect(cost(undefined, { endpoint: '/x' })).toBeUndefined();
});

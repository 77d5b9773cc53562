import { breaker } from '../breaker.js';
import { Breakers } from '../../resilience.js';
import { UpstreamError } from '../../errors.js';
import { call, scripted } from './support.js';

const options = {
  rollingCountTimeout: 10_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 2,
  resetTimeout: 60_000,
};

test('failures of one target open its circuit: CIRCUIT_OPEN, not sent; other targets unaffected', async () => {
  const breakers = new Breakers(options);
  const down = () => UpstreamError.unreachable('crm', 'refused');
  const send = scripted(down(), down());
  const stage = breaker(breakers)(send);
  for (let i = 0; i < 2; i++) await stage(call()).catch(() => undefined);
  const fast = await stage(call()).catch((e: unknown) => e);
  expect(fast).toMatchObject({ upstreamCode: 'CIRCUIT_OPEN', code: 'UPSTREAM_UNAVAILABLE' });
  expect(send.calls).toHaveLength(2);
  expect(breakers.notClosed()).toEqual({ 'crm http://upstream.test': 'open' });
  expect((await stage(call({ key: 'http://other.test' }))).status).toBe(200);
});

test('a subgraph target takes the subgraph defaults and its own overrides, listed by name', async () => {
  const breakers = new Breakers();
  breakers.configureTarget('subgraph', 'case', { volumeThreshold: 1 });
  const states: string[] = [];
  breakers.observe((family, key, state) => states.push(`${family} ${key} ${state}`));
  const send = scripted(UpstreamError.answered('subgraph', 502, 'bad gateway'));
  const stage = breaker(breakers)(send);
  await stage(call({ target: 'subgraph', key: 'case' })).catch(() => undefined);
  expect(breakers.state('subgraph', 'case')).toBe('open');
  expect(breakers.notClosed('subgraph')).toEqual({ case: 'open' });
  expect(states).toEqual(['subgraph case open']);
  breakers.reset();
});

test('cut-offs of ours and 4xx answers do not count against the target', async () => {
  const breakers = new Breakers({ ...options, volumeThreshold: 1 });
  const send = scripted(
    UpstreamError.cancelled('crm', 'gone'),
    UpstreamError.deadline('crm', 'late'),
    UpstreamError.answered('crm', 429, 'slow down'),
  );
  const stage = breaker(breakers)(send);
  for (let i = 0; i < 3; i++) await stage(call()).catch(() => undefined);
  expect(breakers.notClosed()).toEqual({});
});

import { retry } from '../retry.js';
import { UpstreamError } from '../../errors.js';
import { call, scripted } from './support.js';

const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const budget = (retries: number) => ({
  request: () => undefined,
  tryRetry: () => retries-- > 0,
});
const unavailable = () => UpstreamError.answered('crm', 503, 'down');

test('a retryable failure is repeated up to the policy, later attempts marked retry', async () => {
  const send = scripted(unavailable(), unavailable(), 200);
  const res = await retry({ policy, budget: budget(10) })(send)(call());
  expect(res.status).toBe(200);
  expect(send.calls.map((c) => c.retry)).toEqual([false, true, true]);
});

test('no retry beyond the budget, nor of a 4xx or a timeout', async () => {
  const spent = scripted(unavailable(), unavailable());
  await expect(retry({ policy, budget: budget(0) })(spent)(call())).rejects.toMatchObject({
    status: 503,
  });
  expect(spent.calls).toHaveLength(1);
  const notFound = scripted(UpstreamError.answered('crm', 404, 'no'));
  await expect(retry({ policy, budget: budget(9) })(notFound)(call())).rejects.toThrow();
  const slow = scripted(UpstreamError.timeout('crm', 'slow'));
  await expect(retry({ policy, budget: budget(9) })(slow)(call())).rejects.toThrow();
  expect([notFound.calls.length, slow.calls.length]).toEqual([1, 1]);
});

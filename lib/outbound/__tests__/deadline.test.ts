import { deadline } from '../deadline.js';
import { call, hang, scripted } from './support.js';

test('no call starts after the deadline: DEADLINE_EXCEEDED, UPSTREAM_TIMEOUT, nothing sent', async () => {
  const send = scripted();
  const err = await deadline(1_000, () => 1_000)(send)(call()).catch((e: unknown) => e);
  expect(err).toMatchObject({ upstreamCode: 'DEADLINE_EXCEEDED', code: 'UPSTREAM_TIMEOUT' });
  expect(send.calls).toHaveLength(0);
});

test('the timeout is the time left when that is shorter, and a cut by it is DEADLINE_EXCEEDED', async () => {
  const send = scripted(hang);
  const err = await deadline(Date.now() + 20)(send)(call({ timeoutMs: 60_000 })).catch(
    (e: unknown) => e,
  );
  expect(send.calls[0].timeoutMs).toBeLessThanOrEqual(20);
  expect(err).toMatchObject({ upstreamCode: 'DEADLINE_EXCEEDED', code: 'UPSTREAM_TIMEOUT' });
});

test("the call's own timeout is UPSTREAM_TIMEOUT without a cut-off code", async () => {
  const send = scripted(hang);
  const err = await deadline(undefined)(send)(call({ timeoutMs: 10 })).catch((e: unknown) => e);
  expect(err).toMatchObject({ upstreamCode: undefined, code: 'UPSTREAM_TIMEOUT', status: 0 });
  expect(send.calls[0].signal).toBeDefined();
});

test('an answer passes through untouched', async () => {
  const res = await deadline(undefined)(scripted(404))(call());
  expect(res.status).toBe(404);
});

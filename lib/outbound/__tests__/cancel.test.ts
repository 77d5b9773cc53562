import { cancel } from '../cancel.js';
import { UpstreamError } from '../../errors.js';
import { call, hang, scripted } from './support.js';

const clientWentAway = () =>
  Object.assign(new Error('REQUEST_CANCELLED'), { name: 'REQUEST_CANCELLED' });

test('a client already gone: REQUEST_CANCELLED, nothing sent', async () => {
  const c = new AbortController();
  c.abort(clientWentAway());
  const send = scripted();
  const err = await cancel(c.signal)(send)(call()).catch((e: unknown) => e);
  expect(err).toMatchObject({ upstreamCode: 'REQUEST_CANCELLED', code: 'UPSTREAM_TIMEOUT' });
  expect(send.calls).toHaveLength(0);
});

test('a call in flight is aborted when the client goes: REQUEST_CANCELLED', async () => {
  const c = new AbortController();
  const send = scripted(hang);
  const pending = cancel(c.signal)(send)(call()).catch((e: unknown) => e);
  c.abort(clientWentAway());
  expect(await pending).toMatchObject({ upstreamCode: 'REQUEST_CANCELLED' });
});

test("another abort of the caller's signal is the deadline's", async () => {
  const c = new AbortController();
  const send = scripted(hang);
  const pending = cancel(c.signal)(send)(call()).catch((e: unknown) => e);
  c.abort(new Error('deadline'));
  expect(await pending).toMatchObject({ upstreamCode: 'DEADLINE_EXCEEDED' });
});

test('an answer that arrived stays the answer, even if the client left since', async () => {
  const c = new AbortController();
  const failed = UpstreamError.answered('crm', 404, 'not found');
  const send = scripted(async () => {
    c.abort(clientWentAway());
    throw failed;
  });
  expect(await cancel(c.signal)(send)(call()).catch((e: unknown) => e)).toBe(failed);
});

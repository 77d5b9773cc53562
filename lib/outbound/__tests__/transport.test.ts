import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { transport } from '../transport.js';
import { HttpPool } from '../../http-pool.js';
import { UpstreamError } from '../../errors.js';
import { call } from './support.js';

let server: http.Server;
let url: string;
const pool = () => new HttpPool(url, { maxSockets: 2 });
beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(() => new Promise((r) => server.close(r)));

test('the pool sends the call and the whole answer is read', async () => {
  const p = pool();
  const res = await transport({ pool: () => p })(call({ url, method: 'PUT', body: '{}' }));
  expect([res.status, await res.json()]).toEqual([201, { method: 'PUT' }]);
  p.close();
});

test('an injected fetch is read whole too; a refused connection is UPSTREAM_UNAVAILABLE', async () => {
  const res = await transport({ pool, fetch })(call({ url }));
  expect([res.status, await res.text()]).toEqual([201, '{"method":"GET"}']);
  const refused = await transport({
    pool,
    fetch: () => Promise.reject(new TypeError('fetch failed')),
  })(call({ url })).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(UpstreamError);
  expect(refused).toMatchObject({ status: 0, code: 'UPSTREAM_UNAVAILABLE', timedOut: false });
});

test('an abort is left for the deadline and cancel stages to name', async () => {
  const c = new AbortController();
  c.abort();
  const err = await transport({ pool, fetch })(call({ url, signal: c.signal })).catch(
    (e: unknown) => e,
  );
  expect((err as Error).name).toBe('AbortError');
});

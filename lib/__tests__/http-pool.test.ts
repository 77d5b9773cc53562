// Redirects through lib/http-pool.ts as fetch follows them (Salesforce's OAuth endpoints answer
// 302/303), against a real HTTP server on port 0: what is followed, with which method and body,
// what is handed back as is, and what is refused.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPool, MAX_REDIRECTS } from '../http-pool.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  contentType?: string;
}
let server: http.Server;
let base: string;
const seen: Seen[] = [];
let route: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        body,
        contentType: req.headers['content-type'],
      });
      route(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => void seen.splice(0));

const pool = () => new HttpPool('http://127.0.0.1', { maxSockets: 4 });
const signal = () => AbortSignal.timeout(5_000);
const redirectTo = (status: number, location: string) => (res: ServerResponse) => {
  res.writeHead(status, { location });
  res.end();
};

test('a 303 after a POST is followed as a GET without the body', async () => {
  route = (req, res) =>
    req.url === '/authorize' ? redirectTo(303, '/done?code=1')(res) : res.end('{"ok":true}');
  const res = await pool().send(
    `${base}/authorize`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
    signal(),
  );
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  expect(seen).toEqual([
    { method: 'POST', url: '/authorize', body: '{"a":1}', contentType: 'application/json' },
    { method: 'GET', url: '/done?code=1', body: '', contentType: undefined },
  ]);
});

test('a 307 keeps the method and the body', async () => {
  route = (req, res) => (req.url === '/a' ? redirectTo(307, '/b')(res) : res.end('fine'));
  const res = await pool().send(`${base}/a`, { method: 'POST', body: 'x=1' }, signal());
  expect(await res.text()).toBe('fine');
  expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
    ['POST', '/a', 'x=1'],
    ['POST', '/b', 'x=1'],
  ]);
});

test("'manual' hands the 3xx back with its Location, followed nowhere", async () => {
  route = (_req, res) => redirectTo(302, 'https://login.example/callback?code=abc')(res);
  const res = await pool().send(
    `${base}/authorize`,
    { method: 'POST', redirect: 'manual' },
    signal(),
  );
  expect(res.status).toBe(302);
  expect(res.headers.get('Location')).toBe('https://login.example/callback?code=abc');
  expect(seen).toHaveLength(1);
});

test('a redirect to another origin is refused, not followed', async () => {
  route = (_req, res) => redirectTo(302, 'http://203.0.113.9/steal')(res);
  await expect(pool().send(`${base}/x`, { method: 'GET' }, signal())).rejects.toMatchObject({
    name: 'TypeError',
    message: 'redirect to another origin (http://203.0.113.9) refused',
  });
});

test(`more than ${MAX_REDIRECTS} redirects end the call`, async () => {
  let n = 0;
  route = (_req, res) => redirectTo(302, `/hop${++n}`)(res);
  await expect(pool().send(`${base}/start`, { method: 'GET' }, signal())).rejects.toMatchObject({
    name: 'TypeError',
    message: `more than ${MAX_REDIRECTS} redirects from ${base}/start`,
  });
  expect(seen).toHaveLength(MAX_REDIRECTS + 1);
});

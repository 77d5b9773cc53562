// How the gateway's subgraph fetches use the network (lib/http-pool.ts through
// SubgraphDataSource's fetcher): one keep-alive pool per subgraph, bounded, every answer read
// whole under the call's deadline, and transport failures typed — against a real HTTP server
// on port 0 standing in for a subgraph.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { formatError, UpstreamError } from '../../lib/errors.js';
import { Breakers } from '../../lib/resilience.js';
import { waitFor } from '../../test/support/wait-for.js';
import { bodyHash, PRINCIPAL_HEADER, verifyPrincipalClaims } from '../../lib/principal.js';

interface FakeSubgraph {
  url: string;
  /** TCP connections the server accepted. */
  connections: () => number;
  /** Most requests the server had in flight at once. */
  maxInFlight: () => number;
  openSockets: () => number;
  close: () => Promise<void>;
}

async function fakeSubgraph(
  answer: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<FakeSubgraph> {
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => answer(req, res, body));
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    connections: () => connections,
    maxInFlight: () => maxInFlight,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const json = (res: ServerResponse, value: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

const post = (source: SubgraphDataSource, url: string, body: object) =>
  source.fetcher(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const servers: FakeSubgraph[] = [];
const sources: SubgraphDataSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});
function start(url: string, timeoutMs: number, maxSockets: number) {
  const source = new SubgraphDataSource(url, 'secret', timeoutMs, {
    name: 'case',
    pool: { maxSockets },
  });
  sources.push(source);
  return source;
}

test('sequential fetches reuse one keep-alive connection and carry the body both ways', async () => {
  const sub = await fakeSubgraph((req, res, body) =>
    json(res, { data: { echo: JSON.parse(body), type: req.headers['content-type'] } }),
  );
  servers.push(sub);
  const source = start(sub.url, 2_000, 8);
  for (let i = 0; i < 20; i++) {
    const res = await post(source, sub.url, { n: i });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(await res.json()).toEqual({ data: { echo: { n: i }, type: 'application/json' } });
  }
  expect(sub.connections()).toBe(1);
});

test('concurrent fetches beyond the pool wait for a socket; all are answered', async () => {
  const sub = await fakeSubgraph((_req, res, body) =>
    setTimeout(() => json(res, { data: JSON.parse(body) }), 50),
  );
  servers.push(sub);
  const source = start(sub.url, 5_000, 3);
  const answers = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => (await post(source, sub.url, { i })).json()),
  );
  expect(answers).toEqual(Array.from({ length: 10 }, (_, i) => ({ data: { i } })));
  expect(sub.maxInFlight()).toBe(3);
  expect(sub.connections()).toBe(3);
});

test('an answer that stops mid-body is cut at the timeout and its socket closed', async () => {
  const sub = await fakeSubgraph((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"data":'); // and nothing more
  });
  servers.push(sub);
  const source = start(sub.url, 300, 8);
  const err = await post(source, sub.url, {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect(err).toMatchObject({
    family: 'subgraph',
    code: 'UPSTREAM_TIMEOUT',
    message: 'subgraph did not answer within 300 ms',
  });
  await waitFor(() => sub.openSockets() === 0, { what: 'the subgraph socket to close' });
  expect(sub.openSockets()).toBe(0);
});

test('a connection closed mid-answer is an unavailable subgraph, not a hang', async () => {
  const sub = await fakeSubgraph((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"data":', () => res.socket?.destroy());
  });
  servers.push(sub);
  const source = start(sub.url, 5_000, 8);
  const err = await post(source, sub.url, {}).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  expect((err as UpstreamError).code).toBe('UPSTREAM_UNAVAILABLE');
});

test('stopping the gateway closes its idle sockets to the subgraph', async () => {
  const sub = await fakeSubgraph((_req, res) => json(res, { data: {} }));
  servers.push(sub);
  const source = start(sub.url, 2_000, 8);
  await (await post(source, sub.url, {})).json();
  expect(sub.openSockets()).toBe(1);
  source.close();
  await waitFor(() => sub.openSockets() === 0, { what: 'the subgraph socket to close' });
  expect(sub.openSockets()).toBe(0);
});

test('each fetch carries a principal signed for this subgraph and its exact body, never the unsigned one', async () => {
  const seen: Array<{ principal?: string; unsigned?: string; body: string }> = [];
  const sub = await fakeSubgraph((req, res, body) => {
    seen.push({
      principal: req.headers[PRINCIPAL_HEADER] as string | undefined,
      unsigned: req.headers['x-c360-unsigned-principal'] as string | undefined,
      body,
    });
    json(res, { data: {} });
  });
  servers.push(sub);
  const source = start(sub.url, 2_000, 8);
  // A username beyond Latin-1 travels too (the internal header is base64url).
  const principal = {
    kind: 'citizen',
    userId: '005x',
    username: 'łukasz@example.org',
    contactId: '003x',
  };
  const unsigned = Buffer.from(JSON.stringify({ principal, clientAddress: '10.1.2.3' })).toString(
    'base64url',
  );
  for (const n of [1, 2])
    await source.fetcher(sub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-c360-unsigned-principal': unsigned },
      body: JSON.stringify({ n }),
    });
  expect(seen.map((s) => s.unsigned)).toEqual([undefined, undefined]);
  const claims = seen.map((s) =>
    verifyPrincipalClaims(s.principal, 'secret', { audience: 'case' }),
  );
  expect(claims.map((c) => c?.bodyHash)).toEqual(seen.map((s) => bodyHash(s.body)));
  expect(claims.map((c) => c?.clientAddress)).toEqual(['10.1.2.3', '10.1.2.3']);
  expect(claims[0]?.principal).toEqual(principal);
  // Signed for 'case': the commerce subgraph would refuse it.
  expect(verifyPrincipalClaims(seen[0].principal, 'secret', { audience: 'commerce' })).toBeNull();
});

test("a subgraph's breaker lives in the gateway's one registry: opened by 5xx, listed by name, then CIRCUIT_OPEN unsent", async () => {
  let hits = 0;
  const sub = await fakeSubgraph((_req, res) => {
    hits++;
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad gateway');
  });
  servers.push(sub);
  const breakers = new Breakers();
  const states: string[] = [];
  breakers.observe((family, key, state) => states.push(`${family} ${key} ${state}`));
  const source = new SubgraphDataSource(sub.url, 'secret', 2_000, {
    name: 'case',
    breakers,
    breaker: { volumeThreshold: 2 },
  });
  sources.push(source);
  const errors = [];
  for (let i = 0; i < 3; i++) errors.push(await post(source, sub.url, {}).catch((e: unknown) => e));
  expect(errors.map((e) => (e as UpstreamError).upstreamCode)).toEqual([
    undefined,
    undefined,
    'CIRCUIT_OPEN',
  ]);
  expect(errors.map((e) => (e as UpstreamError).code)).toEqual(
    Array(3).fill('UPSTREAM_UNAVAILABLE'),
  );
  expect(hits).toBe(2);
  expect([source.circuit(), breakers.notClosed('subgraph')]).toEqual(['open', { case: 'open' }]);
  expect(states).toEqual(['subgraph case open']);
  breakers.reset();
});

test('a failed subgraph fetch is formatted by its type: code, subgraph message, serviceName', () => {
  const formatted = { message: 'whatever', path: ['me'], extensions: { serviceName: 'case' } };
  expect(
    [
      UpstreamError.timeout('subgraph', 'slow'),
      UpstreamError.cancelled('subgraph', 'gone'),
      UpstreamError.circuitOpen('subgraph', 'open'),
      UpstreamError.unreachable('subgraph', 'refused'),
    ].map((e) => formatError(formatted, e)),
  ).toEqual([
    ...Array(2).fill({
      message: 'A subgraph did not answer in time.',
      path: ['me'],
      extensions: { code: 'UPSTREAM_TIMEOUT', serviceName: 'case' },
    }),
    ...Array(2).fill({
      message: 'A subgraph is unavailable.',
      path: ['me'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', serviceName: 'case' },
    }),
  ]);
});

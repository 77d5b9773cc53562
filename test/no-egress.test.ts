// The guard itself: a connection beyond loopback is refused and recorded; loopback goes through.
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { createGateway } from '../gateway/server.js';
import { loadGatewayConfig } from '../gateway/config.js';
import { isLoopbackHost, takeEgressViolations } from './setup/egress-policy.js';

test('loopback addresses are this machine; nothing else is', () => {
  for (const h of ['127.0.0.1', '127.8.9.1', 'localhost', '::1', '[::1]', undefined])
    expect(isLoopbackHost(h)).toBe(true);
  for (const h of [
    '169.254.169.254',
    '10.0.0.1',
    '192.168.1.1',
    '8.8.8.8',
    'usage-reporting.api.apollographql.com',
    '::ffff:10.0.0.1',
  ])
    expect(isLoopbackHost(h)).toBe(false);
});

test('a socket to the cloud-metadata address is refused before it leaves, and recorded', async () => {
  const err = await new Promise<Error>((resolve) => {
    const s = net.connect({ host: '169.254.169.254', port: 80 });
    s.on('error', resolve);
    s.on('connect', () => resolve(new Error('connected')));
  });
  expect(err.message).toBe('egress refused in tests: connect to 169.254.169.254');
  // Taken here so that this test, which provoked it on purpose, passes.
  expect(takeEgressViolations()).toEqual(['connect to 169.254.169.254']);
});

test('fetch to a public host name is refused at connect', async () => {
  await expect(fetch('http://example.invalid/')).rejects.toThrow();
  expect(takeEgressViolations()).toEqual(['connect to example.invalid']);
});

test('loopback connections work as usual', async () => {
  const server = http.createServer((_q, r) => r.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/`);
  expect(await res.text()).toBe('ok');
  const res2 = await fetch(`http://localhost:${port}/`).catch(() => null);
  // localhost may resolve to ::1 first where the server listens on IPv4 only; either way no violation.
  void res2;
  server.close();
  expect(takeEgressViolations()).toEqual([]);
});

describe("@apollo/gateway's usage exporter", () => {
  const sdl = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
  const start = (env: NodeJS.ProcessEnv) =>
    createGateway({
      ...loadGatewayConfig({ ...env, PRINCIPAL_SECRET: 'x'.repeat(40) }),
      supergraphSdl: sdl,
    });
  /** Waits until the exporter's first probe is refused, or `ms` pass. */
  async function violationsWithin(ms: number) {
    const found: string[] = [];
    for (const until = Date.now() + ms; Date.now() < until && !found.length;)
      await new Promise((r) => setTimeout(r, 25)).then(() => found.push(...takeEgressViolations()));
    return found;
  }

  test('probes cloud metadata when an operator opts in (so the guard below can fail)', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const gw = await start({ APOLLO_TELEMETRY_ENABLED: 'true' });
    const found = await violationsWithin(10_000);
    await gw.stop();
    // The exporter's other probes may still be on their way: let them land here (refused), so
    // they are not counted against the next test. Quiet for 1 s = drained (at most 15 s).
    for (let quiet = 0, until = Date.now() + 15_000; quiet < 1000 && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 100));
      quiet = takeEgressViolations().length ? 0 : quiet + 100;
    }
    expect(found.some((v) => v.includes('169.254.169.254'))).toBe(true);
  });

  test('is off by default: a gateway start opens no connection beyond loopback', async () => {
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    const gw = await start({});
    const found = await violationsWithin(1000);
    await gw.stop();
    expect(found).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});

// Live updates in development and readiness: a case subgraph started alone (npm run
// start:subgraph -- case, no PUBSUB_CA_FILE) trusts the emulator's test certificate by default —
// besides the system roots, so the same setting reaches a real endpoint — and /readyz reports a
// live-update stream that cannot connect (503 with the reason) instead of staying 200 while it
// retries.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { PUBSUB_PROTO_PATH } from '../../../lib/salesforce/pubsub-proto.js';
import { signPrincipal, PRINCIPAL_HEADER } from '../../../lib/principal.js';
import { PubSubSubscriber, readCa } from '../../../lib/salesforce/pubsub-subscriber.js';
import { CoreTokenCache } from '../../../lib/salesforce/token-cache.js';
import { loadCaseConfig } from '../config.js';
import { TEST_PRINCIPAL_SECRET as SECRET } from '../../../test/harness.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { waitFor } from '../../../test/support/wait-for.js';

let h: SubgraphHarness<'case'>;
const clients: Client[] = [];
const subscribers: PubSubSubscriber[] = [];
beforeAll(async () => {
  h = await startSubgraphHarness('case', { citizens: 20, pubsub: true, live: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
  for (const s of subscribers.splice(0)) s.close();
});
afterAll(() => h.close());

/** What the case server builds from its configuration (server.ts). */
function subscriberFor(env: Record<string, string>) {
  const config = loadCaseConfig(env);
  const tokens = new CoreTokenCache(config);
  const s = new PubSubSubscriber({
    url: config.pubsub.url,
    protoPath: PUBSUB_PROTO_PATH,
    caPem: readCa(config.pubsub.caFile),
    retryMs: 20,
    session: () => tokens.get({}),
    invalidate: (t) => tokens.invalidate(t),
  });
  subscribers.push(s);
  return { s, session: () => tokens.get({}) };
}

const until = (ok: () => boolean) => waitFor(ok, { what: 'the stream to report its failures' });

test("in development PUBSUB_CA_FILE defaults to the emulator's certificate: the TLS handshake passes", async () => {
  const env = {
    NODE_ENV: 'development',
    CRM_LOGIN_URL: `${h.emulatorUrl}/crm`,
    PUBSUB_URL: `127.0.0.1:${h.pubsub!.port}`,
  };
  expect(loadCaseConfig(env).pubsub.caFile).toBe('emulator/pubsub/test-certs/cert.pem');
  const { s, session } = subscriberFor(env);
  await expect(s.getTopic('/data/CaseChangeEvent', await session())).resolves.toMatchObject({
    topicName: '/data/CaseChangeEvent',
    canSubscribe: true,
  });
  // In production there is no such default: the system roots only, which refuse the emulator.
  expect(loadCaseConfig({ ...env, NODE_ENV: 'production', ...productionRest }).pubsub.caFile).toBe(
    undefined,
  );
  const strict = new PubSubSubscriber({
    url: env.PUBSUB_URL,
    protoPath: PUBSUB_PROTO_PATH,
    session,
    invalidate: () => {},
  });
  subscribers.push(strict);
  await expect(strict.getTopic('/data/CaseChangeEvent', await session())).rejects.toThrow(
    /UNAVAILABLE/,
  );
});

/** Everything else a production case configuration must have. */
const productionRest = {
  PRINCIPAL_SECRET: 'p'.repeat(48),
  CRM_CLIENT_ID: 'id',
  CRM_CLIENT_SECRET: 'secret',
};

test('a stream that keeps failing to connect is a health reason; without listeners there is none', async () => {
  const { s } = subscriberFor({
    NODE_ENV: 'test',
    CRM_LOGIN_URL: `${h.emulatorUrl}/crm`,
    // Nothing listens there.
    PUBSUB_URL: '127.0.0.1:1',
  });
  expect(s.health()).toBeNull();
  const off = s.subscribe('/data/CaseChangeEvent', () => {});
  await until(() => s.health() !== null);
  expect(s.health()).toMatch(
    /^Pub\/Sub API stream \/data\/CaseChangeEvent cannot connect \(\d+ attempts failed; last: UNAVAILABLE: /,
  );
  // Nobody listens any more: nothing to report.
  off();
  expect(s.health()).toBeNull();
});

test('/readyz of a case subgraph whose live-update stream cannot connect: 503 with the reason', async () => {
  const { startSubgraph } = await import('../../../test/harness.js');
  await using down = await startSubgraph(
    'case',
    { ...h.env, PUBSUB_URL: '127.0.0.1:1', PUBSUB_RETRY_MS: '20' },
    { live: true },
  );
  const client = createClient({
    url: `${down.http.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: () => ({
      [PRINCIPAL_HEADER]: signPrincipal({ kind: 'agent', clientId: 'agent-console' }, SECRET, {
        audience: 'case',
        subscription: true,
      }),
    }),
    retryAttempts: 0,
  });
  clients.push(client);
  client.subscribe(
    { query: 'subscription { caseUpdated { kind } }' },
    { next: () => {}, error: () => {}, complete: () => {} },
  );
  // The stream retries (every 20 ms at first) and fails: /readyz reads its state on every call
  // (uncached), so it turns 503 once FAILING_ATTEMPTS attempts in a row have failed.
  const res = await waitFor(
    async () => {
      const r = await fetch(`${down.http.url}/readyz`);
      return r.status === 503 ? r : undefined;
    },
    { what: '/readyz to report the failing stream' },
  );
  const body = (await res.json()) as { status: string; reason: string };
  expect(body.status).toBe('not ready');
  expect(body.reason).toMatch(/^Pub\/Sub API stream \/(data|event)\/\w+ cannot connect/);
});

// Test harness: an emulator and the Case subgraph, both on port 0 (with the emulator's Pub/Sub
// API when subscriptions are tested), and a GraphQL caller that signs the gateway principal.
import request from 'supertest';
import { createEmulator, type Emulator } from '../../../emulator/server.js';
import { PUBSUB_TEST_CERT_PATH, type PubSubServer } from '../../../emulator/pubsub/server.js';
import type { CitizenIdentity } from '../../../emulator/world.js';
import { listen, type Listening } from '../../../lib/http.js';
import { signPrincipal, PRINCIPAL_HEADER, type Principal } from '../../../lib/principal.js';
import type { SubgraphServer } from '../../../lib/subgraph-server.js';
import { loadCaseConfig, type CaseConfig } from '../config.js';
import { createCaseServer } from '../server.js';

export const PRINCIPAL_SECRET = 'test-principal-secret';

export interface GraphQLBody {
  data?: any;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface Harness {
  emu: Emulator;
  config: CaseConfig;
  server: SubgraphServer;
  up: Listening;
  sub: Listening;
  /** The emulator's Pub/Sub API, when started with `pubsub: true`. */
  pubsub?: PubSubServer;
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLBody>;
  /** The CRM calls logged since the last reset, token requests left out. */
  crmCalls(path?: string): ReturnType<Emulator['log']['list']>;
  /** A CRM access token of the integration client, for a test's own writes to the org. */
  integrationToken(): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  o: { citizens?: number; pubsub?: boolean; env?: Record<string, string> } = {},
): Promise<Harness> {
  const emu = createEmulator({ citizens: o.citizens ?? 60 });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  // Keepalives every 100 ms so a stream's liveness shows within a test's bounded wait.
  const pubsub = o.pubsub
    ? await emu.startPubSub({ port: 0, host: '127.0.0.1' }, { keepaliveMs: 100 })
    : undefined;
  const config = loadCaseConfig({
    CRM_LOGIN_URL: `${up.url}/crm`,
    PRINCIPAL_SECRET,
    ...(pubsub
      ? {
          PUBSUB_URL: `127.0.0.1:${pubsub.port}`,
          PUBSUB_CA_FILE: PUBSUB_TEST_CERT_PATH,
          PUBSUB_RETRY_MS: '200',
        }
      : {}),
    ...o.env,
  });
  const server = await createCaseServer(config);
  const sub = await listen(server.app);
  return {
    emu,
    config,
    server,
    up,
    sub,
    pubsub,
    async gql(principal, query, variables = {}) {
      const res = await request(sub.url)
        .post('/graphql')
        .set(PRINCIPAL_HEADER, signPrincipal(principal, PRINCIPAL_SECRET))
        .send({ query, variables });
      return res.body as GraphQLBody;
    },
    crmCalls: (path) =>
      emu.log.list({ family: 'crm', path }).filter((c) => !c.path.includes('/oauth2/')),
    async integrationToken() {
      const { clientId, clientSecret } = emu.core.world.integration;
      const res = await fetch(`${up.url}/crm/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      if (res.status !== 200) throw new Error(`integration token: HTTP ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await sub.close();
      await server.stop();
      await pubsub?.close();
      await up.close();
    },
  };
}

export const citizenPrincipal = (c: CitizenIdentity): Principal => ({
  kind: 'citizen',
  userId: c.userId,
  username: c.username,
  contactId: c.contactId,
});

// Test harness: the emulator and the Session subgraph, both on port 0, plus signed principals.
import request from 'supertest';
import { createEmulator, type Emulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from '../../../lib/principal.js';
import { loadSessionConfig, type SessionConfig } from '../config.js';
import { createSessionServer } from '../server.js';
import type { SubgraphServer } from '../../../lib/subgraph-server.js';

export interface SessionHarness {
  emu: Emulator;
  emuUp: Listening;
  server: SubgraphServer;
  up: Listening;
  config: SessionConfig;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
    headers?: Record<string, string>,
  ): Promise<any>;
  close(): Promise<void>;
}

export async function startSession(citizens = 50): Promise<SessionHarness> {
  const emu = createEmulator({ citizens });
  const emuUp = await listen(emu.app);
  emu.setOrigin(emuUp.url);
  const config = loadSessionConfig({
    IDENTITY_SITE_URL: `${emuUp.url}/identity`,
    CRM_LOGIN_URL: `${emuUp.url}/crm`,
    PRINCIPAL_SECRET: 'test-secret',
  });
  const server = await createSessionServer(config);
  const up = await listen(server.app);
  return {
    emu,
    emuUp,
    server,
    up,
    config,
    async gql(query, variables = {}, principal = { kind: 'anonymous' }, headers = {}) {
      const res = await request(up.url)
        .post('/graphql')
        .set(PRINCIPAL_HEADER, signPrincipal(principal, config.principalSecret))
        .set(headers)
        .send({ query, variables });
      return res.body;
    },
    async close() {
      await server.stop();
      await up.close();
      await emuUp.close();
    },
  };
}

export const citizenPrincipal = (c: {
  userId: string;
  username: string;
  contactId: string;
}): Principal => ({
  kind: 'citizen',
  userId: c.userId,
  username: c.username,
  contactId: c.contactId,
});

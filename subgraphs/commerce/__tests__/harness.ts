// Test harness: an emulator and the Commerce subgraph, both on port 0, and a GraphQL caller
// that signs the gateway principal.
import request from 'supertest';
import { createEmulator, type Emulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { signPrincipal, type CitizenPrincipal, type Principal } from '../../../lib/principal.js';
import type { CitizenIdentity } from '../../../emulator/world.js';
import { loadCommerceConfig, type CommerceConfig } from '../config.js';
import { createCommerceServer } from '../server.js';
import type { SubgraphServer } from '../../../lib/subgraph-server.js';

export interface Harness {
  emu: Emulator;
  config: CommerceConfig;
  server: SubgraphServer;
  up: Listening;
  sub: Listening;
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: any; errors?: any[] }>;
  scapiCalls(path?: string, method?: string): number;
  close(): Promise<void>;
}

export async function startHarness(citizens = 60): Promise<Harness> {
  const emu = createEmulator({ citizens });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  const config = loadCommerceConfig({
    SCAPI_BASE_URL: `${up.url}/scapi`,
    PRINCIPAL_SECRET: 'test-secret',
  });
  const server = await createCommerceServer(config);
  const sub = await listen(server.app);
  return {
    emu,
    config,
    server,
    up,
    sub,
    async gql(principal, query, variables) {
      const res = await request(sub.url)
        .post('/graphql')
        .set('x-c360-principal', signPrincipal(principal, 'test-secret'))
        .send({ query, variables });
      return res.body;
    },
    scapiCalls: (path, method) => emu.log.list({ family: 'scapi', path, method }).length,
    async close() {
      await server.stop();
      await sub.close();
      await up.close();
    },
  };
}

export const citizenPrincipal = (c: CitizenIdentity): CitizenPrincipal => ({
  kind: 'citizen',
  userId: c.userId,
  username: c.username,
  contactId: c.contactId,
  unifiedId: c.unifiedId,
  commerceCustomerId: c.commerceCustomerId,
  commerceLogin: c.email,
});

export const agentPrincipal: Principal = {
  kind: 'agent',
  userId: '005Hu000000000AAAA',
  username: 'sam.rivera@agency.example.gov',
};

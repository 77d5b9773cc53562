// Test harness: the emulator on port 0 and the Customer subgraph on port 0, wired by config.
// The core token comes from the CRM family's real POST /crm/services/oauth2/token.
import supertest from 'supertest';
import { createEmulator, type Emulator } from '../../../emulator/server.js';
import { listen, type Listening } from '../../../lib/http.js';
import { signPrincipal, type Principal } from '../../../lib/principal.js';
import type { SubgraphServer } from '../../../lib/subgraph-server.js';
import { loadCustomerConfig, type CustomerConfig } from '../config.js';
import { createCustomerServer } from '../server.js';

export interface Harness {
  emu: Emulator;
  up: Listening;
  config: CustomerConfig;
  server: SubgraphServer;
  sub: Listening;
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** `env` adds to (or overrides) the subgraph's environment. */
export async function startHarness(
  citizens = 3000,
  env: Record<string, string> = {},
): Promise<Harness> {
  const emu = createEmulator({ citizens });
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  const config = loadCustomerConfig({
    CRM_LOGIN_URL: `${up.url}/crm`,
    DATA_CLOUD_TENANT_URL: `${up.url}/datacloud`,
    PRINCIPAL_SECRET: 'test-secret',
    ...env,
  });
  const server = await createCustomerServer(config);
  const sub = await listen(server.app);
  return {
    emu,
    up,
    config,
    server,
    sub,
    async gql(principal, query, variables) {
      const res = await supertest(sub.url)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('x-c360-principal', signPrincipal(principal, 'test-secret'))
        .send({ query, variables });
      return { status: res.status, body: res.body };
    },
    async close() {
      await server.stop();
      await sub.close();
      await up.close();
    },
  };
}

export const AGENT: Principal = { kind: 'agent', clientId: 'test' };

// Test harness: the emulator on port 0 and the Customer subgraph on port 0, wired by config.
// Until the CRM family serves POST /crm/services/oauth2/token, a fallback route answers the
// client-credentials grant with the standard §1.10 body. It is mounted AFTER the emulator's own
// routes, so once CRM implements the endpoint, CRM's answer wins and this route is never reached.
import express from 'express';
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

function addFallbackTokenRoute(emu: Emulator) {
  emu.app.post(
    '/crm/services/oauth2/token',
    express.urlencoded({ extended: false }),
    (req, res) => {
      const w = emu.core.world;
      const b = req.body as Record<string, string>;
      if (
        b.grant_type !== 'client_credentials' ||
        b.client_id !== w.integration.clientId ||
        b.client_secret !== w.integration.clientSecret
      ) {
        res
          .status(400)
          .json({ error: 'invalid_client', error_description: 'invalid client credentials' });
        return;
      }
      const rec = emu.core.tokens.issue('core-access', {
        clientId: w.integration.clientId,
        subject: { userId: w.integration.userId },
        scope: 'api cdp_query_api cdp_profile_api cdp_segment_api',
        ttlSeconds: emu.core.settings.coreTokenTtlSeconds,
      });
      const origin = emu.core.settings.publicOrigin();
      res.json({
        access_token: rec.token,
        instance_url: `${origin}/crm`,
        id: `${origin}/crm/id/${w.orgId}/${w.integration.userId}`,
        token_type: 'Bearer',
        issued_at: String(rec.issuedAt),
        signature: 'fallback',
        scope: rec.scope,
      });
    },
  );
}

export async function startHarness(citizens = 3000): Promise<Harness> {
  const emu = createEmulator({ citizens });
  addFallbackTokenRoute(emu);
  const up = await listen(emu.app);
  emu.setOrigin(up.url);
  const config = loadCustomerConfig({
    CRM_LOGIN_URL: `${up.url}/crm`,
    DATA_CLOUD_TENANT_URL: `${up.url}/datacloud`,
    PRINCIPAL_SECRET: 'test-secret',
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

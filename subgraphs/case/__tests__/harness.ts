// Test harness: the emulator and the Case subgraph, both on port 0 (test/support/subgraph-harness.ts;
// with the emulator's Pub/Sub API and the subgraph's WebSocket when subscriptions are tested),
// plus what only the Case tests need: CRM call counts and the integration client's own token.
import type { Emulator } from '../../../emulator/server.js';
import type { Principal } from '../../../lib/principal.js';
import { TEST_PRINCIPAL_SECRET } from '../../../test/harness.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { integrationToken } from '../../../test/support/integration-token.js';
import { loadCaseConfig, type CaseConfig } from '../config.js';

export { citizenPrincipal } from '../../../test/support/principals.js';
export const PRINCIPAL_SECRET = TEST_PRINCIPAL_SECRET;

export interface GraphQLBody {
  data?: any;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface Harness extends Omit<SubgraphHarness<CaseConfig>, 'gql'> {
  /** The response body of an operation sent with `principal` signed. */
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLBody>;
  /** The CRM calls logged since the last reset, token requests left out. */
  crmCalls(path?: string): ReturnType<Emulator['log']['list']>;
  /** A CRM access token of the integration client, for a test's own writes to the org. */
  integrationToken(): Promise<string>;
}

export async function startHarness(
  o: { citizens?: number; pubsub?: boolean; live?: boolean; env?: Record<string, string> } = {},
): Promise<Harness> {
  const h = await startSubgraphHarness('case', loadCaseConfig, {
    ...o,
    citizens: o.citizens ?? 60,
  });
  return {
    ...h,
    gql: async (principal, query, variables = {}) =>
      (await h.gql(principal, query, variables)).body as GraphQLBody,
    crmCalls: (path) =>
      h.emu.log.list({ family: 'crm', path }).filter((c) => !c.path.includes('/oauth2/')),
    integrationToken: () => integrationToken(h.emu, h.emulatorUrl),
  };
}

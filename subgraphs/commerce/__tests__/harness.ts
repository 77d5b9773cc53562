// Test harness: the emulator and the Commerce subgraph, both on port 0
// (test/support/subgraph-harness.ts), plus what only the Commerce tests need: SCAPI call counts
// and the agent principal.
import type { Principal } from '../../../lib/principal.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { loadCommerceConfig, type CommerceConfig } from '../config.js';

export { citizenPrincipal } from '../../../test/support/principals.js';

export interface Harness extends Omit<SubgraphHarness<CommerceConfig>, 'gql'> {
  /** The response body of an operation sent with `principal` signed. */
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: any; errors?: any[] }>;
  /** SCAPI calls logged since the last reset (token requests included). */
  scapiCalls(path?: string, method?: string): number;
}

export async function startHarness(citizens = 60): Promise<Harness> {
  const h = await startSubgraphHarness('commerce', loadCommerceConfig, { citizens });
  return {
    ...h,
    gql: async (principal, query, variables) => (await h.gql(principal, query, variables)).body,
    scapiCalls: (path, method) => h.emu.log.list({ family: 'scapi', path, method }).length,
  };
}

export const agentPrincipal: Principal = {
  kind: 'agent',
  userId: '005Hu000000000AAAA',
  username: 'sam.rivera@agency.example.gov',
};

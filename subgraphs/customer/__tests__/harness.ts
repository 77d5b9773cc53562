// Test harness: the emulator and the Customer subgraph, both on port 0, wired by config
// (test/support/subgraph-harness.ts). The core token comes from the CRM family's real
// POST /crm/services/oauth2/token.
import type { Principal } from '../../../lib/principal.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { loadCustomerConfig, type CustomerConfig } from '../config.js';

export { citizenPrincipal } from '../../../test/support/principals.js';

export interface Harness extends Omit<SubgraphHarness<CustomerConfig>, 'gql'> {
  /** The status and (untyped) body of an operation sent with `principal` signed. */
  gql(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: any }>;
}

/** `env` adds to (or overrides) the subgraph's environment. */
export async function startHarness(
  citizens = 3000,
  env: Record<string, string> = {},
): Promise<Harness> {
  const h = await startSubgraphHarness('customer', loadCustomerConfig, { citizens, env });
  return { ...h, gql: (principal, query, variables) => h.gql(principal, query, variables) };
}

export const AGENT: Principal = { kind: 'agent', clientId: 'test' };

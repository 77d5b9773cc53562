// Test harness: the emulator and the Session subgraph, both on port 0
// (test/support/subgraph-harness.ts); its caller is anonymous unless told otherwise.
import type { Principal } from '../../../lib/principal.js';
import {
  startSubgraphHarness,
  type SubgraphHarness,
} from '../../../test/support/subgraph-harness.js';
import { loadSessionConfig, type SessionConfig } from '../config.js';

export { citizenPrincipal } from '../../../test/support/principals.js';

export interface SessionHarness extends Omit<SubgraphHarness<SessionConfig>, 'gql'> {
  /** The response body of an operation sent as `principal` (anonymous by default). */
  gql(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
    headers?: Record<string, string>,
  ): Promise<any>;
}

export async function startSession(citizens = 50): Promise<SessionHarness> {
  const h = await startSubgraphHarness('session', loadSessionConfig, { citizens });
  return {
    ...h,
    gql: async (query, variables = {}, principal = { kind: 'anonymous' }, headers = {}) =>
      (await h.gql(principal, query, variables, headers)).body,
  };
}

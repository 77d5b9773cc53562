// The session subgraph keeps the rules every subgraph keeps (test/support/subgraph-conformance.ts).
// It has no connection and no keyed mutation (its writes are sign-in and sign-out).
import { describeSubgraphConformance } from '../support/subgraph-conformance.js';
import { startSubgraphHarness } from '../support/subgraph-harness.js';
import { citizenPrincipal } from '../support/principals.js';
import { loadSessionConfig } from '../../subgraphs/session/config.js';

describeSubgraphConformance(
  'session',
  () => startSubgraphHarness('session', loadSessionConfig, { citizens: 60 }),
  {
    upstreamQuery: {
      as: (c) => citizenPrincipal(c),
      query: () => '{ viewer { citizen { account { userId emailVerified } } } }',
      family: 'crm',
      path: '/services/data/',
    },
  },
);

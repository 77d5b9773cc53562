// The session subgraph keeps the rules every subgraph keeps (test/support/subgraph-conformance.ts).
// It has no connection and no keyed mutation (its writes are sign-in and sign-out).
import { describeSubgraphConformance } from '../support/subgraph-conformance.js';
import { citizenPrincipal } from '../support/principals.js';

describeSubgraphConformance(
  'session',
  { citizens: 60 },
  {
    upstreamQuery: {
      as: (c) => citizenPrincipal(c),
      query: () => '{ viewer { citizen { account { userId emailVerified } } } }',
      family: 'crm',
      path: '/services/data/',
    },
  },
);

// The customer subgraph keeps the rules every subgraph keeps (test/support/subgraph-conformance.ts).
import { describeSubgraphConformance, AGENT } from '../support/subgraph-conformance.js';
import { MAX_FIRST } from '../../lib/graphql/connection.js';

describeSubgraphConformance(
  'customer',
  { citizens: 60 },
  {
    upstreamQuery: {
      as: () => AGENT,
      query: (c) => `{ citizen(id: "${c.unifiedId}") { id firstName } }`,
      family: 'datacloud',
      path: '/api/',
    },
    connections: [
      {
        name: 'Segment.members',
        as: () => AGENT,
        query: () =>
          'query ($first: Int) { segment(apiName: "High_Engagement") { members(first: $first) { totalCount } } }',
        max: MAX_FIRST,
      },
    ],
  },
);

// The case subgraph keeps the rules every subgraph keeps (test/support/subgraph-conformance.ts).
import { describeSubgraphConformance, AGENT } from '../support/subgraph-conformance.js';
import { citizenPrincipal } from '../support/principals.js';
import { MAX_FIRST } from '../../lib/graphql/connection.js';

describeSubgraphConformance(
  'case',
  { citizens: 60 },
  {
    upstreamQuery: {
      as: () => AGENT,
      query: (c) =>
        `{ _entities(representations: [{ __typename: "Citizen", contactId: "${c.contactId}" }]) { ... on Citizen { cases(first: 5) { totalCount } } } }`,
      family: 'crm',
      path: '/services/data/',
    },
    connections: [
      {
        name: 'Citizen.cases',
        as: () => AGENT,
        query: (c) =>
          `query ($first: Int) { _entities(representations: [{ __typename: "Citizen", contactId: "${c.contactId}" }]) { ... on Citizen { cases(first: $first) { totalCount } } } }`,
        max: MAX_FIRST,
      },
    ],
    keyedMutations: [
      {
        name: 'createCase',
        as: (c) => citizenPrincipal(c),
        mutation:
          'mutation ($key: String!) { createCase(input: { idempotencyKey: $key, subject: "Conformance" }) { userErrors { code field } } }',
        payload: 'createCase',
        required: true,
      },
      {
        name: 'addCaseComment',
        as: (c) => citizenPrincipal(c),
        mutation:
          'mutation ($key: String!) { addCaseComment(input: { idempotencyKey: $key, caseId: "500000000000001AAA", body: "Conformance" }) { userErrors { code field } } }',
        payload: 'addCaseComment',
        required: true,
      },
    ],
  },
);

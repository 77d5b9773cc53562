// The commerce subgraph keeps the rules every subgraph keeps (test/support/subgraph-conformance.ts).
import { describeSubgraphConformance, AGENT } from '../support/subgraph-conformance.js';
import { citizenPrincipal } from '../support/principals.js';
import { MAX_PRODUCT_IDS } from '../../subgraphs/commerce/client.js';
import { MAX_FIRST } from '../../lib/graphql/connection.js';

describeSubgraphConformance(
  'commerce',
  { citizens: 60 },
  {
    upstreamQuery: {
      as: () => AGENT,
      query: () => '{ productSearch(query: "a", first: 2) { totalCount } }',
      family: 'scapi',
      path: 'shopper-search',
    },
    connections: [
      {
        name: 'Citizen.orders',
        as: (c) => citizenPrincipal(c),
        query: (c) =>
          `query ($first: Int) { _entities(representations: [{ __typename: "Citizen", commerceCustomerId: "${c.commerceCustomerId}" }]) { ... on Citizen { orders(first: $first) { totalCount } } } }`,
        max: MAX_FIRST,
      },
      {
        name: 'Query.productSearch',
        as: () => AGENT,
        query: () =>
          'query ($first: Int!) { productSearch(query: "a", first: $first) { totalCount } }',
        max: MAX_PRODUCT_IDS,
      },
    ],
    keyedMutations: [
      {
        name: 'checkout',
        as: (c) => citizenPrincipal(c),
        mutation:
          'mutation ($key: String!) { checkout(input: { idempotencyKey: $key, payment: { holder: "A", maskedNumber: "************1111", cardType: "Visa", expirationMonth: 1, expirationYear: 2030 } }) { userErrors { code field } } }',
        payload: 'checkout',
        required: true,
      },
      {
        name: 'addCartItem',
        as: (c) => citizenPrincipal(c),
        mutation:
          'mutation ($key: String) { addCartItem(input: { idempotencyKey: $key, productId: "p-1" }) { userErrors { code field } } }',
        payload: 'addCartItem',
        required: false,
      },
    ],
  },
);

// Mutation testing of the mapping tables and cache keys (issue 23 item 4): the modules whose
// status → code maps and DataLoader keys test/mappings/, lib/__tests__/error-codes.test.ts and
// subgraphs/commerce/__tests__/scapi-rejection.test.ts pin, against those tests only.
//   npx stryker run stryker.mappings.config.mjs
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: {
    ...base.jest,
    // Every test of the set for every mutant: findRelatedTests left the loader tests out.
    enableFindRelatedTests: false,
    config: {
      testMatch: [
        '**/test/mappings/**/*.test.ts',
        '**/lib/__tests__/error-codes.test.ts',
        '**/subgraphs/commerce/__tests__/scapi-rejection.test.ts',
      ],
    },
  },
  mutate: [
    'lib/errors.ts',
    'subgraphs/commerce/scapi-rejection.ts',
    'subgraphs/commerce/loaders.ts',
    'subgraphs/case/loaders.ts',
    'subgraphs/case/mappers.ts',
  ],
  htmlReporter: { fileName: 'reports/mutation/mappings.html' },
};

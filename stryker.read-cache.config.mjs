// Mutation testing of the read cache (issue 25): its key (who may be answered from an entry),
// tags, invalidation stamps, TTLs and the API floor, against its unit tests.
//   npx stryker run stryker.read-cache.config.mjs
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  jest: {
    ...base.jest,
    enableFindRelatedTests: false,
    config: { testMatch: ['**/lib/read-cache/__tests__/**/*.test.ts'] },
  },
  mutate: ['lib/read-cache/read-cache.ts', 'lib/read-cache/store.ts'],
  concurrency: 1,
  htmlReporter: { fileName: 'reports/mutation/read-cache.html' },
};

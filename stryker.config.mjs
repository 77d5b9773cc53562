// Mutation testing (npm run mutate): StrykerJS mutates the modules that decide cost and limits,
// access and error mapping, and runs the jest tests that cover each mutant (coverageAnalysis
// perTest), so a mutant that no test kills is a behaviour nothing pins. Not part of CI (too slow
// on two cores); run it before changing these modules. One module set per run:
//   npm run mutate                                       (the default set below)
//   npm run mutate -- --mutate gateway/query-cost.ts     (one module)
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    configFile: 'jest.config.cjs',
    // Only the tests that cover a mutated line run for it (jest --findRelatedTests).
    enableFindRelatedTests: true,
    // The unit tests beside the modules (no started stack), so a run takes minutes, not hours.
    config: {
      testMatch: ['**/gateway/__tests__/**/*.test.ts', '**/lib/__tests__/**/*.test.ts'],
    },
  },
  mutate: [
    'gateway/operation-limits.ts',
    'gateway/query-cost.ts',
    'gateway/introspection-fields.ts',
    'lib/errors.ts',
    'lib/principal.ts',
    'lib/rate-limit.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'build', 'coverage', 'test-artifacts', 'examples', 'bench/peers'],
};

// CommonJS config: package.json is "type": "module", and jest 30's native TS support needs Node 22.
// Sources are ESM-style TypeScript; @swc/jest turns them into CommonJS for jest's registry.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['**/__tests__/**/*.test.ts', '**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/', '<rootDir>/.stryker-tmp/'],
  // npm run build:server's output mirrors the sources; jest must not see two copies of a module.
  modulePathIgnorePatterns: [
    '<rootDir>/build/',
    '<rootDir>/bench/peers/build/',
    '<rootDir>/.stryker-tmp/',
  ],
  // Fails any test that opens a socket beyond loopback (no egress, ever).
  setupFiles: ['<rootDir>/test/setup/quiet-logs.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/no-egress.ts'],
  // The suite's one time budget (test/support/budget.ts): every test and hook, and every wait
  // inside one as a share of it. Generous so that a loaded machine is slower, never red.
  testTimeout: 60000,
  maxWorkers: 2,
};

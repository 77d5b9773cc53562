import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries (docs/salesforce/access-model.md#import-boundaries): who may depend on whom.
 */
const SUBGRAPHS = ['customer', 'case', 'commerce', 'session'];
const boundary = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'build/**',
      '**/__generated__/**',
      'test-artifacts/**',
      'reports/**',
      '.stryker-tmp/**',
      'gql/**',
      'examples/*/src/gql/**',
      'ui/**',
      'bench/peers/**',
      'jest.config.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Promises that nobody awaits lose their errors (and, in a server, crash it later): type-checked.
  {
    files: ['**/*.ts'],
    ignores: ['bench/**', '*.ts'],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // On Node 20 a fetch can lose an `AbortSignal.any` composite to a garbage collection and never
  // time out (nodejs/node#55428): calls take their signal from lib/abort.ts instead.
  {
    files: ['**/*.ts'],
    ignores: ['lib/abort.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='AbortSignal'][callee.property.name='any']",
          message:
            'Use callSignal() from lib/abort.ts: a GC can disconnect AbortSignal.any from fetch.',
        },
      ],
    },
  },
  // One configuration registry: lib/config/registry.ts is the only reader of process.env (tests
  // set it for the processes they start; examples/ are separate packages with their own tooling).
  {
    files: ['**/*.ts', '**/*.mjs'],
    ignores: [
      'lib/config/registry.ts',
      'test/**',
      '**/__tests__/**',
      'examples/**',
      'eslint.config.mjs',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration through lib/config/registry.ts (declare the variable there; readEnv(env, service).get(name)).',
        },
      ],
    },
  },
  // The emulator stands in for Salesforce: it imports nothing of the product (the configuration
  // registry, which declares its variables too, is not product code).
  {
    files: ['emulator/**/*.ts'],
    ignores: ['emulator/__tests__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(subgraphs|gateway|schema)/|(^|/)lib/(?!config/registry\\.js$)',
              message:
                'The emulator follows Salesforce, never the product: it must not import product code.',
            },
          ],
        },
      ],
    },
  },
  // One seam around the federation engine: gateway/engine.ts alone imports @apollo/gateway (its
  // dist/ internals above all); gateway/__tests__/engine-contract.test.ts pins what it relies on.
  // (A separate rule name, so it adds to the import boundaries below instead of replacing them.)
  {
    files: ['**/*.ts'],
    ignores: ['gateway/engine.ts', 'bench/**', 'examples/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@apollo/gateway',
              message: 'Import the federation engine through gateway/engine.ts (its one seam).',
            },
          ],
          patterns: [
            {
              group: ['@apollo/gateway/*'],
              message:
                "@apollo/gateway's dist/ internals are reached only through gateway/engine.ts (contract-tested).",
            },
          ],
        },
      ],
    },
  },
  // The gateway knows subgraphs only by URL and SDL.
  {
    files: ['gateway/**/*.ts'],
    ignores: ['gateway/__tests__/**'],
    rules: boundary(
      ['**/subgraphs/**', '**/emulator/**'],
      'The gateway imports no subgraph or emulator code.',
    ),
  },
  // A subgraph imports only lib/ and itself.
  ...SUBGRAPHS.map((name) => ({
    files: [`subgraphs/${name}/**/*.ts`],
    ignores: [`subgraphs/${name}/__tests__/**`],
    rules: boundary(
      [
        '**/gateway/**',
        '**/emulator/**',
        ...SUBGRAPHS.filter((n) => n !== name).flatMap((n) => [
          `../${n}/**`,
          `**/subgraphs/${n}/**`,
        ]),
      ],
      `The ${name} subgraph imports only lib/ and its own files.`,
    ),
  })),
  // lib/ is the kernel: it knows no subgraph, gateway or emulator.
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/__tests__/**'],
    rules: boundary(
      ['**/subgraphs/**', '**/gateway/**', '**/emulator/**'],
      'lib/ is shared by every service and imports none of them.',
    ),
  },
);

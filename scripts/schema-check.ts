// npm run schema:check -- [--base <git ref>] [--base-dir <dir>] [--root <dir>] [--report <path>]
// Composes the working tree's subgraphs, each side with its own common types
// (lib/graphql/common.graphql), diffs the API schema against the base's (default: the
// merge base with origin/main, else with the default branch; no base found = exit 2, never a
// silent HEAD), validates test/operations, writes a Markdown report; exit 1 = fail.
import { parseArgs } from 'node:util';
import { runSchemaCheck } from './schema-check/run.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    'base-dir': { type: 'string' },
    root: { type: 'string', default: process.cwd() },
    report: { type: 'string', default: 'schema-check-report.md' },
  },
});

try {
  const result = await runSchemaCheck({
    root: values.root!,
    base: values.base,
    baseDir: values['base-dir'],
    reportPath: values.report,
  });
  (result.exitCode ? console.error : console.log)(result.summary);
  console.log(`report: ${values.report}`);
  process.exit(result.exitCode);
} catch (err) {
  console.error(`schema check could not run: ${(err as Error).message}`);
  process.exit(2);
}

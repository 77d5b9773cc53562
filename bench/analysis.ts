// npx tsx bench/analysis.ts [base-ref] — a micro-benchmark, not a test: the CPU the gateway
// spends analysing each canonical operation before it plans it, before and after the one linear
// analysis (gateway/operation-limits.ts).
//   before: graphql-armor's depth, alias and directive rules (run inside Apollo's validation) and
//           the estimator of `base-ref` (default: `git merge-base HEAD main`), read with
//           `git show` into a temporary module beside gateway/query-cost.ts;
//   after:  what a POST now costs: the middleware's parse and structural analysis, then the
//           plugin's analysis with the estimate.
// Both leave out what did not change (Apollo's own parse and graphql-js's specified rules).
// Prints µs of process CPU (user + system) per operation, median of 5 rounds, and os.loadavg().
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  parse,
  print,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import * as canonical from '../gql/graphql.js';
import { analyzeOperation } from '../gateway/operation-limits.js';
import { costModelFromSupergraph } from '../gateway/query-cost.js';
import { loadGatewayConfig } from '../gateway/config.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const base =
  process.argv[2] ??
  execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: root, encoding: 'utf8' }).trim();
const schema = buildSchema(readFileSync(`${root}schema/api-schema.graphql`, 'utf8'));
const supergraph = readFileSync(`${root}schema/supergraph.graphql`, 'utf8');
const model = costModelFromSupergraph(supergraph);
// The defaults a deployment gets; development so that no deployment variable is required here.
const limits = loadGatewayConfig({ NODE_ENV: 'development' }).limits;

type OldEstimate = (
  schema: unknown,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  perEntity: ReadonlyMap<string, number>,
) => number;

async function loadOld() {
  const path = `${root}gateway/.bench-old-query-cost.ts`;
  writeFileSync(
    path,
    execFileSync('git', ['show', `${base}:gateway/query-cost.ts`], { cwd: root, encoding: 'utf8' }),
  );
  try {
    const old = (await import(path)) as {
      estimateUpstreamCalls: OldEstimate;
      fieldCostsFromSupergraph(sdl: string): ReadonlyMap<string, number>;
    };
    return { estimate: old.estimateUpstreamCalls, costs: old.fieldCostsFromSupergraph(supergraph) };
  } finally {
    rmSync(path);
  }
}

const armorRules = [
  maxDepthRule({ n: limits.maxDepth }),
  maxAliasesRule({ n: limits.maxAliases }),
  maxDirectivesRule({ n: 50 }),
] as unknown as ValidationRule[];

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** µs of CPU per call of `fn`, the median of 5 rounds of `n` calls. */
function measure(fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn(); // warm the JIT
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = cpuMicros();
    for (let i = 0; i < n; i++) fn();
    rounds.push((cpuMicros() - start) / n);
  }
  return rounds.sort((a, b) => a - b)[2];
}

const OPERATIONS: Array<[string, DocumentNode, Record<string, unknown>]> = [
  ['CitizenProfile', canonical.CitizenProfileDocument as DocumentNode, { id: 'x' }],
  ['CitizenProfileDeferred', canonical.CitizenProfileDeferredDocument as DocumentNode, { id: 'x' }],
  ['CaseWithCitizen', canonical.CaseWithCitizenDocument as DocumentNode, { id: 'x' }],
  [
    'SegmentMembers(first: 100)',
    canonical.SegmentMembersDocument as DocumentNode,
    { apiName: 's', first: 100 },
  ],
  ['Viewer', canonical.ViewerDocument as DocumentNode, {}],
  ['Products(2 ids)', canonical.ProductsDocument as DocumentNode, { ids: ['a', 'b'] }],
  ['Checkout', canonical.CheckoutDocument as DocumentNode, { input: {} }],
];

function fanOut(k: number, n: number) {
  let q = 'query{...F0}';
  for (let i = 0; i < n; i++)
    q += ` fragment F${i} on Query{${Array(k)
      .fill(`...F${i + 1}`)
      .join(' ')}}`;
  return q + ` fragment F${n} on Query{__typename}`;
}

const old = await loadOld();
const rows: string[] = [];
const load = () => loadavg().map((l) => l.toFixed(2));
const loadBefore = load();
for (const [name, doc, variables] of OPERATIONS) {
  const text = print(doc);
  const document = parse(text);
  const op = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((d) => [d.name.value, d]),
  );
  const before = measure(() => {
    validate(schema, document, armorRules);
    old.estimate(schema, op, fragments, variables, old.costs);
  }, 3000);
  const after = measure(() => {
    analyzeOperation(parse(text, { noLocation: true }), { limits });
    analyzeOperation(document, { limits, variables, cost: { schema, model } });
  }, 3000);
  rows.push(
    `| ${name} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(2)} |`,
  );
}
// Hostile documents: the old estimator walks every expansion (kⁿ); measured at small k only.
for (const [k, n] of [
  [8, 4],
  [70, 4],
  [200, 4],
]) {
  const text = fanOut(k, n);
  const document = parse(text);
  const op = document.definitions[0] as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition')
      .map((d) => [d.name.value, d]),
  );
  const before =
    k <= 8
      ? measure(() => {
          validate(schema, document, armorRules);
          old.estimate(schema, op, fragments, {}, old.costs);
        }, 5).toFixed(0)
      : '(not run: kⁿ)';
  const after = measure(() => analyzeOperation(parse(text, { noLocation: true }), { limits }), 200);
  rows.push(`| fan-out k=${k} n=${n} (refused) | ${before} | ${after.toFixed(1)} | |`);
}
console.log(`Analysis CPU per operation (µs, median of 5 rounds), base ${base}`);
console.log(`load average before: ${loadBefore.join(' ')}, after: ${load().join(' ')}`);
console.log('| operation | before µs | after µs | after/before |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);

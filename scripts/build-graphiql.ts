// npm run build:graphiql — bundles the self-hosted GraphiQL (ui/) into dist/graphiql/ with esbuild.
// No CDN: the app, its CSS/font and the three Monaco workers are all local files, served by
// gateway/graphiql.ts. Skips when the output is newer than every input (--force rebuilds).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Kind, parse, type TypeNode, type VariableDefinitionNode } from 'graphql';

const root = process.cwd();
const outDir = join(root, 'dist', 'graphiql');
const uiDir = join(root, 'ui');
const opsDir = join(root, 'test', 'operations');
const force = process.argv.includes('--force');

function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    const st = statSync(p);
    if (st.isDirectory())
      newest = Math.max(newest, newestMtime(readdirSync(p).map((f) => join(p, f))));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

const stamp = join(outDir, 'index.html');
const inputs = [
  uiDir,
  opsDir,
  join(root, 'scripts', 'build-graphiql.ts'),
  join(root, 'package-lock.json'),
].filter(existsSync);
if (!force && existsSync(stamp) && statSync(stamp).mtimeMs > newestMtime(inputs)) {
  console.log('dist/graphiql is up to date');
  process.exit(0);
}

/** A starting value per variable so each example tab is one edit away from running. */
function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  switch (type.name.value) {
    case 'Int':
      return 10;
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    case 'String':
    case 'ID':
      return '';
    default:
      return {};
  }
}

// Only the required variables: an optional one left out means its default (CaseUpdated without
// `id` follows all of the citizen's cases), where a placeholder "" would match nothing. The
// browser fills these from the session and ui/examples.ts once signed in.
const variablesOf = (defs: readonly VariableDefinitionNode[]) => {
  const required = defs.filter((d) => d.type.kind === Kind.NON_NULL_TYPE && !d.defaultValue);
  return required.length
    ? JSON.stringify(
        Object.fromEntries(required.map((d) => [d.variable.name.value, placeholder(d.type)])),
        null,
        2,
      )
    : '';
};

// Tabs in a newcomer's order: sign in, who am I, the flagship query; then the rest by name.
const FIRST = ['login', 'viewer', 'citizen-profile'];
const rank = (f: string) => {
  const i = FIRST.indexOf(f.replace(/\.graphql$/, ''));
  return i < 0 ? FIRST.length : i;
};
const operations = readdirSync(opsDir)
  .filter((f) => f.endsWith('.graphql'))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  .map((f) => {
    const query = readFileSync(join(opsDir, f), 'utf8');
    const op = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    return {
      name: f.replace(/\.graphql$/, ''),
      operationName: op?.kind === Kind.OPERATION_DEFINITION ? (op.name?.value ?? '') : '',
      query,
      variables: variablesOf(op?.variableDefinitions ?? []),
    };
  });

const started = Date.now();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  logLevel: 'warning',
  legalComments: 'none',
} as const;
const resolveFrom = (spec: string) => createRequire(join(root, 'package.json')).resolve(spec);
await Promise.all([
  build({
    ...common,
    entryPoints: {
      'editor.worker': resolveFrom('monaco-editor/esm/vs/editor/editor.worker.js'),
      'json.worker': resolveFrom('monaco-editor/esm/vs/language/json/json.worker.js'),
      'graphql.worker': resolveFrom('monaco-graphql/esm/graphql.worker.js'),
    },
    outdir: outDir,
  }),
  build({
    ...common,
    entryPoints: { main: join(uiDir, 'main.tsx') },
    outdir: outDir,
    jsx: 'automatic',
    loader: { '.ttf': 'file' },
    define: {
      'process.env.NODE_ENV': '"production"',
      __C360_OPERATIONS__: JSON.stringify(operations),
    },
  }),
]);
copyFileSync(join(uiDir, 'index.html'), stamp); // written last: its mtime marks a complete build
console.log(`built dist/graphiql (${operations.length} operations) in ${Date.now() - started} ms`);

// npm run build:server — the services as plain JavaScript in build/, the layout of the repository
// mirrored (build/gateway/main.js, build/subgraphs/case/main.js, …) with the files they read at
// run time (SDL, the persisted-documents manifest, .proto, test certificates, the GraphiQL
// bundle) copied beside them, so every `new URL('…', import.meta.url)` finds what it finds in
// the sources.
//
// Why compile for production: run through the tsx loader, each service process holds ~48 MB
// more (the loader, esbuild's transforms and source maps of every module) and spends its first
// seconds transpiling; `npm start` and the tests keep tsx (no build step for a newcomer).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build');
/** The source folders tsconfig.build.json compiles: their runtime files are copied too. */
const SOURCES = (
  JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] }
).include;

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});

/** Every file a service reads at run time: all that is not TypeScript and not a test. */
function copyRuntimeFiles(dir: string) {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === '__tests__') continue;
    if (statSync(join(root, path)).isDirectory()) copyRuntimeFiles(path);
    else if (!name.endsWith('.ts')) cpSync(join(root, path), join(out, path));
  }
}
for (const dir of SOURCES) copyRuntimeFiles(dir);
// The gateway serves GraphiQL from dist/graphiql (npm run build:graphiql), when it was built.
if (existsSync(join(root, 'dist/graphiql')))
  cpSync(join(root, 'dist/graphiql'), join(out, 'dist/graphiql'), { recursive: true });
// build/ sits in the repository (or the image's /app): the root package.json ("type": "module")
// and node_modules above it serve the compiled files as they serve the sources.
console.log(`build: services compiled to ${relative(root, out)}/`);

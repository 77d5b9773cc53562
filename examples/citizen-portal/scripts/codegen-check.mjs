/* global process, console */
// `npm run codegen:check`: fails when src/gql/ is not what codegen (plus prettier, its hook) makes
// from the current schema and operations. graphql-codegen's own --check compares the unformatted
// output, which never matches the committed, prettier-formatted files. The committed files are
// put back either way: a check changes nothing.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const portal = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(portal, 'src', 'gql');
const snapshot = () =>
  new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));

const before = snapshot();
execFileSync(
  join(portal, '..', '..', 'node_modules', '.bin', 'graphql-codegen'),
  ['--config', 'codegen.ts'],
  {
    cwd: portal,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  },
);
const after = snapshot();
const stale = [...new Set([...before.keys(), ...after.keys()])].filter(
  (f) => before.get(f) !== after.get(f),
);
for (const [f, text] of before) writeFileSync(join(out, f), text);
if (stale.length) {
  console.error(`src/gql/ is stale (run npm run codegen): ${stale.join(', ')}`);
  process.exit(1);
}
console.log('src/gql/ is up to date');

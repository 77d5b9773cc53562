// The README shows the client recipes as they are: each `<!-- include: path -->` is followed by a
// block equal to that file, and every recipe module of examples/clients is shown (the operations
// file is named instead: its documents are shown as GraphQL).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const included = [...readme.matchAll(/<!-- include: (\S+) -->\n\n```ts\n([\s\S]*?)```\n/g)].map(
  ([, path, code]) => ({ path, code }),
);

test('every README block marked as a recipe equals its file', () => {
  expect(included.length).toBeGreaterThan(0);
  for (const { path, code } of included)
    expect({ path, code }).toEqual({ path, code: readFileSync(join(ROOT, path), 'utf8') });
});

test('every recipe of examples/clients is in the README', () => {
  const recipes = readdirSync(join(ROOT, 'examples/clients/src'))
    .filter((f) => f.endsWith('.ts') && f !== 'operations.ts')
    .map((f) => `examples/clients/src/${f}`);
  expect(included.map((i) => i.path).sort()).toEqual(
    [...recipes, 'examples/clients/codegen.ts'].sort(),
  );
});

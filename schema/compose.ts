// npm run compose          → writes schema/supergraph.graphql and schema/api-schema.graphql
// npm run compose:check    → exits 1 when either committed file is stale
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { API_SCHEMA_PATH, composeSubgraphs, SUPERGRAPH_PATH } from './composition.js';

const root = process.cwd();
const check = process.argv.includes('--check');
const result = composeSubgraphs(root);
if ('errors' in result) {
  for (const e of result.errors) console.error(`${e.code}: ${e.message}`);
  process.exit(1);
}
const outputs: Array<[string, string]> = [
  [SUPERGRAPH_PATH, result.supergraphSdl],
  [API_SCHEMA_PATH, result.apiSchemaSdl],
];
let stale = 0;
for (const [path, content] of outputs) {
  const full = join(root, path);
  const current = existsSync(full) ? readFileSync(full, 'utf8') : '';
  if (current === content) continue;
  if (check) {
    console.error(`${path} is stale: run npm run compose and commit the result`);
    stale++;
  } else {
    writeFileSync(full, content);
    console.log(`wrote ${path}`);
  }
}
if (check && stale) process.exit(1);
if (check) console.log('supergraph and API schema are up to date');

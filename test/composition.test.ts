// The committed supergraph and API schema are exactly what the subgraph schemas compose to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_SCHEMA_PATH, composeSubgraphs, SUPERGRAPH_PATH } from '../schema/composition.js';

const root = join(__dirname, '..');

test('the subgraphs compose, and the committed files are not stale', () => {
  const result = composeSubgraphs(root);
  if ('errors' in result)
    throw new Error(result.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  expect(readFileSync(join(root, SUPERGRAPH_PATH), 'utf8')).toBe(result.supergraphSdl);
  expect(readFileSync(join(root, API_SCHEMA_PATH), 'utf8')).toBe(result.apiSchemaSdl);
});

test('a subgraph change that breaks composition is reported with its code', () => {
  const broken = readFileSync(join(root, 'subgraphs/case/schema.graphql'), 'utf8').replace(
    'type PageInfo @shareable {\n  hasNextPage: Boolean!',
    'type PageInfo @shareable {\n  hasNextPage: Int!',
  );
  const result = composeSubgraphs(root, { case: broken });
  expect('errors' in result && result.errors.map((e) => e.code)).toContain('FIELD_TYPE_MISMATCH');
});

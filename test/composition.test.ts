// The committed supergraph and API schema are exactly what the subgraph schemas compose to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTypeDefinitionNode, parse } from 'graphql';
import {
  API_SCHEMA_PATH,
  composeSdls,
  composeSubgraphs,
  SUPERGRAPH_PATH,
} from '../schema/composition.js';
import { COMMON_SCHEMA_PATH, SUBGRAPHS } from '../schema/subgraphs.js';

const root = join(__dirname, '..');

test('the subgraphs compose, and the committed files are not stale', () => {
  const result = composeSubgraphs(root);
  if ('errors' in result)
    throw new Error(result.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  expect(readFileSync(join(root, SUPERGRAPH_PATH), 'utf8')).toBe(result.supergraphSdl);
  expect(readFileSync(join(root, API_SCHEMA_PATH), 'utf8')).toBe(result.apiSchemaSdl);
});

const typeNames = (sdl: string) =>
  parse(sdl)
    .definitions.filter(isTypeDefinitionNode)
    .map((d) => d.name.value);

test('a subgraph change that breaks composition is reported with its code', () => {
  const sdl = readFileSync(join(root, 'subgraphs/case/schema.graphql'), 'utf8');
  const from = 'type Citizen @key(fields: "contactId") {\n  contactId: ID!';
  expect(sdl).toContain(from);
  const broken = sdl.replace(from, from.replace('ID!', 'Int!'));
  const result = composeSubgraphs(root, { case: broken });
  expect('errors' in result && result.errors.map((e) => e.code)).toContain('FIELD_TYPE_MISMATCH');
});

test('the common types are defined once: in lib/graphql/common.graphql, in no subgraph SDL', () => {
  const common = typeNames(readFileSync(join(root, COMMON_SCHEMA_PATH), 'utf8'));
  expect(common).toEqual(['Query', 'UserError', 'PageInfo', 'Money', 'DateTime', 'ErrorCode']);
  for (const s of SUBGRAPHS) {
    const own = typeNames(readFileSync(join(root, s.schemaPath), 'utf8'));
    expect({ [s.name]: own.filter((n) => common.includes(n)) }).toEqual({ [s.name]: [] });
  }
});

test('a syntax error names the file that holds it and its own line', () => {
  const own = (name: string) =>
    readFileSync(join(root, SUBGRAPHS.find((s) => s.name === name)!.schemaPath), 'utf8');
  const sdls = Object.fromEntries(SUBGRAPHS.map((s) => [s.name, own(s.name)]));
  const common = readFileSync(join(root, COMMON_SCHEMA_PATH), 'utf8');
  const commonLine = common.split('\n').findIndex((l) => l.includes('  endCursor: String')) + 1;
  const inCommon = composeSdls(
    sdls,
    common.replace('  endCursor: String', '  endCursor: String!!'),
  );
  expect(inCommon).toEqual({
    errors: [
      {
        code: 'INVALID_GRAPHQL',
        message: `${COMMON_SCHEMA_PATH}, line ${commonLine}, column 21: Syntax Error: Expected Name, found "!".`,
      },
    ],
  });
  const caseSdl = own('case').replace('  priority: String\n', '  priority: String!!\n');
  const caseLine = caseSdl.split('\n').findIndex((l) => l.includes('String!!')) + 1;
  expect(composeSdls({ ...sdls, case: caseSdl }, common)).toEqual({
    errors: [
      {
        code: 'INVALID_GRAPHQL',
        message: `subgraphs/case/schema.graphql, line ${caseLine}, column 20: Syntax Error: Expected Name, found "!".`,
      },
    ],
  });
});

test('a revision whose SDLs still define the common types themselves composes to the same graph', () => {
  // The schema check's base may predate lib/graphql/common.graphql.
  const common = readFileSync(join(root, COMMON_SCHEMA_PATH), 'utf8');
  const sdls = Object.fromEntries(
    SUBGRAPHS.map((s) => [s.name, readFileSync(join(root, s.schemaPath), 'utf8') + common]),
  );
  const result = composeSdls(sdls, common);
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
  expect(result.apiSchemaSdl).toBe(readFileSync(join(root, API_SCHEMA_PATH), 'utf8'));
});

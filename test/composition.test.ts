// The committed supergraph and API schema are exactly what the subgraph schemas compose to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildSchema, isTypeDefinitionNode, parse, type GraphQLEnumType } from 'graphql';
import {
  API_SCHEMA_PATH,
  composeSdls,
  composeSubgraphs,
  SUPERGRAPH_PATH,
} from '../schema/composition.js';
import { subgraphDocumentOf } from '../lib/graphql/subgraph-sdl.js';
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
  expect(common).toEqual([
    'Query',
    'Mutation',
    'UserError',
    'PageInfo',
    'Money',
    'UserErrorCode',
    'DateTime',
    'ErrorCode',
  ]);
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
  const caseSdl = own('case').replace('  origin: String\n', '  origin: String!!\n');
  const caseLine = caseSdl.split('\n').findIndex((l) => l.includes('String!!')) + 1;
  expect(composeSdls({ ...sdls, case: caseSdl }, common)).toEqual({
    errors: [
      {
        code: 'INVALID_GRAPHQL',
        message: `subgraphs/case/schema.graphql, line ${caseLine}, column 18: Syntax Error: Expected Name, found "!".`,
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

const subgraphSchemaOf = (name: string) =>
  buildSubgraphSchema({ typeDefs: subgraphDocumentOf(SUBGRAPHS.find((s) => s.name === name)!) });

test('the common Mutation (only a description) is part of the subgraphs that extend it, not customer', () => {
  const common = buildSchema(readFileSync(join(root, COMMON_SCHEMA_PATH), 'utf8'), {
    assumeValid: true,
  });
  const description = common.getType('Mutation')!.description;
  expect(description).toMatch(/^Writes of the Customer 360 graph\./);
  expect(subgraphSchemaOf('customer').getMutationType()).toBeUndefined();
  for (const name of ['case', 'commerce', 'session']) {
    const mutation = subgraphSchemaOf(name).getMutationType()!;
    expect({ [name]: mutation.description }).toEqual({ [name]: description });
    expect(Object.keys(mutation.getFields()).length).toBeGreaterThan(0);
  }
  const api = buildSchema(readFileSync(join(root, API_SCHEMA_PATH), 'utf8'));
  expect(api.getMutationType()!.description).toBe(description);
});

test('UserErrorCode: the common codes in every subgraph, each subgraph adding its own', () => {
  const codesOf = (name: string) =>
    (subgraphSchemaOf(name).getType('UserErrorCode') as GraphQLEnumType)
      .getValues()
      .map((v) => v.name);
  const common = [
    'FORBIDDEN',
    'IDEMPOTENCY_KEY_REUSED',
    'INVALID_IDEMPOTENCY_KEY',
    'INVALID_INPUT',
  ];
  expect(codesOf('customer')).toEqual(common);
  expect(codesOf('case')).toEqual([
    ...common,
    'BODY_REQUIRED',
    'BODY_TOO_LONG',
    'CONTACT_NOT_FOUND',
    'CONTACT_REQUIRED',
    'INPUT_TOO_LONG',
    'NOT_FOUND',
    'PICKLIST_VALUE_REFUSED',
    'SUBJECT_REQUIRED',
    'SUBJECT_TOO_LONG',
  ]);
  expect(codesOf('session').slice(0, common.length)).toEqual(common);
  expect(codesOf('session')).toContain('INVALID_CREDENTIALS');
  const api = buildSchema(readFileSync(join(root, API_SCHEMA_PATH), 'utf8'));
  const apiCodes = (api.getType('UserErrorCode') as GraphQLEnumType).getValues();
  expect(apiCodes.find((v) => v.name === 'FORBIDDEN')!.description).toBe(
    'The caller may not do this to that record.',
  );
  expect(new Set(apiCodes.map((v) => v.name)).size).toBe(apiCodes.length);
});

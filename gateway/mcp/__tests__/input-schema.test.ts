// A tool's input JSON Schema from GraphQL input types: what the canonical operations do not
// exercise (lists of inputs, enum value descriptions, custom scalars, recursion, hidden and
// required paths) on a small schema of its own.
import { buildSchema, type GraphQLInputType } from 'graphql';
import {
  IDEMPOTENCY_KEY_DESCRIPTION,
  idempotencyKeyPath,
  inputTypeSchema,
} from '../input-schema.js';

const schema = buildSchema(/* GraphQL */ `
  scalar DateTime
  "How urgent."
  enum Level {
    "Today."
    HIGH
    LOW
  }
  "A filter; filters nest."
  input Filter {
    "Field name."
    field: String!
    level: Level = LOW
    at: [DateTime!]
    and: [Filter!]
    idempotencyKey: String
    ownerId: ID
  }
  type Query {
    find(filter: Filter!): Int
  }
`);
const filter = schema.getType('Filter') as GraphQLInputType;
const none = { hidden: new Set<string>(), required: new Set<string>() };

test('input objects, lists, enums with their value descriptions, custom scalars', () => {
  const s = inputTypeSchema(filter, 'filter', none) as Record<string, any>;
  expect(s.description).toBe('A filter; filters nest.');
  expect(s.required).toEqual(['field']);
  expect(s.additionalProperties).toBe(false);
  expect(s.properties.field).toEqual({ type: 'string', description: 'Field name.' });
  expect(s.properties.level).toEqual({
    type: 'string',
    enum: ['HIGH', 'LOW'],
    description: 'How urgent.\nHIGH: Today.',
    default: 'LOW',
  });
  expect(s.properties.at).toEqual({
    type: 'array',
    items: { type: 'string', format: 'date-time' },
  });
  expect(s.properties.and.type).toBe('array');
  expect(s.properties.and.items.properties.field).toEqual(s.properties.field);
});

test('recursion stops at a fixed depth', () => {
  let s = inputTypeSchema(filter, 'filter', none) as Record<string, any>;
  let depth = 0;
  while (s.properties?.and) {
    s = s.properties.and.items;
    depth++;
  }
  expect(depth).toBe(3);
  expect(s).toEqual({ type: 'object', description: 'A filter; filters nest.' });
});

test('hidden paths are left out, required ones required, the key optional and explained', () => {
  const key = idempotencyKeyPath(filter, 'filter');
  expect(key).toBe('filter.idempotencyKey');
  const s = inputTypeSchema(filter, 'filter', {
    hidden: new Set(['filter.ownerId']),
    required: new Set(['filter.at']),
    idempotencyKeyPath: key,
  }) as Record<string, any>;
  expect(Object.keys(s.properties)).toEqual(['field', 'level', 'at', 'and', 'idempotencyKey']);
  expect(s.required).toEqual(['field', 'at']);
  expect(s.properties.idempotencyKey.description).toBe(IDEMPOTENCY_KEY_DESCRIPTION);
  // Nested copies hide their own paths only.
  expect(Object.keys(s.properties.and.items.properties)).toContain('ownerId');
});

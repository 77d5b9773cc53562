// introspectionFieldsRule: the introspection fields graphql-js knows and the query planner does
// not are refused during validation (a 400), and nothing else is.
import { buildSchema, parse, validate } from 'graphql';
import { introspectionFieldsRule } from '../introspection-fields.js';

const schema = buildSchema(`
  type Query { foo: Foo }
  type Foo { isOneOf: Boolean name: String }
`);
const errors = (query: string) =>
  validate(schema, parse(query), [introspectionFieldsRule]).map((e) => ({
    message: e.message,
    locations: e.locations,
  }));

test('__Type.isOneOf is refused, naming the field and what to do', () => {
  expect(errors('{ __type(name: "Foo") { name isOneOf } }')).toEqual([
    {
      message:
        'The gateway\'s query planner does not support the introspection field "__Type.isOneOf"; leave it out (e.g. getIntrospectionQuery without oneOf).',
      locations: [{ line: 1, column: 30 }],
    },
  ]);
  expect(errors('{ __schema { types { isOneOf } } }')).toHaveLength(1);
});

test('other introspection fields, and a field of ours named isOneOf, pass', () => {
  expect(errors('{ __type(name: "Foo") { name kind specifiedByURL } }')).toEqual([]);
  expect(errors('{ foo { isOneOf name } }')).toEqual([]);
  expect(errors('{ __typename }')).toEqual([]);
});

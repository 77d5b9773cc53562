// The widest merged selection set (lib/graphql/fields-per-set.ts): what a subgraph checks before
// Apollo's validation compares a set's fields pairwise. Boundaries, fragments, and linear work.
import { parse } from 'graphql';
import { fieldsPerSetRefusal, widestSelectionSet } from '../fields-per-set.js';

const fields = (n: number, name = 'id') => Array(n).fill(name).join(' ');

test('fields of one set, with spread and inline fragments merged in; nested sets apart', () => {
  expect(widestSelectionSet(parse(`{ ${fields(3)} }`))).toBe(3);
  expect(widestSelectionSet(parse(`{ a ...F ... on Q { b c } } fragment F on Q { d e f }`))).toBe(
    6,
  );
  // A nested set is its own: the widest of them counts, not their sum.
  expect(widestSelectionSet(parse(`{ a { ${fields(5)} } b { ${fields(4)} } }`))).toBe(5);
  // A fragment on its own (validated whatever runs) counts too.
  expect(widestSelectionSet(parse(`{ a } fragment F on Q { ${fields(7)} }`))).toBe(7);
  // A cycle counts nothing where it closes (validation refuses it).
  expect(
    widestSelectionSet(parse('{ ...A } fragment A on Q { x ...B } fragment B on Q { ...A }')),
  ).toBe(1);
});

test('at the limit passes; one above is refused with its name, max and count', () => {
  expect(
    fieldsPerSetRefusal(parse(`{ ${fields(400)} }`), 400, 'SUBGRAPH_MAX_FIELDS_PER_SET'),
  ).toBeUndefined();
  const r = fieldsPerSetRefusal(parse(`{ ${fields(401)} }`), 400, 'SUBGRAPH_MAX_FIELDS_PER_SET');
  expect(r?.message).toBe(
    'One selection set of the operation holds 401 fields once its fragments are merged into it; the limit is 400 (SUBGRAPH_MAX_FIELDS_PER_SET).',
  );
  expect(r?.extensions).toEqual({
    code: 'GRAPHQL_VALIDATION_FAILED',
    limit: 'SUBGRAPH_MAX_FIELDS_PER_SET',
    max: 400,
    found: 401,
    http: { status: 400 },
  });
});

test('a fragment spread k times, n deep, is summed once per spread: no expansion, no overflow', () => {
  let q = '{ ...F0 }';
  for (let i = 0; i < 6; i++)
    q += ` fragment F${i} on Q { ${Array(50)
      .fill(`...F${i + 1}`)
      .join(' ')} }`;
  q += ' fragment F6 on Q { id }';
  // 50⁶ fields merge into the operation's set: counted (saturating), never expanded.
  expect(widestSelectionSet(parse(q))).toBe(50 ** 6);
});

// lib/graphql: one `first` rule, one cursor codec, connections from a slice, one userError.
import type { GraphQLError } from 'graphql';
import {
  connectionFromSlice,
  decodeCursor,
  emptyConnection,
  encodeCursor,
  parsePage,
} from '../connection.js';
import { userError } from '../user-error.js';

const rejection = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const g = e as GraphQLError;
    return { message: g.message, extensions: g.extensions };
  }
  return null;
};

describe('parsePage', () => {
  const o = { kind: 'case', default: 10 };
  test('first: the default when absent, 0..100 accepted, anything else BAD_USER_INPUT on `first`', () => {
    expect(parsePage({}, o)).toEqual({ first: 10, offset: 0 });
    expect(parsePage({ first: null }, o)).toEqual({ first: 10, offset: 0 });
    expect(parsePage({ first: 0 }, o)).toEqual({ first: 0, offset: 0 });
    expect(parsePage({ first: 100 }, o)).toEqual({ first: 100, offset: 0 });
    for (const first of [101, -1, 1.5])
      expect(rejection(() => parsePage({ first }, o))).toEqual({
        message: 'first must be between 0 and 100.',
        extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      });
  });

  test('after: one past the cursor it names; a cursor of another kind or garbage is BAD_USER_INPUT on `after`', () => {
    expect(parsePage({ first: 5, after: encodeCursor('case', 9) }, o)).toEqual({
      first: 5,
      offset: 10,
    });
    for (const after of ['garbage', encodeCursor('order', 9), encodeCursor('case', -1)])
      expect(rejection(() => parsePage({ after }, o))).toEqual({
        message: 'after is not a valid cursor.',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
  });
});

test('the cursor codec: opaque base64url of kind and index, and back', () => {
  expect(encodeCursor('case', 0)).toBe(Buffer.from('case:0').toString('base64url'));
  expect(decodeCursor('order', encodeCursor('order', 42))).toBe(42);
  expect(decodeCursor('order', encodeCursor('case', 42))).toBeNull();
});

test('connectionFromSlice: cursors by position, pageInfo from the offset and totalCount', () => {
  expect(connectionFromSlice(['c', 'd'], { kind: 'x', offset: 2, totalCount: 5 })).toEqual({
    edges: [
      { cursor: encodeCursor('x', 2), node: 'c' },
      { cursor: encodeCursor('x', 3), node: 'd' },
    ],
    pageInfo: {
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor('x', 2),
      endCursor: encodeCursor('x', 3),
    },
    totalCount: 5,
  });
  const last = connectionFromSlice(['e'], { kind: 'x', offset: 4, totalCount: 5 });
  expect(last.pageInfo.hasNextPage).toBe(false);
  const told = connectionFromSlice(['e'], {
    kind: 'x',
    offset: 4,
    totalCount: 5,
    hasNextPage: true,
  });
  expect(told.pageInfo.hasNextPage).toBe(true);
  expect(emptyConnection()).toEqual({
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount: 0,
  });
});

test('userError: named arguments, field null unless given', () => {
  expect(userError({ code: 'EMPTY_CART', message: 'The cart is empty.' })).toEqual({
    code: 'EMPTY_CART',
    field: null,
    message: 'The cart is empty.',
  });
  expect(userError({ code: 'X', field: ['input', 'a'], message: 'm' }).field).toEqual([
    'input',
    'a',
  ]);
});

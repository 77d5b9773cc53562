// Relay connections, the same way in every subgraph (`first` capped at 100,
// docs/salesforce/access-model.md#connections). One rule for `first` (an integer 0..max, else
// BAD_USER_INPUT with field `first`), one cursor codec (an opaque base64url `{kind}:{index}` naming
// the edge's 0-based position), and the connection built from the slice of nodes a page read.
import { ErrorCode, graphqlError } from '../errors.js';

export const MAX_FIRST = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  /** How many nodes to return (0..max). */
  first: number;
  /** Position of the first node to return: 0, or one past the `after` cursor's node. */
  offset: number;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
  totalCount: number;
}

/** The cursor of the node at `index` (0-based) in a connection of `kind`. */
export const encodeCursor = (kind: string, index: number): string =>
  Buffer.from(`${kind}:${index}`).toString('base64url');

/** The index a cursor of `kind` names, or null when it is not one. */
export function decodeCursor(kind: string, cursor: string): number | null {
  const m = /^([a-z]+):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m && m[1] === kind ? Number(m[2]) : null;
}

/** `first` and `after` checked and turned into a page; a bad value is BAD_USER_INPUT naming the argument. */
export function parsePage(
  args: PageArgs,
  o: { kind: string; default: number; max?: number },
): Page {
  const max = o.max ?? MAX_FIRST;
  const first = args.first ?? o.default;
  if (!Number.isInteger(first) || first < 0 || first > max)
    throw graphqlError(ErrorCode.BAD_USER_INPUT, `first must be between 0 and ${max}.`, {
      field: 'first',
    });
  if (!args.after) return { first, offset: 0 };
  const at = decodeCursor(o.kind, args.after);
  if (at === null)
    throw graphqlError(ErrorCode.BAD_USER_INPUT, 'after is not a valid cursor.', {
      field: 'after',
    });
  return { first, offset: at + 1 };
}

/**
 * The connection over `nodes`, the slice that starts at `offset`. `hasNextPage` defaults to
 * "nodes remain by totalCount"; an upstream that says so itself (a next page URL) passes it.
 */
export function connectionFromSlice<T>(
  nodes: readonly T[],
  o: { kind: string; offset: number; totalCount: number; hasNextPage?: boolean },
): Connection<T> {
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(o.kind, o.offset + i), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: o.hasNextPage ?? o.offset + nodes.length < o.totalCount,
      hasPreviousPage: o.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: o.totalCount,
  };
}

/** No nodes: what a caller who may not see a connection, or a key that names nothing, gets. */
export const emptyConnection = <T = never>(): Connection<T> => ({
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
});

// THE list of subgraphs, as pure data: read by codegen, composition, the harness and `npm start`.
// It imports nothing, so it works on a fresh clone before any generated file exists.
export interface SubgraphInfo {
  name: 'customer' | 'case' | 'commerce' | 'session';
  /**
   * Path of the subgraph's own SDL from the repository root. Its schema is this file plus the
   * graph's common types: sdlFilesOf.
   */
  schemaPath: string;
  defaultPort: number;
  /** Environment variable that overrides the URL the gateway uses. */
  urlEnv: string;
  /**
   * The client's bearer token is forwarded to this subgraph (the session subgraph revokes and
   * introspects it). Every other subgraph sees only the signed principal: a token that never
   * reaches a service cannot leak from it.
   */
  receivesBearerToken?: boolean;
}

export const SUBGRAPHS: readonly SubgraphInfo[] = [
  {
    name: 'customer',
    schemaPath: 'subgraphs/customer/schema.graphql',
    defaultPort: 4001,
    urlEnv: 'CUSTOMER_SUBGRAPH_URL',
  },
  {
    name: 'case',
    schemaPath: 'subgraphs/case/schema.graphql',
    defaultPort: 4002,
    urlEnv: 'CASE_SUBGRAPH_URL',
  },
  {
    name: 'commerce',
    schemaPath: 'subgraphs/commerce/schema.graphql',
    defaultPort: 4003,
    urlEnv: 'COMMERCE_SUBGRAPH_URL',
  },
  {
    name: 'session',
    schemaPath: 'subgraphs/session/schema.graphql',
    defaultPort: 4004,
    urlEnv: 'SESSION_SUBGRAPH_URL',
    receivesBearerToken: true,
  },
];

/**
 * The graph's common types (UserError, PageInfo, Money, DateTime, ErrorCode), defined once and part
 * of every subgraph's schema.
 */
export const COMMON_SCHEMA_PATH = 'lib/graphql/common.graphql';

/**
 * The SDL files that make up a subgraph's schema, in order: its own, then the common types. The
 * one list that codegen, composition and the subgraph servers read (lib/graphql/subgraph-sdl.ts).
 */
export const sdlFilesOf = (s: SubgraphInfo): string[] => [s.schemaPath, COMMON_SCHEMA_PATH];

export const defaultSubgraphUrl = (s: SubgraphInfo) => `http://127.0.0.1:${s.defaultPort}/graphql`;

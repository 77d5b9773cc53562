// Values inlined by scripts/build-graphiql.ts through esbuild `define`.

/** The canonical operations from test/operations/*.graphql, one GraphiQL tab each. */
declare const __C360_OPERATIONS__: ReadonlyArray<{
  name: string;
  /** The operation's name (the tab's title). */
  operationName: string;
  query: string;
  variables: string;
}>;

// A subgraph's schema as one document: the SDL files schema/subgraphs.ts sdlFilesOf lists (its own
// schema.graphql, then the graph's common types), read the same way by every subgraph server and
// by composition. Each file is parsed as itself, so a syntax error names that file and its line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GraphQLError,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  parse,
  Source,
  type DefinitionNode,
  type DocumentNode,
} from 'graphql';
import { sdlFilesOf, SUBGRAPHS, type SubgraphInfo } from '../../schema/subgraphs.js';

/** The repository root (this file is lib/graphql/subgraph-sdl.ts), under tsx, node and jest alike. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SdlFile {
  /** Repository-relative path: named in syntax errors. */
  path: string;
  sdl: string;
}

/**
 * An object type defined without fields (the common `type Mutation`, which carries only the
 * description): a schema may not have it as such, so it is taken only when some file extends it.
 * A subgraph without mutations (customer) then has no Mutation type at all, while the others write
 * `extend type Mutation { … }` as every subgraph does for Query. Simpler than a Mutation file per
 * subgraph kind, and the rule is about the document, not about names.
 */
const isFieldlessObjectType = (d: DefinitionNode): boolean =>
  d.kind === Kind.OBJECT_TYPE_DEFINITION && !d.fields?.length;

/**
 * One document from the files in order. A type a file defines is not taken again from a later
 * file: a revision from before the common types were shared defines them in its own SDL and must
 * still compose (the schema check's base). The working tree redefines none
 * (test/composition.test.ts), so there the common file is the only definition. A fieldless object
 * type is taken only when it is extended (isFieldlessObjectType).
 */
export function subgraphDocument(files: readonly SdlFile[]): DocumentNode {
  const parsed = files.map((file) => parse(new Source(file.sdl, file.path)).definitions);
  const extended = new Set(
    parsed.flatMap((ds) => ds.filter(isTypeExtensionNode).map((d) => d.name.value)),
  );
  const defined = new Set<string>();
  const definitions: DefinitionNode[] = [];
  for (const fileDefinitions of parsed) {
    const names: string[] = [];
    for (const d of fileDefinitions) {
      if (isTypeDefinitionNode(d)) {
        if (defined.has(d.name.value)) continue;
        if (isFieldlessObjectType(d) && !extended.has(d.name.value)) continue;
        names.push(d.name.value);
      }
      definitions.push(d);
    }
    for (const n of names) defined.add(n);
  }
  return { kind: Kind.DOCUMENT, definitions };
}

/** Reads a repository-relative path from `root`. */
export const readFrom =
  (root: string) =>
  (path: string): string =>
    readFileSync(join(root, path), 'utf8');

/**
 * A subgraph's schema document: sdlFilesOf's files in order, each from `read` (a checkout, or
 * replacements such as another revision's own SDL).
 */
export function subgraphDocumentOf(
  s: SubgraphInfo,
  read: (path: string) => string = readFrom(REPOSITORY_ROOT),
): DocumentNode {
  return subgraphDocument(sdlFilesOf(s).map((path) => ({ path, sdl: read(path) })));
}

/** The typeDefs a subgraph server builds its schema from. */
export function loadSubgraphTypeDefs(name: SubgraphInfo['name']): DocumentNode {
  return subgraphDocumentOf(SUBGRAPHS.find((s) => s.name === name)!);
}

/** A parse error as `path, line L, column C: message` (the file is the one that holds the error). */
export function sdlErrorMessage(err: unknown): string {
  if (!(err instanceof GraphQLError)) return (err as Error).message;
  const at = err.locations?.[0];
  const where = [err.source?.name, at && `line ${at.line}, column ${at.column}`].filter(Boolean);
  return where.length ? `${where.join(', ')}: ${err.message}` : err.message;
}

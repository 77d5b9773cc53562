// runSchemaCheck: compose the new subgraphs, diff the API schema against the base's, validate the
// clients' operations (the canonical ones and the example portal's), and decide. Exit 1 on: composition errors, invalid operations, a breaking
// change a canonical operation uses, or an unused breaking change not acknowledged in
// schema/acknowledged-breaking-changes.json. Dangerous and safe changes pass.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { diff, type Change } from '@graphql-inspector/core';
import {
  buildSchema,
  GraphQLSchema,
  Kind,
  parse,
  validate,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
} from 'graphql';
import { COMMON_SCHEMA_PATH, SUBGRAPHS } from '../../schema/subgraphs.js';
import { composeSdls } from './compose.js';
import {
  commonSdlFromDir,
  commonSdlFromGit,
  defaultBaseRef,
  sdlsFromDir,
  sdlsFromGit,
} from './sources.js';
import { collectUsage, OPERATION_DIRS, touches, type Usage } from './usage.js';
import { renderReport } from './report.js';

export interface SchemaCheckOptions {
  /**
   * Holds subgraphs/<name>/schema.graphql, lib/graphql/common.graphql, the operations
   * (OPERATION_DIRS), schema/acknowledged-breaking-changes.json.
   */
  root: string;
  /** Base subgraph SDLs and common types from this directory (same layout as root) instead of git. */
  baseDir?: string;
  /** Git ref of the base (default: sources.ts defaultBaseRef — origin/main, else the default branch; else an error). */
  base?: string;
  /** Where to write the Markdown report (relative to the current directory); omit to not write. */
  reportPath?: string;
}

export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

export interface CheckedChange {
  level: Level;
  coordinate: string;
  message: string;
  /** Canonical operations that touch the coordinate (breaking and dangerous changes). */
  usedBy: string[];
  /** Reason from the acknowledgements file, when listed. */
  acknowledged?: string;
  /** This change alone fails the check. */
  blocking: boolean;
}

export interface OperationProblem {
  operation: string;
  errors: string[];
}

export interface SchemaCheckResult {
  exitCode: 0 | 1;
  baseLabel: string;
  compositionErrors: Array<{ code: string; message: string }>;
  baseWarnings: string[];
  changes: CheckedChange[];
  invalidOperations: OperationProblem[];
  /** Acknowledgements that match no breaking change any more (worth deleting). */
  staleAcknowledgements: string[];
  summary: string;
  report: string;
}

interface Acknowledgement {
  coordinate: string;
  reason: string;
  /**
   * The operations whose owners reviewed the break. A breaking change an operation uses blocks
   * unless that operation is listed here: acknowledging a break of a used field is a decision
   * about named operations, never a blanket one.
   */
  operationsReviewed?: string[];
}

export const ACKNOWLEDGEMENTS_PATH = 'schema/acknowledged-breaking-changes.json';

function readAcknowledgements(root: string): Acknowledgement[] {
  const file = join(root, ACKNOWLEDGEMENTS_PATH);
  if (!existsSync(file)) return [];
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (
    !Array.isArray(data) ||
    !data.every(
      (a) =>
        typeof a?.coordinate === 'string' &&
        typeof a?.reason === 'string' &&
        (a.operationsReviewed === undefined ||
          (Array.isArray(a.operationsReviewed) &&
            a.operationsReviewed.every((o: unknown) => typeof o === 'string'))),
    )
  ) {
    throw new Error(
      `${ACKNOWLEDGEMENTS_PATH} must be an array of { "coordinate": "Type.field", "reason": "…" }`,
    );
  }
  return data;
}

interface ReadOperation {
  /** The operation's name (or `file.graphql` for an anonymous operation or a file that fails to parse). */
  name: string;
  /** The operation with the fragments it spreads (transitively); undefined when its file did not parse. */
  doc?: DocumentNode;
  parseError?: string;
}

/** The fragments `def` spreads, directly or through other fragments, from `fragments`. */
function spreadFragments(
  def: DefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const f = fragments.get(spread.name.value);
        if (f && !found.has(f.name.value)) {
          found.set(f.name.value, f);
          walk(f);
        }
      },
    });
  walk(def);
  return [...found.values()];
}

function readOperations(root: string): ReadOperation[] {
  const out: ReadOperation[] = [];
  for (const rel of OPERATION_DIRS) {
    const dir = join(root, rel);
    if (!existsSync(dir)) continue;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.graphql'))
      .sort();
    const parsed: Array<{ file: string; doc: DocumentNode }> = [];
    for (const file of files) {
      try {
        parsed.push({ file, doc: parse(readFileSync(join(dir, file), 'utf8')) });
      } catch (err) {
        out.push({ name: file, parseError: (err as Error).message });
      }
    }
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const { doc } of parsed)
      for (const d of doc.definitions)
        if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    for (const { file, doc } of parsed)
      for (const d of doc.definitions)
        if (d.kind === Kind.OPERATION_DEFINITION)
          out.push({
            name: d.name?.value ?? file,
            doc: { kind: Kind.DOCUMENT, definitions: [d, ...spreadFragments(d, fragments)] },
          });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const emptySchema = () => new GraphQLSchema({});

/** graphql-inspector change types that deprecate something (NON_BREAKING to it). */
const DEPRECATIONS = new Set<string>([
  'FIELD_DEPRECATION_ADDED',
  'ENUM_VALUE_DEPRECATION_REASON_ADDED',
]);

/**
 * Each SDL file that does not parse, the subgraphs' own and the common types: `INVALID_GRAPHQL`
 * naming what it holds, the file, line and column.
 */
function syntaxErrorsOf(
  sdls: Record<string, string | undefined>,
  commonSdl: string | undefined,
  root: string,
) {
  const files = [
    ...SUBGRAPHS.map((s) => ({
      what: `subgraph ${s.name}`,
      path: s.schemaPath,
      sdl: sdls[s.name],
    })),
    { what: 'common types', path: COMMON_SCHEMA_PATH, sdl: commonSdl },
  ];
  const errors: Array<{ code: string; message: string }> = [];
  for (const { what, path, sdl } of files) {
    if (sdl === undefined) continue;
    try {
      parse(sdl);
    } catch (err) {
      const e = err as GraphQLError;
      const at = e.locations?.[0];
      errors.push({
        code: 'INVALID_GRAPHQL',
        message:
          `${what} (${relative(root, join(root, path))}` +
          `${at ? `, line ${at.line}, column ${at.column}` : ''}): ${e.message}`,
      });
    }
  }
  return errors;
}

export async function runSchemaCheck(options: SchemaCheckOptions): Promise<SchemaCheckResult> {
  const root = resolve(options.root);
  const acknowledgements = readAcknowledgements(root);

  // New side: root's subgraph SDLs with root's common types (never this checkout's: with
  // --root, the common types come from the tree under check). Syntax errors name the file.
  const newSdls = sdlsFromDir(root);
  const newCommonSdl = commonSdlFromDir(root);
  const syntaxErrors = syntaxErrorsOf(newSdls, newCommonSdl, root);
  const composed = syntaxErrors.length
    ? { errors: syntaxErrors }
    : composeSdls(newSdls, newCommonSdl);

  // Base side: a directory or a git ref, with the common types of that same base, so a change to
  // a common type is diffed like any other; no subgraphs there = initial (everything is an
  // addition). A base without the common file predates it: its own SDLs define those types.
  const baseWarnings: string[] = [];
  let baseLabel: string;
  let baseSdls;
  let baseCommonSdl: string | undefined;
  if (options.baseDir) {
    baseLabel = options.baseDir;
    baseSdls = sdlsFromDir(resolve(options.baseDir));
    baseCommonSdl = commonSdlFromDir(resolve(options.baseDir));
  } else {
    const ref = options.base ?? defaultBaseRef(root);
    baseLabel = ref;
    baseSdls = sdlsFromGit(root, ref);
    baseCommonSdl = commonSdlFromGit(root, ref);
  }
  let baseSchema = emptySchema();
  if (Object.keys(baseSdls).length === 0) {
    baseWarnings.push('The base has no subgraph schemas: treating it as empty (initial check).');
  } else {
    const base = composeSdls(baseSdls, baseCommonSdl);
    if ('errors' in base) {
      baseWarnings.push(
        `The base does not compose (${base.errors.map((e) => e.code).join(', ')}): treating it as empty.`,
      );
    } else {
      baseSchema = buildSchema(base.apiSchemaSdl);
    }
  }

  const finish = (
    r: Omit<SchemaCheckResult, 'summary' | 'report' | 'baseLabel' | 'baseWarnings'>,
  ) => {
    const full = { ...r, baseLabel, baseWarnings, summary: '', report: '' };
    full.summary = summarize(full);
    full.report = renderReport(full);
    if (options.reportPath) writeFileSync(options.reportPath, full.report);
    return full;
  };

  if ('errors' in composed) {
    return finish({
      exitCode: 1,
      compositionErrors: composed.errors,
      changes: [],
      invalidOperations: [],
      staleAcknowledgements: [],
    });
  }
  const newSchema = buildSchema(composed.apiSchemaSdl);

  // Operations: valid against the new API schema, and what each one touches (on both sides, so a
  // removed field still counts as used by the operation that selected it).
  const invalidOperations: OperationProblem[] = [];
  const usages: Array<{ name: string; usage: Usage }> = [];
  for (const op of readOperations(root)) {
    const doc = op.doc;
    if (!doc) {
      invalidOperations.push({ operation: op.name, errors: [op.parseError ?? 'unreadable'] });
      continue;
    }
    const errors = validate(newSchema, doc);
    if (errors.length)
      invalidOperations.push({ operation: op.name, errors: errors.map((e) => e.message) });
    const usage: Usage = { fields: new Set(), types: new Set() };
    collectUsage(baseSchema, doc, usage);
    collectUsage(newSchema, doc, usage);
    usages.push({ name: op.name, usage });
  }

  const raw: Change[] = await diff(baseSchema, newSchema);
  const schemas = [baseSchema, newSchema];
  const usedAcks = new Set<string>();
  const changes: CheckedChange[] = raw.map((c) => {
    // A new deprecation is harmless in itself, but an operation that selects the field will have
    // to move: dangerous when a canonical operation uses it, and the report names the operation.
    const deprecation = DEPRECATIONS.has(c.type);
    const touched = usages.filter((u) => touches(c.path, u.usage, schemas)).map((u) => u.name);
    const level: Level =
      deprecation && touched.length ? 'DANGEROUS' : (c.criticality.level as Level);
    // graphql-inspector puts deprecations at `Type.field.@deprecated`: report the field.
    const coordinate = (c.path ?? '(schema)').replace(/\.@deprecated$/, '');
    const usedBy = level === 'NON_BREAKING' ? [] : touched;
    const ack =
      level === 'BREAKING' ? acknowledgements.find((a) => a.coordinate === coordinate) : undefined;
    if (ack) usedAcks.add(ack.coordinate);
    const reviewed = new Set(ack?.operationsReviewed ?? []);
    const blocking =
      level === 'BREAKING' && (!ack || usedBy.some((operation) => !reviewed.has(operation)));
    return { level, coordinate, message: c.message, usedBy, acknowledged: ack?.reason, blocking };
  });
  const order: Record<Level, number> = { BREAKING: 0, DANGEROUS: 1, NON_BREAKING: 2 };
  changes.sort(
    (a, b) => order[a.level] - order[b.level] || a.coordinate.localeCompare(b.coordinate),
  );

  const failed = invalidOperations.length > 0 || changes.some((c) => c.blocking);
  return finish({
    exitCode: failed ? 1 : 0,
    compositionErrors: [],
    changes,
    invalidOperations,
    staleAcknowledgements: acknowledgements
      .map((a) => a.coordinate)
      .filter((c) => !usedAcks.has(c)),
  });
}

function summarize(r: SchemaCheckResult): string {
  if (r.compositionErrors.length) {
    return [
      `FAIL: composition failed with ${r.compositionErrors.length} error(s)`,
      ...r.compositionErrors.map((e) => `  ${e.code}: ${e.message}`),
    ].join('\n');
  }
  const count = (l: Level) => r.changes.filter((c) => c.level === l).length;
  const lines = [
    `${r.exitCode ? 'FAIL' : 'PASS'}: ${count('BREAKING')} breaking, ${count('DANGEROUS')} dangerous, ` +
      `${count('NON_BREAKING')} safe change(s) against ${r.baseLabel}; ${r.invalidOperations.length} invalid operation(s)`,
  ];
  for (const w of r.baseWarnings) lines.push(`  note: ${w}`);
  for (const c of r.changes.filter((x) => x.level === 'BREAKING')) {
    const status = c.usedBy.length
      ? `used by ${c.usedBy.join(', ')}`
      : c.acknowledged
        ? `acknowledged: ${c.acknowledged}`
        : `not acknowledged in ${ACKNOWLEDGEMENTS_PATH}`;
    lines.push(`  BREAKING ${c.coordinate}: ${c.message} (${status})`);
  }
  for (const c of r.changes.filter((x) => x.level === 'DANGEROUS' && x.usedBy.length))
    lines.push(`  DANGEROUS ${c.coordinate}: ${c.message} (used by ${c.usedBy.join(', ')})`);
  for (const op of r.invalidOperations)
    lines.push(`  INVALID ${op.operation}: ${op.errors.join('; ')}`);
  return lines.join('\n');
}

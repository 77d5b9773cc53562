// The one analysis of an operation every way in runs before any other work: call it on the parsed
// document; it answers whether to refuse, and why, from two passes over the document's own nodes
// (its shape, then its cost) — never over its expansion:
//
//   analyzeOperation(document, {
//     limits,          // GatewayConfig['limits']: maxSelections, maxFieldsPerSet, maxDepth,
//                      // maxAliases, maxDirectives, maxUpstreamCalls
//     operationName?,  // which operation of the document (the only one when omitted)
//     variables?,      // the request's variables (the estimate reads `first`, `ids`)
//     cost?,           // { schema, model }: also estimate Salesforce calls (omitted: the
//                      // structural limits only, no schema needed)
//   }) → { refusal?, selections, fieldsPerSet, depth, aliases, directives, estimate?, steps }
//
// `refusal` is a GraphQLError to answer with HTTP 400 (refusalBody gives the JSON) before
// validating, planning or running: GRAPHQL_VALIDATION_FAILED with `extensions.limit` naming the
// variable (MAX_QUERY_SELECTIONS, MAX_QUERY_FIELDS_PER_SET, MAX_QUERY_DEPTH, MAX_QUERY_ALIASES,
// MAX_QUERY_DIRECTIVES), or
// COST_LIMIT_EXCEEDED with `estimatedUpstreamCalls`. POST and GET /graphql and persisted
// documents (operationLimits below, then queryCostPlugin), APQ, @defer and in-process executions
// call it; another transport calls `Gateway.analyze(document, { operationName, variables })`
// (server.ts: this function bound to the gateway's limits, schema and costs), or refusalOfText
// for the structural limits of a text it has not parsed yet.
//
// Linear in the document: every fragment is summarised once (memoised by name) and each spread
// multiplies its summary in, so `k` sibling spreads nested `n` deep cost k·n steps, not kⁿ. The
// counts saturate instead of overflowing; a fragment spread inside itself counts 0 (graphql-js
// validation refuses the cycle). `steps` counts the selection nodes visited, for tests.
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { NextFunction, Request, Response } from 'express';
import { ErrorCode } from '../lib/errors.js';
import { estimateUpstreamCalls, type CostModel } from './query-cost.js';

/** The limits (GatewayConfig['limits'] has them all). */
export interface OperationLimits {
  /** Selections (fields, fragment spreads, inline fragments) once fragments are expanded. */
  maxSelections: number;
  /**
   * Fields one selection set holds once its fragments (spread or inline) are merged into it:
   * graphql-js's OverlappingFieldsCanBeMerged compares them pairwise, so a flood of repeated
   * fields under the token limit would cost validation quadratic work.
   */
  maxFieldsPerSet: number;
  /** Nested fields on the longest path (`{ a { b } }` is 2). */
  maxDepth: number;
  /** Aliased fields once fragments are expanded (`__typename` aliases are free). */
  maxAliases: number;
  /** Directives once fragments are expanded. */
  maxDirectives: number;
  /** Estimated Salesforce calls (when a cost model is given). */
  maxUpstreamCalls: number;
}

export interface AnalyzeOptions {
  limits: OperationLimits;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  /** The API schema and the subgraphs' declared costs: adds the estimate and its limit. */
  cost?: { schema: GraphQLSchema; model: CostModel };
}

export interface OperationAnalysis {
  /** Answer this (HTTP 400) instead of running the operation. */
  refusal?: GraphQLError;
  /** The operation to run; undefined when the document names none (Apollo reports that). */
  operation?: OperationDefinitionNode;
  selections: number;
  depth: number;
  aliases: number;
  directives: number;
  /** The most fields one selection set holds once its fragments are merged into it. */
  fieldsPerSet: number;
  /** Estimated Salesforce calls, when a cost model was given and the structure is within limits. */
  estimate?: number;
  /** Nodes visited: at most a small multiple of the document's nodes, whatever it expands to. */
  steps: number;
}

/** Counts stop here: larger than any limit, far from losing integer precision. */
const SATURATED = 1e15;
const sat = (n: number) => (n > SATURATED ? SATURATED : n);

interface Shape {
  selections: number;
  depth: number;
  aliases: number;
  directives: number;
  /** Fields this set gives the set it is merged into (its own, and its fragments'). */
  flat: number;
  /** The widest set within (itself included), each with its fragments merged. */
  fieldsPerSet: number;
}
const EMPTY: Shape = {
  selections: 0,
  depth: 0,
  aliases: 0,
  directives: 0,
  flat: 0,
  fieldsPerSet: 0,
};

/**
 * Introspection is exempt from MAX_QUERY_DEPTH, not from the other limits: the introspection
 * query every tool sends (GraphiQL, codegen, Apollo's and urql's devtools) nests `ofType` 15 deep,
 * and its recursion is bounded by graphql-js's own MaxIntrospectionDepthRule (part of
 * `specifiedRules` since graphql 16.9: `fields`/`interfaces`/`possibleTypes`/`inputFields` at most
 * three levels), which validation runs after this analysis. Its selections, aliases and
 * directives still count, so its size stays bounded here.
 */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);
const flatIfIntrospection = (typeCondition: string | undefined, shape: Shape): Shape =>
  typeCondition?.startsWith('__') ? { ...shape, depth: 0 } : shape;

/** The operation named `operationName`, or the only one. */
export function operationOf(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(d.name.value))
      fragments.set(d.name.value, d);
  return fragments;
}

function validationError(message: string, limit: string, max: number, found: number) {
  return new GraphQLError(message, {
    extensions: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit,
      max,
      found,
      http: { status: 400 },
    },
  });
}

export function costRefusal(estimate: number, max: number) {
  return new GraphQLError(
    `This query could cost about ${estimate} Salesforce API calls; the limit is ${max}. Ask for fewer items.`,
    {
      extensions: {
        code: ErrorCode.COST_LIMIT_EXCEEDED,
        estimatedUpstreamCalls: estimate,
        limit: max,
        http: { status: 400 },
      },
    },
  );
}

export function analyzeOperation(
  document: DocumentNode,
  options: AnalyzeOptions,
): OperationAnalysis {
  const { limits } = options;
  const fragments = fragmentsOf(document);
  let steps = 0;
  const operation = operationOf(document, options.operationName);

  // 1. The expanded shape, each fragment summarised once.
  const shapes = new Map<string, Shape | 'visiting'>();
  const fragmentShape = (name: string): Shape => {
    const known = shapes.get(name);
    if (known === 'visiting') return EMPTY; // a cycle: validation refuses it
    if (known) return known;
    const frag = fragments.get(name);
    if (!frag) return EMPTY; // unknown: validation refuses it
    shapes.set(name, 'visiting');
    const shape = flatIfIntrospection(frag.typeCondition.name.value, setShape(frag.selectionSet));
    shapes.set(name, shape);
    return shape;
  };
  const setShape = (set: SelectionSetNode): Shape => {
    let selections = 0;
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    let flat = 0;
    let fieldsPerSet = 0;
    for (const sel of set.selections) {
      steps++;
      directives += sel.directives?.length ?? 0;
      let inner: Shape;
      if (sel.kind === Kind.FIELD) {
        inner = sel.selectionSet ? setShape(sel.selectionSet) : EMPTY;
        if (sel.alias && sel.name.value !== '__typename') aliases++;
        if (INTROSPECTION_ROOTS.has(sel.name.value)) inner = { ...inner, depth: 0 };
        depth = Math.max(depth, inner.depth + 1);
        flat = sat(flat + 1);
      } else {
        inner =
          sel.kind === Kind.INLINE_FRAGMENT
            ? flatIfIntrospection(sel.typeCondition?.name.value, setShape(sel.selectionSet))
            : fragmentShape(sel.name.value);
        depth = Math.max(depth, inner.depth);
        flat = sat(flat + inner.flat);
      }
      fieldsPerSet = Math.max(fieldsPerSet, inner.fieldsPerSet);
      selections = sat(selections + 1 + inner.selections);
      aliases = sat(aliases + inner.aliases);
      directives = sat(directives + inner.directives);
    }
    return {
      selections,
      depth,
      aliases,
      directives,
      flat,
      fieldsPerSet: Math.max(fieldsPerSet, flat),
    };
  };
  // graphql-js validates every definition of the document, whichever operation runs (and
  // before it finds none to run): each operation and each fragment is within the limits, or the
  // document is refused. The counts reported are the largest.
  let shape = EMPTY;
  const widen = (s: Shape) => {
    shape = {
      selections: Math.max(shape.selections, s.selections),
      depth: Math.max(shape.depth, s.depth),
      aliases: Math.max(shape.aliases, s.aliases),
      directives: Math.max(shape.directives, s.directives),
      flat: 0,
      fieldsPerSet: Math.max(shape.fieldsPerSet, s.fieldsPerSet),
    };
  };
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION) widen(setShape(d.selectionSet));
    else if (d.kind === Kind.FRAGMENT_DEFINITION) widen(fragmentShape(d.name.value));
  const { flat: _flat, ...counts } = shape;
  const result: OperationAnalysis = { operation, ...counts, steps };
  const refuse = (refusal: GraphQLError): OperationAnalysis => ({ ...result, steps, refusal });

  if (shape.selections > limits.maxSelections)
    return refuse(
      validationError(
        `The operation selects ${shape.selections} fields and fragments once its fragments are expanded; the limit is ${limits.maxSelections} (MAX_QUERY_SELECTIONS).`,
        'MAX_QUERY_SELECTIONS',
        limits.maxSelections,
        shape.selections,
      ),
    );
  if (shape.fieldsPerSet > limits.maxFieldsPerSet)
    return refuse(
      validationError(
        `One selection set of the operation holds ${shape.fieldsPerSet} fields once its fragments are merged into it; the limit is ${limits.maxFieldsPerSet} (MAX_QUERY_FIELDS_PER_SET).`,
        'MAX_QUERY_FIELDS_PER_SET',
        limits.maxFieldsPerSet,
        shape.fieldsPerSet,
      ),
    );
  if (shape.depth > limits.maxDepth)
    return refuse(
      validationError(
        `The operation nests fields ${shape.depth} deep; the limit is ${limits.maxDepth} (MAX_QUERY_DEPTH).`,
        'MAX_QUERY_DEPTH',
        limits.maxDepth,
        shape.depth,
      ),
    );
  if (shape.aliases > limits.maxAliases)
    return refuse(
      validationError(
        `The operation uses ${shape.aliases} aliases; the limit is ${limits.maxAliases} (MAX_QUERY_ALIASES).`,
        'MAX_QUERY_ALIASES',
        limits.maxAliases,
        shape.aliases,
      ),
    );
  if (shape.directives > limits.maxDirectives)
    return refuse(
      validationError(
        `The operation uses ${shape.directives} directives; the limit is ${limits.maxDirectives} (MAX_QUERY_DIRECTIVES).`,
        'MAX_QUERY_DIRECTIVES',
        limits.maxDirectives,
        shape.directives,
      ),
    );
  if (!options.cost || !operation) return { ...result, steps };

  // 2. The estimate, each fragment costed once and multiplied.
  const estimate = estimateUpstreamCalls(
    options.cost.schema,
    operation,
    fragments,
    options.variables ?? {},
    options.cost.model,
    () => steps++,
  );
  if (estimate > limits.maxUpstreamCalls)
    return { ...refuse(costRefusal(estimate, limits.maxUpstreamCalls)), estimate };
  return { ...result, estimate, steps };
}

/** The refusal as the JSON body every limit answers with (HTTP 400). */
export function refusalBody(refusal: GraphQLError) {
  const { http: _http, ...extensions } = refusal.extensions as Record<string, unknown>;
  return { errors: [{ message: refusal.message, extensions }] };
}

/** The request's document text and operation name (POST body or GET search). */
function requestOf(req: Request) {
  const src = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
  return {
    query: typeof src?.query === 'string' ? src.query : undefined,
    operationName: typeof src?.operationName === 'string' ? src.operationName : undefined,
  };
}

/**
 * The structural refusal of a document given as text (no schema: selections, depth, aliases,
 * directives), or undefined — also when it does not parse (the caller's parser reports that).
 */
export function refusalOfText(
  query: string,
  limits: OperationLimits,
  operationName?: string | null,
): GraphQLError | undefined {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return undefined;
  }
  return analyzeOperation(document, { limits, operationName }).refusal;
}

/**
 * Express middleware for /graphql, after the body and token limits and the persisted-document
 * lookup: a document over a structural limit is answered 400 here, before Apollo validates,
 * plans or runs it (the cost estimate follows in queryCostPlugin, with the schema). A document
 * that does not parse goes on: Apollo reports the syntax error.
 */
export function operationLimits(limits: OperationLimits) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { query, operationName } = requestOf(req);
    const refusal = query === undefined ? undefined : refusalOfText(query, limits, operationName);
    if (refusal) {
      res.status(400).json(refusalBody(refusal));
      return;
    }
    next();
  };
}

// Estimates how many upstream (Salesforce) calls an operation can trigger, before it runs, from
// list sizes and `first` arguments, and refuses it with COST_LIMIT_EXCEEDED above a budget.
// graphql-armor's cost limit counts fields and depth; it cannot tell a batched field from one that
// costs an API call per entity, which is what Salesforce meters — hence this small estimator.
// gateway/operation-limits.ts runs it as part of the one analysis every request gets.
import {
  GraphQLError,
  Kind,
  parse,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../lib/errors.js';
import type { RateLimiter } from '../lib/rate-limit.js';
import type { GatewayContext } from './context.js';

/**
 * Fields resolved with `weight` upstream calls per parent entity (no batch endpoint upstream), as
 * the subgraphs declare them with `@cost(weight:)` (Apollo's demand-control directive, from the
 * IBM GraphQL cost spec), which composition keeps in the supergraph. A new costly field needs a
 * directive in its subgraph's SDL, not a change here. Keys are schema coordinates (`Citizen.cart`).
 */
export type FieldCosts = ReadonlyMap<string, number>;

/** What the subgraphs declare about cost, read from the supergraph. */
export interface CostModel {
  /** `@cost(weight:)`: upstream calls per parent entity (scalar fields too). */
  weights: FieldCosts;
  /**
   * `@listSize(assumedSize:, slicingArguments:)`: the entities a list field yields per parent —
   * the slicing arguments' values (their defaults when absent or null), else the assumed size.
   */
  listSizes: ReadonlyMap<string, { assumedSize?: number; slicingArguments?: string[] }>;
  /** `@upstreamPageSize(size:)`: the upstream's largest page; a larger slice costs a call per page. */
  pageSizes: ReadonlyMap<string, number>;
}

function fieldDirectives(supergraphSdl: string) {
  const out: Array<{ coordinate: string; name: string; args: Map<string, ValueNode> }> = [];
  for (const def of parse(supergraphSdl).definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    for (const field of def.fields ?? [])
      for (const d of field.directives ?? [])
        out.push({
          coordinate: `${def.name.value}.${field.name.value}`,
          name: d.name.value,
          args: new Map((d.arguments ?? []).map((a) => [a.name.value, a.value])),
        });
  }
  return out;
}

const intOf = (v: ValueNode | undefined) => (v?.kind === Kind.INT ? Number(v.value) : undefined);

export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  const weights = new Map<string, number>();
  const listSizes = new Map<string, { assumedSize?: number; slicingArguments?: string[] }>();
  const pageSizes = new Map<string, number>();
  for (const { coordinate, name, args } of fieldDirectives(supergraphSdl)) {
    if (name === 'cost') {
      const weight = intOf(args.get('weight'));
      if (weight !== undefined) weights.set(coordinate, weight);
    } else if (name === 'listSize') {
      const slicing = args.get('slicingArguments');
      listSizes.set(coordinate, {
        assumedSize: intOf(args.get('assumedSize')),
        slicingArguments:
          slicing?.kind === Kind.LIST
            ? slicing.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))
            : undefined,
      });
    } else if (name === 'upstreamPageSize') {
      const size = intOf(args.get('size'));
      if (size) pageSizes.set(coordinate, size);
    }
  }
  return { weights, listSizes, pageSizes };
}

export function fieldCostsFromSupergraph(supergraphSdl: string): FieldCosts {
  return costModelFromSupergraph(supergraphSdl).weights;
}

/** Counts stop here: larger than any limit, far from losing integer precision. */
const SATURATED = 1e15;
const sat = (n: number) => (n > SATURATED ? SATURATED : n);

/** Entities a batched upstream call resolves at once (the smallest real batch limit we use). */
export const BATCH = 24;
/** Connection plumbing and value objects: resolved from data already fetched, never upstream. */
const FREE_FIELDS = new Set(['edges', 'node', 'pageInfo', 'userErrors']);
const FREE_TYPES = new Set(['Money', 'PostalAddress', 'PageInfo', 'UserError']);

/**
 * A selection set's cost for `m` parent entities, as `(a·m + b) / BATCH` calls: every field's
 * charge is linear in m (a per-entity weight: w·m; a list of ids: m·⌈ids/BATCH⌉) or bounded by
 * an affine form (a batched field: ⌈m/BATCH⌉ ≤ (m + BATCH − 1)/BATCH). So a fragment's cost is
 * two integers computed once, and a spread under m entities costs a·m + b without a new walk.
 */
interface Affine {
  a: number;
  b: number;
}

function isListOutput(type: GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The Salesforce calls `operation` may cost at most: linear in the document (each fragment
 * costed once, see Affine); `step` is called once per selection node visited.
 */
export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  model: CostModel,
  step: () => void = () => undefined,
): number {
  const ctx = { variables, step };
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const memo = new Map<string, Affine | 'visiting'>();

  const argValue = (field: GraphQLField<unknown, unknown>, sel: FieldNode, name: string) => {
    const arg = field.args.find((a) => a.name === name);
    if (!arg) return undefined;
    const node = sel.arguments?.find((a) => a.name.value === name);
    const value = node ? valueFromAST(node.value, arg.type, ctx.variables) : undefined;
    // Absent or null: the resolver uses the field's default page.
    return value ?? arg.defaultValue;
  };

  const fieldCost = (
    type: GraphQLCompositeType,
    sel: FieldNode,
  ): { own: Affine; size: number; child?: GraphQLCompositeType } => {
    if (!isObjectType(type) && !isInterfaceType(type)) return { own: { a: 0, b: 0 }, size: 1 };
    const field = type.getFields()[sel.name.value];
    if (!field) return { own: { a: 0, b: 0 }, size: 1 };
    const coordinate = `${type.name}.${field.name}`;
    const named = getNamedType(field.type);
    const child = isCompositeType(named) ? named : undefined;
    const listSize = model.listSizes.get(coordinate);
    // The entities each parent's field yields: its slicing arguments (`first`, default when
    // absent or null), its list of ids, a declared assumed size, else one.
    let size = 1;
    let ids = 0;
    let sliced = false;
    for (const name of listSize?.slicingArguments ?? ['first']) {
      const v = argValue(field, sel, name);
      if (typeof v === 'number') {
        size = Math.max(size, v);
        sliced = true;
      }
    }
    const idList = argValue(field, sel, 'ids');
    if (Array.isArray(idList)) {
      ids = idList.length;
      size = Math.max(size, ids);
    }
    if (!sliced && !ids && listSize?.assumedSize !== undefined && isListOutput(field.type))
      size = Math.max(size, listSize.assumedSize);
    const weight = model.weights.get(coordinate);
    let own: Affine;
    if (weight !== undefined) {
      // Per parent entity; a slice larger than the upstream page costs a call per page.
      const pageSize = model.pageSizes.get(coordinate);
      const pages = pageSize ? Math.max(1, Math.ceil(size / pageSize)) : 1;
      own = { a: weight * pages * BATCH, b: 0 };
    } else if (ids) own = { a: Math.ceil(ids / BATCH) * BATCH, b: 0 };
    else if (child && !FREE_FIELDS.has(field.name) && !FREE_TYPES.has(child.name))
      own = { a: 1, b: BATCH - 1 };
    else own = { a: 0, b: 0 };
    return { own, size, child };
  };

  const setCost = (set: SelectionSetNode, type: GraphQLCompositeType): Affine => {
    let a = 0;
    let b = 0;
    const add = (x: Affine, times = 1) => {
      a = sat(a + sat(x.a * times));
      b = sat(b + x.b);
    };
    for (const sel of set.selections) {
      ctx.step();
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const t = sel.typeCondition
          ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType | undefined)
          : type;
        add(setCost(sel.selectionSet, t ?? type));
      } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        add(fragmentCost(sel.name.value));
      } else {
        const { own, size, child } = fieldCost(type, sel);
        add(own);
        if (sel.selectionSet && child) add(setCost(sel.selectionSet, child), size);
      }
    }
    return { a, b };
  };

  const fragmentCost = (name: string): Affine => {
    const known = memo.get(name);
    if (known === 'visiting') return { a: 0, b: 0 };
    if (known) return known;
    const frag = fragments.get(name);
    const t = frag && (schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType);
    if (!frag || !t) return { a: 0, b: 0 };
    memo.set(name, 'visiting');
    const cost = setCost(frag.selectionSet, t);
    memo.set(name, cost);
    return cost;
  };

  const total = setCost(operation.selectionSet, root);
  return sat(Math.ceil((total.a + total.b) / BATCH));
}

export interface CallBudget {
  limiter: RateLimiter;
  /** Estimated Salesforce calls each kind of principal may spend per minute. */
  perMinute: { citizen: number; agent: number; anonymous: number };
}

/** The anonymous allowance of a client address (token validations are charged to it too). */
export const anonymousBudgetKey = (clientAddress: string) => `calls:anonymous:${clientAddress}`;

/** Whose allowance a request spends: the user or client, or the address for anonymous callers. */
function budgetKey(ctx: GatewayContext): { key: string; kind: keyof CallBudget['perMinute'] } {
  const p = ctx.principal;
  if (p.kind === 'citizen') return { key: `calls:citizen:${p.userId}`, kind: 'citizen' };
  if (p.kind === 'agent')
    return { key: `calls:agent:${p.clientId ?? p.userId ?? 'unknown'}`, kind: 'agent' };
  return { key: anonymousBudgetKey(ctx.clientAddress ?? 'unknown'), kind: 'anonymous' };
}

/** The operation's analysis (gateway/operation-limits.ts analyzeOperation, bound to the limits). */
export type AnalyzeRequest = (
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  schema: GraphQLSchema,
) => { refusal?: GraphQLError; estimate?: number };

/**
 * Refuses an operation before it runs when its analysis refuses it — its structure, or its
 * estimated Salesforce calls above the per-request limit (COST_LIMIT_EXCEEDED) — or when its
 * estimate exceeds the caller's per-minute allowance (RATE_LIMITED, 429 with retryAfterSeconds):
 * one citizen cannot spend the org's daily API allowance. A document sent as text was analysed
 * before Apollo parsed it (operationLimits in server.ts); this covers APQ hashes and in-process
 * executions, and books the estimate.
 */
export function queryCostPlugin(
  analyze: AnalyzeRequest,
  budget?: CallBudget,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, contextValue }) {
          const { refusal, estimate: cost = 0 } = analyze(
            document,
            request.operationName,
            request.variables ?? {},
            schema,
          );
          if (refusal) throw refusal;
          if (!budget || cost === 0) return;
          const { key, kind } = budgetKey(contextValue);
          const booked = await budget.limiter.reserve(
            [{ key, limit: budget.perMinute[kind] }],
            60,
            cost,
          );
          if (!booked.ok)
            throw new GraphQLError(
              `Too many Salesforce calls for this caller; try again in ${booked.retryAfterSeconds} seconds.`,
              {
                extensions: {
                  code: ErrorCode.RATE_LIMITED,
                  retryAfterSeconds: booked.retryAfterSeconds,
                  http: {
                    status: 429,
                    headers: new Map([['retry-after', String(booked.retryAfterSeconds)]]),
                  },
                },
              },
            );
        },
      };
    },
  };
}

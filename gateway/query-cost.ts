// Estimates how many upstream (Salesforce) calls an operation can trigger, before it runs, from
// list sizes and `first` arguments, and refuses it with COST_LIMIT_EXCEEDED above a budget.
// graphql-armor's cost limit counts fields and depth; it cannot tell a batched field from one that
// costs an API call per entity, which is what Salesforce meters — hence this small estimator.
import {
  GraphQLError,
  Kind,
  parse,
  getNamedType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  valueFromAST,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
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

export function fieldCostsFromSupergraph(supergraphSdl: string): FieldCosts {
  const costs = new Map<string, number>();
  for (const def of parse(supergraphSdl).definitions) {
    if (
      def.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      def.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      def.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    for (const field of def.fields ?? []) {
      const cost = field.directives?.find((d) => d.name.value === 'cost');
      const weight = cost?.arguments?.find((a) => a.name.value === 'weight')?.value;
      if (weight?.kind === Kind.INT)
        costs.set(`${def.name.value}.${field.name.value}`, Number(weight.value));
    }
  }
  return costs;
}
/** Entities a batched upstream call resolves at once (the smallest real batch limit we use). */
const BATCH = 24;
/** Connection plumbing and value objects: resolved from data already fetched, never upstream. */
const FREE_FIELDS = new Set(['edges', 'node', 'pageInfo', 'userErrors']);
const FREE_TYPES = new Set(['Money', 'PostalAddress', 'PageInfo', 'UserError']);

export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  perEntity: FieldCosts,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const walk = (
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    multiplier: number,
    seen: Set<string>,
  ): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === 'InlineFragment') {
        const t = sel.typeCondition
          ? (schema.getType(sel.typeCondition.name.value) as GraphQLCompositeType)
          : type;
        cost += walk(sel.selectionSet, t ?? type, multiplier, seen);
      } else if (sel.kind === 'FragmentSpread') {
        const frag = fragments[sel.name.value];
        if (!frag || seen.has(frag.name.value)) continue;
        const t = schema.getType(frag.typeCondition.name.value) as GraphQLCompositeType;
        cost += walk(frag.selectionSet, t, multiplier, new Set([...seen, frag.name.value]));
      } else if (sel.selectionSet && (isObjectType(type) || isInterfaceType(type))) {
        const field = type.getFields()[sel.name.value];
        if (!field) continue;
        const child = getNamedType(field.type);
        if (!isCompositeType(child)) continue;
        let size = 1;
        let ids = 0;
        for (const arg of field.args) {
          const node = sel.arguments?.find((a) => a.name.value === arg.name);
          const value = node ? valueFromAST(node.value, arg.type, variables) : arg.defaultValue;
          if (arg.name === 'first' && typeof value === 'number') size = Math.max(size, value);
          if (arg.name === 'ids' && Array.isArray(value)) {
            size = Math.max(size, value.length);
            ids = value.length;
          }
        }
        const coordinate = `${type.name}.${field.name}`;
        const weight = perEntity.get(coordinate);
        if (weight !== undefined) cost += weight * multiplier;
        else if (ids)
          // A field fetching a list of ids costs one batched call per BATCH ids, per parent.
          cost += multiplier * Math.ceil(ids / BATCH);
        else if (!FREE_FIELDS.has(field.name) && !FREE_TYPES.has(child.name))
          cost += Math.ceil(multiplier / BATCH);
        cost += walk(sel.selectionSet, child, multiplier * size, seen);
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, root, 1, new Set());
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

/**
 * Refuses an operation before it runs when its estimated Salesforce calls exceed the per-request
 * limit (COST_LIMIT_EXCEEDED), or the caller's per-minute allowance (RATE_LIMITED, 429 with
 * retryAfterSeconds): one citizen cannot spend the org's daily API allowance.
 */
export function queryCostPlugin(
  maxUpstreamCalls: number,
  perEntity: FieldCosts,
  budget?: CallBudget,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions)
            if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
          const cost = estimateUpstreamCalls(
            schema,
            operation,
            fragments,
            request.variables ?? {},
            perEntity,
          );
          if (cost > maxUpstreamCalls) {
            throw new GraphQLError(
              `This query could cost about ${cost} Salesforce API calls; the limit is ${maxUpstreamCalls}. Ask for fewer items.`,
              {
                extensions: {
                  code: ErrorCode.COST_LIMIT_EXCEEDED,
                  estimatedUpstreamCalls: cost,
                  limit: maxUpstreamCalls,
                  http: { status: 400 },
                },
              },
            );
          }
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

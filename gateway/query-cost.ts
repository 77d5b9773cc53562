// Estimates how many upstream (Salesforce) calls an operation can trigger, before it runs, from
// list sizes and `first` arguments, and refuses it with COST_LIMIT_EXCEEDED above a budget.
// graphql-armor's cost limit counts fields and depth; it cannot tell a batched field from one that
// costs an API call per entity, which is what Salesforce meters — hence this small estimator.
import {
  GraphQLError,
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

/** Fields resolved with one upstream call per parent entity (no batch endpoint upstream). */
const PER_ENTITY_FIELDS = new Set(['Citizen.cart', 'Citizen.orders']);
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
        for (const arg of field.args) {
          const node = sel.arguments?.find((a) => a.name.value === arg.name);
          const value = node ? valueFromAST(node.value, arg.type, variables) : arg.defaultValue;
          if (arg.name === 'first' && typeof value === 'number') size = Math.max(size, value);
          if (arg.name === 'ids' && Array.isArray(value)) size = Math.max(size, value.length);
        }
        const coordinate = `${type.name}.${field.name}`;
        if (PER_ENTITY_FIELDS.has(coordinate)) cost += multiplier;
        else if (!FREE_FIELDS.has(field.name) && !FREE_TYPES.has(child.name))
          cost += Math.ceil(multiplier / BATCH);
        cost += walk(sel.selectionSet, child, multiplier * size, seen);
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, root, 1, new Set());
}

export function queryCostPlugin(maxUpstreamCalls: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions)
            if (d.kind === 'FragmentDefinition') fragments[d.name.value] = d;
          const cost = estimateUpstreamCalls(schema, operation, fragments, request.variables ?? {});
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
        },
      };
    },
  };
}

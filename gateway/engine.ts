// The one seam around the federation engine (@apollo/gateway, pinned 2.14.4). Everything the
// gateway uses of it — its public exports, two functions only its dist/ files export, and the
// private state of ApolloGateway that @defer reads — passes through this module; ESLint
// (eslint.config.mjs) forbids `@apollo/gateway` and `@apollo/gateway/dist/*` anywhere else.
// gateway/__tests__/engine-contract.test.ts pins the behaviour relied on here, so an upgrade of
// the engine fails there first, not in a deferred response in production.
import { createRequire } from 'node:module';
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
  buildOperationContext,
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from '@apollo/gateway';
import { generateHydratedPaths as engineHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
import { computeResponse as engineComputeResponse } from '@apollo/gateway/dist/resultShaping.js';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { Operation, Schema } from '@apollo/federation-internals';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';

export {
  ApolloGateway,
  RemoteGraphQLDataSource,
  buildOperationContext,
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
};

/** The engine version whose internals this module reads (package.json pins it exactly). */
export const ENGINE_VERSION = '2.14.4';

/** The installed engine's version (read from its package.json). */
export function installedEngineVersion(): string {
  // (jest runs this module as CommonJS, the server as ESM.)
  const load = createRequire(typeof __filename !== 'undefined' ? __filename : import.meta.url);
  return (load('@apollo/gateway/package.json') as { version: string }).version;
}

type Path = Array<string | number>;

/**
 * The concrete response paths of the objects a Flatten at `at` ('@' for each list element)
 * reaches in `data`, in the order the engine sends them as `_entities` representations.
 * (dist/executeQueryPlan.js `generateHydratedPaths`.)
 */
export function hydratedPaths(at: Path, data: Record<string, unknown>): Path[] {
  const out: Path[] = [];
  engineHydratedPaths([], at as string[], data as never, out as never);
  return out;
}

/**
 * The client's response shaped from the engine's merged result tree: the operation's selections
 * only, in its order, aliases applied. (dist/resultShaping.js `computeResponse`.)
 */
export function shapeResponse(
  operation: Operation,
  variables: Record<string, unknown>,
  input: Record<string, unknown>,
): Record<string, unknown> | null | undefined {
  return engineComputeResponse({
    operation,
    variables,
    input,
    introspectionHandling: () => null,
  }).data as Record<string, unknown> | null | undefined;
}

/** The private state of ApolloGateway 2.14.4 that gateway/defer/deferring-gateway.ts reads. */
export interface GatewayInternals {
  schema?: GraphQLSchema;
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  queryPlanner: QueryPlanner;
  queryPlanStore: {
    get(key: string): Promise<QueryPlan | undefined>;
    set(key: string, v: QueryPlan): Promise<void>;
  };
  serviceMap: Record<string, { dataSource: ServiceMap[string] }>;
  validateIncomingRequest(
    rc: GatewayGraphQLRequestContext,
    oc: ReturnType<typeof buildOperationContext>,
  ): GraphQLError[];
}

/**
 * A loaded ApolloGateway's private state, checked: each member @defer relies on must exist with
 * the expected kind, or this throws naming the missing ones (an engine upgrade that moved them).
 */
export function gatewayInternals(gateway: ApolloGateway): GatewayInternals {
  const gw = gateway as unknown as Record<string, unknown>;
  const missing = missingInternals(gw);
  if (missing.length)
    throw new Error(
      `@apollo/gateway ${installedEngineVersion()} lacks what @defer reads of ${ENGINE_VERSION}: ${missing.join(', ')}`,
    );
  return gateway as unknown as GatewayInternals;
}

/** The members of a loaded gateway's state that are missing or of another kind. */
export function missingInternals(gw: Record<string, unknown>): string[] {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null;
  const planner = gw.queryPlanner as Record<string, unknown> | undefined;
  const store = gw.queryPlanStore as Record<string, unknown> | undefined;
  const checks: Array<[string, boolean]> = [
    ['apiSchema', isObject(gw.apiSchema)],
    ['supergraphSchema', isObject(gw.supergraphSchema)],
    ['queryPlanner.buildQueryPlan', typeof planner?.buildQueryPlan === 'function'],
    ['queryPlanStore.get', typeof store?.get === 'function'],
    ['queryPlanStore.set', typeof store?.set === 'function'],
    ['serviceMap', isObject(gw.serviceMap)],
    ['validateIncomingRequest', typeof gw.validateIncomingRequest === 'function'],
  ];
  return checks.filter(([, ok]) => !ok).map(([name]) => name);
}

// The one place the MCP server asks gateway/query-cost.ts for an estimate: what a tool call may
// cost in Salesforce calls, before it runs (the description states it; the MCP budget books it).
import type { FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { estimateUpstreamCalls, type CostModel } from '../query-cost.js';

export function estimateCalls(
  schema: GraphQLSchema,
  tool: { operation: OperationDefinitionNode; fragments: Record<string, FragmentDefinitionNode> },
  variables: Record<string, unknown>,
  fieldCosts: CostModel,
): number {
  return estimateUpstreamCalls(
    schema,
    tool.operation,
    new Map(Object.entries(tool.fragments)),
    variables,
    fieldCosts,
  );
}

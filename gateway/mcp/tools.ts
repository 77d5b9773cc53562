// The MCP tools: each catalogued operation found in the trusted-documents manifest, with its
// description (the catalogue's summary, the schema's descriptions of the fields it reads, and its
// estimated Salesforce calls), its input schema per audience and its annotations.
import {
  Kind,
  parse,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CostModel } from '../query-cost.js';
import type { PersistedDocuments } from '../persisted-documents.js';
import { log } from '../../lib/observability/log.js';
import { TOOL_CATALOG, type ToolAudience, type ToolSpec } from './catalog.js';
import { idempotencyKeyPath, inputTypeSchema, type JsonSchema } from './input-schema.js';
import { estimateCalls } from './cost.js';

export interface McpTool {
  name: string;
  spec: ToolSpec;
  /** The manifest id (`sha256:<hex>`) of the operation's document. */
  documentId: string;
  query: string;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  mutation: boolean;
  /** Top-level variables and their GraphQL types. */
  variables: Map<string, GraphQLInputType>;
  idempotencyKeyPath?: string;
  /** Salesforce calls estimated with every list of size 1 (the description states it). */
  baseCalls: number;
  /** The definition `tools/list` shows to each audience. */
  definitions: Partial<Record<ToolAudience, Tool>>;
}

/** `first`-like and list variables at size n, to see how the estimate grows with them. */
function sizedVariables(vars: Map<string, GraphQLInputType>, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of vars) {
    const t = String(type).replace(/!$/, '');
    if (t === 'Int') out[name] = n;
    else if (t.startsWith('[')) out[name] = Array.from({ length: n }, (_, i) => `x${i}`);
  }
  return out;
}

/** What each top-level variable feeds: the schema's description of that argument or field. */
function variableDescriptions(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): Map<string, string> {
  const out = new Map<string, string>();
  const info = new TypeInfo(schema);
  visit(
    operation,
    visitWithTypeInfo(info, {
      Argument(node) {
        if (node.value.kind !== Kind.VARIABLE) return;
        const field = info.getFieldDef();
        const arg = info.getArgument();
        const parent = info.getParentType();
        if (!field || !arg || !parent) return;
        const about = arg.description ?? field.description;
        const text = `\`${parent.name}.${field.name}(${arg.name}:)\`${about ? `: ${about.trim()}` : ''}`;
        const name = node.value.name.value;
        out.set(name, out.has(name) ? `${out.get(name)}\n${text}` : text);
      },
    }),
  );
  return out;
}

/** The root fields the operation selects, with the schema's descriptions. */
function rootFieldLines(schema: GraphQLSchema, operation: OperationDefinitionNode): string[] {
  const root = schema.getRootType(operation.operation);
  const lines: string[] = [];
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const field = root?.getFields()[sel.name.value];
    if (field?.description) lines.push(`\`${field.name}\`: ${field.description.trim()}`);
  }
  return lines;
}

function describe(
  tool: Omit<McpTool, 'definitions'>,
  schema: GraphQLSchema,
  audience: ToolAudience,
  callsAt10: number,
  maxUpstreamCalls: number,
): string {
  const grows = callsAt10 !== tool.baseCalls;
  const cost = grows
    ? `Estimated Salesforce calls: ${tool.baseCalls} with one item, ${callsAt10} with 10 (it grows with the list sizes you ask for); a call estimated above ${maxUpstreamCalls} is refused.`
    : `Estimated Salesforce calls: ${tool.baseCalls}.`;
  return [
    tool.spec.summary,
    ...(audience === 'citizen' && tool.spec.citizenOwn
      ? ['It acts for the signed-in citizen: you never say whose data.']
      : []),
    ...rootFieldLines(schema, tool.operation),
    cost,
    ...(tool.mutation
      ? [
          'It writes to Salesforce. The answer holds `userErrors` (expected business failures: fix the input) and the `idempotencyKey` used.',
        ]
      : []),
  ].join('\n');
}

/**
 * Builds the tools from the manifest. A catalogued operation that is missing from the manifest,
 * or named by more than one document, is left out (and logged): a tool is one reviewed document.
 */
export function buildTools(
  documents: PersistedDocuments,
  schema: GraphQLSchema,
  fieldCosts: CostModel,
  maxUpstreamCalls: number,
): Map<string, McpTool> {
  const byName = new Map<string, Array<{ id: string; text: string; doc: DocumentNode }>>();
  for (const { id, text } of documents.entries()) {
    let doc: DocumentNode;
    try {
      doc = parse(text);
    } catch {
      continue;
    }
    const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length !== 1 || !ops[0].name) continue;
    const name = ops[0].name.value;
    byName.set(name, [...(byName.get(name) ?? []), { id, text, doc }]);
  }
  const tools = new Map<string, McpTool>();
  for (const spec of TOOL_CATALOG) {
    const found = byName.get(spec.operation) ?? [];
    if (found.length !== 1) {
      log().warn(
        { operation: spec.operation, documents: found.map((f) => f.id) },
        found.length
          ? 'MCP tool left out: several trusted documents have this operation name'
          : 'MCP tool left out: its operation is not in the trusted documents',
      );
      continue;
    }
    const [{ id, text, doc }] = found;
    const operation = doc.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    if (operation.operation === 'subscription') continue;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of doc.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const variables = new Map<string, GraphQLInputType>();
    for (const v of operation.variableDefinitions ?? []) {
      const type = typeFromAST(schema, v.type as never) as GraphQLInputType | undefined;
      if (type) variables.set(v.variable.name.value, type);
    }
    const mutation = operation.operation === 'mutation';
    let keyPath: string | undefined;
    for (const [name, type] of variables) keyPath ??= idempotencyKeyPath(type, name);
    if (mutation && !keyPath) {
      log().warn(
        { operation: spec.operation },
        'MCP tool left out: a mutation without idempotency',
      );
      continue;
    }
    const base = {
      name: spec.operation,
      spec,
      documentId: id,
      query: text,
      operation,
      fragments,
      mutation,
      variables,
      idempotencyKeyPath: keyPath,
      baseCalls: 0,
    };
    base.baseCalls = estimateCalls(schema, base, sizedVariables(variables, 1), fieldCosts);
    const callsAt10 = estimateCalls(schema, base, sizedVariables(variables, 10), fieldCosts);
    const described = variableDescriptions(schema, operation);
    const definitions: McpTool['definitions'] = {};
    for (const audience of spec.for) {
      const hidden = new Set(audience === 'citizen' ? Object.keys(spec.citizenOwn ?? {}) : []);
      const required = new Set(audience === 'agent' ? (spec.agentRequires ?? []) : []);
      const properties: Record<string, JsonSchema> = {};
      const requiredTop: string[] = [];
      for (const v of operation.variableDefinitions ?? []) {
        const name = v.variable.name.value;
        const type = variables.get(name);
        if (!type || hidden.has(name)) continue;
        const s = inputTypeSchema(type, name, { hidden, required, idempotencyKeyPath: keyPath });
        const about = described.get(name);
        if (about) s.description = s.description ? `${about}\n${s.description}` : about;
        properties[name] = s;
        if ((type.toString().endsWith('!') && !v.defaultValue) || required.has(name))
          requiredTop.push(name);
      }
      definitions[audience] = {
        name: spec.operation,
        title: spec.operation.replace(/([a-z])([A-Z])/g, '$1 $2'),
        description: describe(base, schema, audience, callsAt10, maxUpstreamCalls),
        inputSchema: {
          type: 'object',
          properties,
          ...(requiredTop.length ? { required: requiredTop } : {}),
          additionalProperties: false,
        },
        annotations: {
          title: spec.operation.replace(/([a-z])([A-Z])/g, '$1 $2'),
          readOnlyHint: !mutation,
          // The writes add records (a case, a comment, a cart line); none deletes or overwrites.
          destructiveHint: false,
          // Only a retry with the returned idempotencyKey is free of effects, not any repeat.
          idempotentHint: !mutation,
          // Closed world: the org's own records.
          openWorldHint: false,
        },
        _meta: {
          'c360/operation': id,
          'c360/estimatedSalesforceCalls': base.baseCalls,
          ...(callsAt10 !== base.baseCalls
            ? { 'c360/estimatedSalesforceCallsAt10': callsAt10 }
            : {}),
          ...(keyPath ? { 'c360/idempotencyKey': keyPath } : {}),
        },
      };
    }
    tools.set(spec.operation, { ...base, definitions });
  }
  return tools;
}

// What the canonical operations touch, as schema coordinates: `Type.field` for selected fields and
// named types for everything they read or send (return types, variable input types, recursively).
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInputType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Where the clients' operations live: the canonical ones and the example portal's. Each is known
 * by its operation name (`CitizenProfile`), the name a client sends and an acknowledgement's
 * `operationsReviewed` lists; a directory's fragments are shared by its files (as codegen does).
 */
export const OPERATION_DIRS = ['test/operations', 'examples/citizen-portal/src/operations'];

export interface Usage {
  fields: Set<string>;
  types: Set<string>;
}

function addInputType(type: GraphQLNamedType, usage: Usage): void {
  if (usage.types.has(type.name)) return;
  usage.types.add(type.name);
  if (isInputObjectType(type)) {
    for (const f of Object.values(type.getFields())) {
      usage.fields.add(`${type.name}.${f.name}`);
      addInputType(getNamedType(f.type), usage);
    }
  }
}

/** Adds what `doc` touches in `schema` to `usage` (unknown fields are skipped, not errors). */
export function collectUsage(schema: GraphQLSchema, doc: DocumentNode, usage: Usage): void {
  const typeInfo = new TypeInfo(schema);
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (parent) usage.fields.add(`${parent.name}.${node.name.value}`);
        if (type) usage.types.add(getNamedType(type).name);
      },
      VariableDefinition() {
        const t = typeInfo.getInputType();
        if (t && isInputType(t)) addInputType(getNamedType(t), usage);
      },
      Argument() {
        const t = typeInfo.getInputType();
        if (t) addInputType(getNamedType(t), usage);
      },
      InlineFragment(node) {
        if (node.typeCondition) usage.types.add(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        usage.types.add(node.typeCondition.name.value);
      },
    }),
  );
}

/**
 * Whether a change at `path` (graphql-inspector: `Type`, `Type.field`, `Type.field.arg`,
 * `Enum.VALUE`, `Input.field`) affects an operation with this usage. Enum and input types count
 * as a whole (a removed enum value or a new required input field breaks whoever reads/sends it);
 * object and interface members count per field.
 */
export function touches(path: string | undefined, usage: Usage, schemas: GraphQLSchema[]): boolean {
  if (!path) return false;
  const [typeName, member] = path.split('.');
  if (!member) return usage.types.has(typeName);
  const type = schemas.map((s) => s.getType(typeName)).find(Boolean);
  if (type && (isEnumType(type) || isInputObjectType(type))) return usage.types.has(typeName);
  return usage.fields.has(`${typeName}.${member}`);
}

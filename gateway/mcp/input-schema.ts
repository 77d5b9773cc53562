// A tool's input JSON Schema, derived from its operation's variables and the API schema: input
// types become objects (additionalProperties: false), enums string enums, non-null without a
// default required, lists arrays, and every description the schema has is kept. Paths hidden
// for a caller (the citizen's own ids) are left out; the idempotency key becomes optional.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLInputType,
} from 'graphql';

export type JsonSchema = Record<string, unknown>;

/** Deepest input nesting described (the API's inputs are 2 deep; a recursive one stops here). */
const MAX_DEPTH = 6;
const INT32 = { minimum: -2147483648, maximum: 2147483647 };

export interface SchemaShape {
  /** Dotted paths left out of the schema (filled by the server). */
  hidden: ReadonlySet<string>;
  /** Dotted paths required even where GraphQL allows null (an agent's citizen). */
  required: ReadonlySet<string>;
  /** The idempotency key's path: optional, with how to use it. */
  idempotencyKeyPath?: string;
}

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Leave it out on a first call: the tool generates one and returns it. To retry a call whose outcome you did not see, pass the returned idempotencyKey again: the same key never writes twice.';

function scalarSchema(name: string, description?: string | null): JsonSchema {
  const base: JsonSchema =
    name === 'Int'
      ? { type: 'integer', ...INT32 }
      : name === 'Float'
        ? { type: 'number' }
        : name === 'Boolean'
          ? { type: 'boolean' }
          : name === 'DateTime'
            ? { type: 'string', format: 'date-time' }
            : { type: 'string' }; // String, ID and any other scalar: JSON text
  return description ? { ...base, description } : base;
}

/** The JSON Schema of one GraphQL input type at `path`. */
export function inputTypeSchema(
  type: GraphQLInputType,
  path: string,
  shape: SchemaShape,
  depth = 0,
): JsonSchema {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner))
    return { type: 'array', items: inputTypeSchema(inner.ofType, path, shape, depth + 1) };
  const named = getNamedType(inner);
  if (isEnumType(named)) {
    const values = named.getValues();
    const described = values.filter((v) => v.description);
    return {
      type: 'string',
      enum: values.map((v) => v.name),
      ...(named.description || described.length
        ? {
            description: [named.description, ...described.map((v) => `${v.name}: ${v.description}`)]
              .filter(Boolean)
              .join('\n'),
          }
        : {}),
    };
  }
  if (isInputObjectType(named)) {
    if (depth >= MAX_DEPTH) return { type: 'object', description: named.description ?? undefined };
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const field of Object.values(named.getFields())) {
      const p = `${path}.${field.name}`;
      if (shape.hidden.has(p)) continue;
      const s = inputTypeSchema(field.type, p, shape, depth + 1);
      if (field.description) s.description = field.description;
      if (field.defaultValue !== undefined) s.default = field.defaultValue;
      if (p === shape.idempotencyKeyPath) s.description = IDEMPOTENCY_KEY_DESCRIPTION;
      properties[field.name] = s;
      if (
        (isNonNullType(field.type) &&
          field.defaultValue === undefined &&
          p !== shape.idempotencyKeyPath) ||
        shape.required.has(p)
      )
        required.push(field.name);
    }
    return {
      type: 'object',
      ...(named.description ? { description: named.description } : {}),
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: false,
    };
  }
  // Built-in scalars' descriptions are GraphQL's boilerplate, not this API's: left out.
  if (isScalarType(named))
    return scalarSchema(named.name, isSpecifiedScalarType(named) ? null : named.description);
  return {};
}

/** The path of an input field named idempotencyKey under `type`, if any (`input.idempotencyKey`). */
export function idempotencyKeyPath(
  type: GraphQLInputType,
  path: string,
  depth = 0,
): string | undefined {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || depth >= MAX_DEPTH) return undefined;
  const fields = Object.values(named.getFields());
  // The shallowest key: this input's own before any nested input's.
  const own = fields.find(
    (f) => f.name === 'idempotencyKey' && getNamedType(f.type).name === 'String',
  );
  if (own) return `${path}.${own.name}`;
  for (const field of fields) {
    const found = idempotencyKeyPath(field.type, `${path}.${field.name}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

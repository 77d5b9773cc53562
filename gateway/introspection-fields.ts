// graphql-js 16.15 validates `__Type.isOneOf` (the OneOf input objects RFC), but the query planner
// of @apollo/gateway 2.14 builds its own introspection types (federation-internals'
// introspection.ts) without it, so such a document passed validation and then failed planning
// with a 500. This rule refuses those fields during validation, as a 400 that says why. The list
// is what graphql-js's introspection types have and federation-internals' do not.
import { GraphQLError, getNamedType, type ValidationContext, type ASTVisitor } from 'graphql';

const UNPLANNABLE: Record<string, readonly string[]> = { __Type: ['isOneOf'] };

export function introspectionFieldsRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const parent = context.getParentType();
      const type = parent && getNamedType(parent);
      if (!type || !UNPLANNABLE[type.name]?.includes(node.name.value)) return;
      context.reportError(
        new GraphQLError(
          `The gateway's query planner does not support the introspection field "${type.name}.${node.name.value}"; leave it out (e.g. getIntrospectionQuery without oneOf).`,
          { nodes: node },
        ),
      );
    },
  };
}

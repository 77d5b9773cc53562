// Which subgraph serves each subscription field, and how its events are resolved: read from the
// schema, never hard-wired. The supergraph's join directives say where a Subscription field
// lives (`@join__field(graph: …)`, or the type's only `@join__type`) and the join__Graph enum
// names the subgraph; the API schema says what an event carries: its leaf fields are relayed as
// the subgraph sends them, and each object field whose type has a `Query` field taking `id: ID!`
// (CaseEvent.case → Query.case, CitizenEvent.citizen → Query.citizen) is an entity the gateway
// re-reads per event through its own pipeline (live-operation.ts), authorised as that query is.
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';

export interface LiveRoute {
  /** The Subscription field. */
  field: string;
  /** The subgraph serving it (schema/subgraphs.ts name, e.g. `case`). */
  subgraph: string;
  /** The event type's name (`__typename`). */
  eventType: string;
  /** Event fields relayed as the subgraph sends them (scalars, enums, lists of them). */
  leafFields: string[];
  /** Event field → the Query field that re-reads that entity by `id`. */
  entities: Record<string, string>;
}

export type LiveRoutes = ReadonlyMap<string, LiveRoute>;

const argOf = (d: ConstDirectiveNode, name: string) => {
  const v = d.arguments?.find((a) => a.name.value === name)?.value;
  return v && (v.kind === Kind.ENUM || v.kind === Kind.STRING) ? v.value : undefined;
};

/** Every Subscription field of the API schema with its subgraph (from the supergraph SDL). */
export function liveRoutes(schema: GraphQLSchema, supergraphSdl: string): LiveRoutes {
  const doc = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  const types: ConstDirectiveNode[] = [];
  const fieldGraph = new Map<string, string>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph')
      for (const v of d.values ?? []) {
        const g = v.directives?.find((x) => x.name.value === 'join__graph');
        const name = g && argOf(g, 'name');
        if (name) graphs.set(v.name.value, name);
      }
    if (
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.name.value === 'Subscription'
    ) {
      types.push(...(d.directives ?? []).filter((x) => x.name.value === 'join__type'));
      for (const f of d.fields ?? []) {
        const j = f.directives?.find((x) => x.name.value === 'join__field');
        const graph = j && argOf(j, 'graph');
        if (graph) fieldGraph.set(f.name.value, graph);
      }
    }
  }
  const only = types.length === 1 ? argOf(types[0], 'graph') : undefined;
  const query = schema.getQueryType();
  const routes = new Map<string, LiveRoute>();
  for (const [name, f] of Object.entries(schema.getSubscriptionType()?.getFields() ?? {})) {
    const graph = fieldGraph.get(name) ?? only;
    const subgraph = graph && graphs.get(graph);
    const event = getNamedType(f.type);
    if (!subgraph || !isObjectType(event)) continue;
    const leafFields: string[] = [];
    const entities: Record<string, string> = {};
    for (const [fieldName, ef] of Object.entries(event.getFields())) {
      const t = getNamedType(ef.type);
      if (isLeafType(t)) leafFields.push(fieldName);
      else if (isObjectType(t)) {
        const reader = Object.values(query?.getFields() ?? {}).find(
          (q) =>
            getNamedType(q.type) === t &&
            q.args.some((a) => a.name === 'id' && isNonNullType(a.type)) &&
            q.args.every(
              (a) => a.name === 'id' || !isNonNullType(a.type) || a.defaultValue !== undefined,
            ),
        );
        if (reader) entities[fieldName] = reader.name;
      }
    }
    routes.set(name, { field: name, subgraph, eventType: event.name, leafFields, entities });
  }
  return routes;
}

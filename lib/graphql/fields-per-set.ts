// The widest selection set of a document once fragments are merged into it, in one linear pass
// (each fragment summarised once). graphql-js's OverlappingFieldsCanBeMerged compares the fields
// of one merged set pairwise, so `{ id id id … }` under a token limit still costs validation
// quadratic work: this count is checked BEFORE validation (the gateway's analyzeOperation has the
// same count, MAX_QUERY_FIELDS_PER_SET; a subgraph checks SUBGRAPH_MAX_FIELDS_PER_SET with this).
import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

/** The most fields one selection set holds with its fragments (spread or inline) merged in. */
export function widestSelectionSet(document: DocumentNode): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(d.name.value))
      fragments.set(d.name.value, d.selectionSet);
  const flatOf = new Map<string, number | 'visiting'>();
  let widest = 0;
  const fragmentFlat = (name: string): number => {
    const known = flatOf.get(name);
    if (known === 'visiting') return 0; // a cycle: validation refuses it
    if (known !== undefined) return known;
    const set = fragments.get(name);
    if (!set) return 0; // unknown: validation refuses it
    flatOf.set(name, 'visiting');
    const n = flat(set);
    flatOf.set(name, n);
    return n;
  };
  /** Fields `set` gives the set it is merged into; every set within is measured on the way. */
  const flat = (set: SelectionSetNode): number => {
    let n = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        n++;
        if (sel.selectionSet) flat(sel.selectionSet);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) n += flat(sel.selectionSet);
      else n += fragmentFlat(sel.name.value);
      // Saturates far above any limit (a fragment spread k times, n deep, is k·n, never kⁿ
      // here: merged sets are sums of their fragments, each counted once per spread).
      if (n > 1e15) n = 1e15;
    }
    widest = Math.max(widest, n);
    return n;
  };
  for (const d of document.definitions)
    if (d.kind === Kind.OPERATION_DEFINITION) flat(d.selectionSet);
    else if (d.kind === Kind.FRAGMENT_DEFINITION) fragmentFlat(d.name.value);
  return widest;
}

/** The refusal (HTTP 400) of a document one of whose sets is wider than `max`, or undefined. */
export function fieldsPerSetRefusal(
  document: DocumentNode,
  max: number,
  variable: string,
): GraphQLError | undefined {
  const found = widestSelectionSet(document);
  if (found <= max) return undefined;
  return new GraphQLError(
    `One selection set of the operation holds ${found} fields once its fragments are merged into it; the limit is ${max} (${variable}).`,
    {
      extensions: {
        code: 'GRAPHQL_VALIDATION_FAILED',
        limit: variable,
        max,
        found,
        http: { status: 400 },
      },
    },
  );
}

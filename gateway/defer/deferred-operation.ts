// The client's operation seen through its @defer fragments: which fragments are deferred (with
// `if` evaluated), which response path each user field belongs to, and the documents that shape
// each part of the answer (the initial payload without the deferred fragments; each deferred
// part with only its own fragment, at its path). Pure AST work on graphql-js documents.
import {
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** One deferred fragment of the operation (fragment spreads are expanded to inline fragments). */
export interface DeferredFragment {
  /** 1, 2, …; 0 is the initial payload. */
  id: number;
  label?: string;
  /** Response names from the root down to the fragment's parent object (no list indices). */
  path: string[];
  /** The deferred fragment this one is nested in (0: the initial payload). */
  parent: number;
  node: InlineFragmentNode;
}

export interface DeferredOperation {
  /** The operation with fragment spreads expanded to inline fragments. */
  operation: OperationDefinitionNode;
  fragments: DeferredFragment[];
  /** "citizen.orders" → the part (0 = initial) that delivers that user field. */
  partOfPath: Map<string, number>;
}

const DEFER = 'defer';

function argument(d: DirectiveNode, name: string): ValueNode | undefined {
  return d.arguments?.find((a) => a.name.value === name)?.value;
}

/** Whether a @defer applies: `if` absent or true (a literal or a variable's value). */
function isActiveDefer(d: DirectiveNode, variables: Record<string, unknown>): boolean {
  if (d.name.value !== DEFER) return false;
  const cond = argument(d, 'if');
  if (!cond) return true;
  if (cond.kind === Kind.BOOLEAN) return cond.value;
  if (cond.kind === Kind.VARIABLE) return variables[cond.name.value] !== false;
  return true;
}

function activeDefer(
  sel: SelectionNode,
  variables: Record<string, unknown>,
): DirectiveNode | undefined {
  return sel.directives?.find((d) => isActiveDefer(d, variables));
}

function withoutDeferDirective<T extends SelectionNode>(sel: T): T {
  if (!sel.directives?.some((d) => d.name.value === DEFER)) return sel;
  return { ...sel, directives: sel.directives.filter((d) => d.name.value !== DEFER) };
}

/**
 * The selection set with fragment spreads as inline fragments. A fragment without @defer inside
 * it is expanded once and its selection set shared by every spread (the AST becomes a DAG, as
 * large as the document); one with a @defer inside is copied per spread, as each copy is its own
 * deferred part. The caller has bounded the expanded size first (analyzeOperation's
 * MAX_QUERY_SELECTIONS), so the copies and every walk over the DAG are bounded too.
 */
function expander(fragments: Record<string, FragmentDefinitionNode>) {
  const defers = new Map<string, boolean>();
  const shared = new Map<string, SelectionSetNode>();
  const hasDefer = (set: SelectionSetNode, seen: Set<string>): boolean =>
    set.selections.some((sel) => {
      if (sel.directives?.some((d) => d.name.value === DEFER)) return true;
      if (sel.kind === Kind.FRAGMENT_SPREAD) return fragmentDefers(sel.name.value, seen);
      return !!sel.selectionSet && hasDefer(sel.selectionSet, seen);
    });
  const fragmentDefers = (name: string, seen: Set<string>): boolean => {
    const known = defers.get(name);
    if (known !== undefined) return known;
    const frag = fragments[name];
    if (!frag || seen.has(name)) return false;
    seen.add(name);
    const d = hasDefer(frag.selectionSet, seen);
    defers.set(name, d);
    return d;
  };
  const fragmentSet = (name: string): SelectionSetNode => {
    const frag = fragments[name];
    if (fragmentDefers(name, new Set())) return expand(frag.selectionSet);
    let set = shared.get(name);
    if (!set) {
      set = expand(frag.selectionSet);
      shared.set(name, set);
    }
    return set;
  };
  const expand = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((sel): SelectionNode => {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments[sel.name.value];
        return {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: frag.typeCondition,
          directives: sel.directives,
          selectionSet: fragmentSet(sel.name.value),
        };
      }
      return sel.selectionSet ? { ...sel, selectionSet: expand(sel.selectionSet) } : sel;
    }),
  });
  return expand;
}

/** The operation's definition (by name, or the only one), or undefined. */
function findOperation(document: DocumentNode, operationName?: string | null) {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
}

/**
 * The operation with its deferred fragments indexed; undefined when nothing is deferred. Call it
 * only on a document within analyzeOperation's limits (DeferringGateway checks them first).
 */
export function analyseDefer(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): DeferredOperation | undefined {
  const op = findOperation(document, operationName);
  if (!op || op.operation !== 'query') return undefined;
  const named: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) named[d.name.value] = d;
  const operation = { ...op, selectionSet: expander(named)(op.selectionSet) };
  const fragments: DeferredFragment[] = [];
  const partOfPath = new Map<string, number>();
  const walk = (set: SelectionSetNode, path: string[], part: number) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const name = sel.alias?.value ?? sel.name.value;
        const key = [...path, name].join('.');
        // A field selected both outside and inside a deferred fragment comes with the earlier part.
        if (!partOfPath.has(key) || part === 0) partOfPath.set(key, part);
        if (sel.selectionSet) walk(sel.selectionSet, [...path, name], part);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const d = activeDefer(sel, variables);
        if (!d) {
          walk(sel.selectionSet, path, part);
          continue;
        }
        const label = argument(d, 'label');
        const id = fragments.length + 1;
        fragments.push({
          id,
          label: label?.kind === Kind.STRING ? label.value : undefined,
          path,
          parent: part,
          node: sel,
        });
        walk(sel.selectionSet, path, id);
      }
    }
  };
  walk(operation.selectionSet, [], 0);
  // Introspection stays on the gateway's own path (its executor answers __schema/__type).
  const introspects = operation.selectionSet.selections.some(
    (s) => s.kind === Kind.FIELD && s.name.value.startsWith('__') && s.name.value !== '__typename',
  );
  if (!fragments.length || introspects) return undefined;
  return { operation, fragments, partOfPath };
}

/** The selection set without the selections `drop` names, recursively, @defer directives removed. */
function prune(set: SelectionSetNode, drop: (sel: SelectionNode) => boolean): SelectionSetNode {
  return {
    ...set,
    selections: set.selections.flatMap((sel): SelectionNode[] => {
      if (drop(sel)) return [];
      const clean = withoutDeferDirective(sel);
      if (clean.kind === Kind.FRAGMENT_SPREAD || !clean.selectionSet) return [clean];
      return [{ ...clean, selectionSet: prune(clean.selectionSet, drop) }];
    }),
  };
}

function contains(sel: SelectionNode, target: InlineFragmentNode): boolean {
  if (sel === target) return true;
  if (sel.kind === Kind.FRAGMENT_SPREAD || !sel.selectionSet) return false;
  return sel.selectionSet.selections.some((s) => contains(s, target));
}

function asDocument(op: OperationDefinitionNode, selectionSet: SelectionSetNode): DocumentNode {
  return { kind: Kind.DOCUMENT, definitions: [{ ...op, selectionSet }] };
}

/** The operation without its deferred fragments: what the initial payload carries. */
export function initialDocument(d: DeferredOperation): DocumentNode {
  const deferred = new Set<SelectionNode>(d.fragments.map((f) => f.node));
  return asDocument(
    d.operation,
    prune(d.operation.selectionSet, (s) => deferred.has(s)),
  );
}

/** Only the path down to `fragment` and its own fields (fragments deferred inside it removed). */
export function fragmentDocument(d: DeferredOperation, fragment: DeferredFragment): DocumentNode {
  const others = new Set<SelectionNode>(
    d.fragments.filter((f) => f !== fragment).map((f) => f.node),
  );
  // Along the path keep only what leads to the fragment; inside it, all but nested deferrals.
  const walk = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.flatMap((sel): SelectionNode[] => {
      if (sel === fragment.node)
        return [
          prune({ kind: Kind.SELECTION_SET, selections: [sel] }, (s) => others.has(s))
            .selections[0],
        ];
      if (!contains(sel, fragment.node) || sel.kind === Kind.FRAGMENT_SPREAD || !sel.selectionSet)
        return [];
      return [{ ...withoutDeferDirective(sel), selectionSet: walk(sel.selectionSet) }];
    }),
  });
  return asDocument(d.operation, walk(d.operation.selectionSet));
}

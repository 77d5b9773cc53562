// Runs one deferred query: the SAME query plan @apollo/gateway builds for the query without
// @defer (so Salesforce sees exactly the calls it would see without @defer), executed once by
// the gateway's own executeQueryPlan, while the parts are cut out of the result as soon as the
// fetches that feed them have finished.
//
// How it watches the shared execution without forking the gateway (Elastic License 2.0 code,
// node_modules/@apollo/gateway/dist/executeQueryPlan.js, reused through gateway/engine.ts only):
// - every fetch of the plan (a Fetch, or a Flatten around one) is followed, in a Sequence, by
//   synthetic probe fetches to an in-process pseudo-service (PROBE_SERVICE): "capture" probes
//   whose `requires` pick each root field of the result tree by reference (the gateway hands a
//   probe its representation, i.e. the live objects), then a "done k" probe;
// - a seed fetch at the start gives the result root a __typename, which `requires` needs;
// - each real fetch goes to `<service>\u0000<k>`, a wrapper around the real data source that
//   records the fetch's errors, so each part reports its own.
// Which part a fetch feeds is read from its subgraph operation: the response paths it provides,
// looked up in the client operation's field → part map (deferred-operation.ts). A fetch feeding
// the initial payload, or none visibly (keys, @requires inputs), holds the initial payload.
// When the plan ends every remaining part is sent: a branch never taken cannot hold a part.
import { GraphQLError, Kind, parse, type SelectionNode } from 'graphql';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan } from '@apollo/query-planner';
import { executeQueryPlan, hydratedPaths, shapeResponse, type ServiceMap } from '../engine.js';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import {
  fragmentDocument,
  initialDocument,
  type DeferredFragment,
  type DeferredOperation,
} from './deferred-operation.js';

type Path = Array<string | number>;
type Result = Record<string, unknown>;

/** One entry of a subsequent payload (deferSpec=20220824). */
export interface IncrementalItem {
  data: Result | null;
  path: Path;
  label?: string;
  errors?: GraphQLError[];
}

export interface SubsequentPayload {
  incremental: IncrementalItem[];
  hasNext: boolean;
}

export interface DeferredRun {
  initial: { data?: Result | null; errors?: GraphQLError[] };
  /** The later parts, in the order they become ready; ends with hasNext false. */
  subsequent: AsyncIterable<SubsequentPayload>;
}

const PROBE_SERVICE = '\u0000probe';

interface WatchedFetch {
  k: number;
  service: string;
  /** The Flatten path the fetch runs at, with '@' for lists. */
  at: Path;
  /** Parts (0: initial) whose fields this fetch provides. */
  parts: Set<number>;
  errors: GraphQLError[];
}

/** The response paths (no indices) a fetch's subgraph operation writes into the result. */
function providedPaths(fetch: FetchNode, at: Path): string[] {
  const base = at.filter((p) => p !== '@' && !String(p).startsWith('... on')).map(String);
  const op = parse(fetch.operation).definitions[0];
  if (op.kind !== Kind.OPERATION_DEFINITION) return [];
  let top: readonly SelectionNode[] = op.selectionSet.selections;
  if (fetch.requires) {
    const entities = top.find((s) => s.kind === Kind.FIELD && s.name.value === '_entities');
    top = entities?.kind === Kind.FIELD ? (entities.selectionSet?.selections ?? []) : [];
  }
  const out: string[] = [];
  const add = (sels: readonly SelectionNode[]) => {
    for (const s of sels) {
      if (s.kind === Kind.FIELD) out.push([...base, s.alias?.value ?? s.name.value].join('.'));
      else if (s.kind === Kind.INLINE_FRAGMENT) add(s.selectionSet.selections);
    }
  };
  add(top);
  return out;
}

function probe(operationName: string, requires?: FetchNode['requires']): FetchNode {
  return {
    kind: 'Fetch',
    serviceName: PROBE_SERVICE,
    operation: '{__typename}',
    operationName,
    operationKind: 'query' as FetchNode['operationKind'],
    variableUsages: [],
    requires,
  } as FetchNode;
}

const field = (name: string) => ({ kind: 'Field', name }) as const;

/** The plan with every fetch renamed to its watcher and followed by capture and done probes. */
function instrument(
  node: PlanNode,
  rootKeys: string[],
  d: DeferredOperation,
  fetches: WatchedFetch[],
): PlanNode {
  const watch = (n: PlanNode, at: Path): PlanNode => {
    switch (n.kind) {
      case 'Fetch': {
        const k = fetches.length;
        const parts = new Set<number>();
        for (const p of providedPaths(n, at)) {
          const part = d.partOfPath.get(p);
          if (part !== undefined) parts.add(part);
        }
        // A fetch feeding the initial payload, or no visible field (keys), holds the initial one.
        if (parts.has(0) || parts.size === 0) {
          parts.clear();
          parts.add(0);
        }
        fetches.push({ k, service: n.serviceName, at, parts, errors: [] });
        return { ...n, serviceName: `${n.serviceName}\u0000${k}` };
      }
      case 'Flatten':
        return { ...n, node: watch(n.node, [...at, ...n.path]) };
      case 'Sequence':
      case 'Parallel':
        return { ...n, nodes: n.nodes.map((c) => watch(c, at)) };
      case 'Condition':
        return {
          ...n,
          ifClause: n.ifClause && watch(n.ifClause, at),
          elseClause: n.elseClause && watch(n.elseClause, at),
        };
      default:
        throw new Error(`unexpected ${n.kind} node in a plan without @defer`);
    }
  };
  // Probes run at the root (a Flatten's cursor may not exist), after the whole Flatten/Fetch.
  const top = (n: PlanNode): PlanNode => {
    if (n.kind === 'Sequence' || n.kind === 'Parallel') return { ...n, nodes: n.nodes.map(top) };
    if (n.kind === 'Condition')
      return {
        ...n,
        ifClause: n.ifClause && top(n.ifClause),
        elseClause: n.elseClause && top(n.elseClause),
      };
    const first = fetches.length;
    const watched = watch(n, []);
    const probes = fetches
      .slice(first)
      .flatMap((f) => [
        ...rootKeys.map((key) => probe(`capture:${key}`, [field('__typename'), field(key)])),
        probe(`done:${f.k}`),
      ]);
    return { kind: 'Sequence', nodes: [watched, ...probes] };
  };
  return { kind: 'Sequence', nodes: [probe('seed'), top(node)] };
}

/** The objects at `path` in `data`, fanning out over lists, with their concrete paths. */
function objectsAt(data: unknown, path: string[], at: Path = []): Array<[Path, Result]> {
  if (data === null || data === undefined) return [];
  if (Array.isArray(data)) return data.flatMap((v, i) => objectsAt(v, path, [...at, i]));
  if (!path.length) return [[at, data as Result]];
  const [head, ...rest] = path;
  return objectsAt((data as Result)[head], rest, [...at, head]);
}

/** A simple async queue: the executor pushes payloads, the HTTP writer pulls them. */
class PayloadQueue implements AsyncIterable<SubsequentPayload> {
  private items: SubsequentPayload[] = [];
  private wake?: () => void;
  private ended = false;
  push(p: SubsequentPayload) {
    if (this.ended) return;
    this.items.push(p);
    if (!p.hasNext) this.ended = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        yield next;
        if (!next.hasNext) return;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export interface DeferredExecutionInput {
  queryPlan: QueryPlan;
  serviceMap: ServiceMap;
  requestContext: GatewayGraphQLRequestContext;
  operationContext: Parameters<typeof executeQueryPlan>[3];
  supergraphSchema: GraphQLSchema;
  apiSchema: Schema;
  deferred: DeferredOperation;
}

export async function executeDeferred(input: DeferredExecutionInput): Promise<DeferredRun> {
  const { deferred: d, requestContext } = input;
  const variables = requestContext.request.variables ?? {};
  const rootKeys = [
    ...new Set(
      [...d.partOfPath.keys()].filter((p) => !p.includes('.')).filter((p) => p !== '__typename'),
    ),
  ];
  const fetches: WatchedFetch[] = [];
  const plan: QueryPlan = {
    ...input.queryPlan,
    node:
      input.queryPlan.node?.kind === 'Subscription'
        ? input.queryPlan.node
        : input.queryPlan.node && instrument(input.queryPlan.node, rootKeys, d, fetches),
  };
  // The result tree as of the last probe: root fields by reference into the gateway's tree.
  const root: Result = {};
  const done = new Set<number>();
  const sent = new Set<number>();
  const queue = new PayloadQueue();
  let resolveInitial!: () => void;
  const initialReady = new Promise<void>((r) => (resolveInitial = r));

  const shape = (doc: ReturnType<typeof initialDocument>) =>
    shapeResponse(
      operationFromDocument(input.apiSchema, doc, { validate: false }),
      variables,
      root,
    );

  const errorsOf = (part: number): GraphQLError[] =>
    fetches
      .filter((f) => done.has(f.k) && Math.min(...f.parts) === part)
      .flatMap((f) => f.errors.splice(0));

  const partReady = (part: number, planEnded: boolean) =>
    planEnded || fetches.every((f) => !f.parts.has(part) || done.has(f.k));

  let initial: DeferredRun['initial'] | undefined;
  const cutParts = (planEnded: boolean) => {
    if (!initial) {
      if (!partReady(0, planEnded)) return;
      const errors = errorsOf(0);
      initial = { data: shape(initialDocument(d)), ...(errors.length ? { errors } : {}) };
      sent.add(0);
      resolveInitial();
    }
    const ready: DeferredFragment[] = [];
    for (let again = true; again;) {
      again = false;
      for (const f of d.fragments)
        if (!sent.has(f.id) && sent.has(f.parent) && partReady(f.id, planEnded)) {
          sent.add(f.id);
          ready.push(f);
          again = true;
        }
    }
    if (!ready.length && !planEnded) return;
    const incremental = ready.flatMap((f) => {
      const errors = errorsOf(f.id);
      const items = objectsAt(shape(fragmentDocument(d, f)), f.path).map(
        ([path, data]): IncrementalItem => ({
          data,
          path,
          ...(f.label !== undefined ? { label: f.label } : {}),
        }),
      );
      // A part's errors travel with its first entry (or alone, when its parent object is null).
      if (errors.length) {
        if (items[0]) items[0].errors = errors;
        else items.push({ data: null, path: f.path, errors, label: f.label });
      }
      return items;
    });
    const hasNext = sent.size < d.fragments.length + 1;
    if (incremental.length || !hasNext) queue.push({ incremental, hasNext });
  };

  // A part that cannot be shaped ends the response with an error, never leaves it hanging.
  const flush = (planEnded: boolean) => {
    try {
      cutParts(planEnded);
    } catch (err) {
      const error = new GraphQLError('A deferred part could not be completed.', {
        originalError: err instanceof Error ? err : undefined,
      });
      if (!initial) {
        initial = { errors: [error] };
        resolveInitial();
      }
      for (const f of d.fragments) sent.add(f.id);
      queue.push({ incremental: [{ data: null, path: [], errors: [error] }], hasNext: false });
    }
  };

  const serviceMap: ServiceMap = {
    [PROBE_SERVICE]: {
      process: async ({ request }) => {
        const [kind, arg] = (request.operationName ?? '').split(':');
        if (kind === 'seed') return { data: { __typename: 'Query' } };
        if (kind === 'capture') {
          const rep = (request.variables?.representations as Result[] | undefined)?.[0];
          if (rep) root[arg] = rep[arg];
          return { data: { _entities: [{}] } };
        }
        done.add(Number(arg));
        flush(false);
        return { data: {} };
      },
    },
  };
  for (const f of fetches) {
    const real = input.serviceMap[f.service];
    serviceMap[`${f.service}\u0000${f.k}`] = {
      process: async (options) => {
        try {
          const response = await real.process(options);
          for (const e of response.errors ?? []) f.errors.push(toPartError(e, f, root));
          return { ...response, errors: undefined };
        } catch (err) {
          f.errors.push(
            err instanceof GraphQLError ? err : new GraphQLError(String((err as Error)?.message)),
          );
          throw err;
        }
      },
    };
  }

  const execution = executeQueryPlan(
    plan,
    serviceMap,
    requestContext,
    input.operationContext,
    input.supergraphSchema,
    input.apiSchema,
  ).then(
    () => flush(true),
    (err) => {
      fetches[0]?.errors.push(new GraphQLError(String((err as Error)?.message)));
      for (const f of fetches) done.add(f.k);
      flush(true);
    },
  );
  await Promise.race([initialReady, execution]);
  return { initial: initial!, subsequent: queue };
}

/** A subgraph's error at its place in the client's response (entity paths hydrated). */
function toPartError(
  e: { message: string; path?: readonly (string | number)[]; extensions?: Result },
  f: WatchedFetch,
  root: Result,
): GraphQLError {
  let path: Path | undefined;
  if (e.path && f.at.length && e.path[0] === '_entities' && typeof e.path[1] === 'number') {
    const hydrated = hydratedPaths(f.at, root);
    path = [...(hydrated[e.path[1]] ?? []), ...e.path.slice(2)];
  } else if (e.path) path = [...e.path];
  return new GraphQLError(e.message, {
    path,
    extensions: { ...e.extensions, serviceName: f.service },
  });
}

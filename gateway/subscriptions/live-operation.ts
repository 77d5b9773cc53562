// One client subscription resolved through the federated graph. The Subscription field's
// subgraph (routes.ts: from the supergraph's join directives — `caseUpdated` on case,
// `citizenUpdated` on customer) streams the event: its leaf fields and each entity's id
// (`case { id }`, `citizen { id }`). The client's selection of that entity runs for each event as
// a query through the gateway's own pipeline (`case(id:)`, `citizen(id:)`), in process, with the
// subscriber's bearer token (Gateway.execute) — so entity fields of any subgraph resolve through
// the query plan, and are authorized (and depth/cost limited) per event exactly as a query would
// be. In process, not over loopback HTTP: no socket per event, no unbounded wait, and a gateway
// that runs trusted documents only still resolves the events of a trusted subscription (the
// per-event query is the gateway's own document, not a client's).
import {
  getArgumentValues,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  MAX_PRINCIPAL_TTL_SECONDS,
  PRINCIPAL_HEADER,
  signPrincipal,
  type Principal,
} from '../../lib/principal.js';
import type { LiveRoute, LiveRoutes } from './routes.js';

export interface LiveDeps {
  /** The gateway's API schema (what clients validate against). */
  schema: GraphQLSchema;
  /** Resolves a bearer token to a principal; throws a GraphQLError UNAUTHENTICATED when invalid. */
  resolvePrincipal: (authorization: string | undefined) => Promise<Principal>;
  /** ws:// URL of each subgraph's /graphql (by schema/subgraphs.ts name). */
  subgraphWsUrls: Record<string, string>;
  /** Which subgraph serves each Subscription field, and its event's shape (routes.ts). */
  routes: LiveRoutes;
  principalSecret: string;
  /** Runs the per-event query through the gateway's pipeline (Gateway.execute). */
  execute: (
    request: { query: string; variables?: Record<string, unknown>; operationName?: string },
    authorization: string | undefined,
  ) => Promise<ExecutionResult>;
  /** How often a live subscription re-checks its token (besides every event). */
  recheckMs: number;
}

const unauthenticated = (message = 'The session has expired or was revoked.') =>
  new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * The client's subscription, checked for what this gateway serves: one root field that a
 * subgraph serves (routes.ts), selecting its event's leaf fields and entities. The document has
 * passed the POST limits already (limits.ts: tokens, parse, validation, depth, aliases, cost).
 */
export function checkLiveOperation(
  deps: Pick<LiveDeps, 'routes'>,
  doc: DocumentNode,
  operationName?: string | null,
) {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op || op.operation !== 'subscription') throw badInput('Only subscriptions are served here.');
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const roots = op.selectionSet.selections;
  const route = roots[0]?.kind === Kind.FIELD ? deps.routes.get(roots[0].name.value) : undefined;
  if (roots.length !== 1 || !route)
    throw badInput(`Subscribe to exactly one field: ${[...deps.routes.keys()].join(' or ')}.`);
  const root = roots[0] as FieldNode;
  for (const s of root.selectionSet?.selections ?? [])
    if (
      s.kind !== Kind.FIELD ||
      !(
        s.name.value === '__typename' ||
        route.leafFields.includes(s.name.value) ||
        s.name.value in route.entities
      )
    )
      throw badInput(`Select fields of ${route.eventType} directly (no fragments at its level).`);
  return { doc, op, root, route, fragments };
}

type Checked = ReturnType<typeof checkLiveOperation>;

/** The event's fields in the client's shape (aliases kept); entities from the per-event queries. */
function shape(
  root: FieldNode,
  route: LiveRoute,
  event: Record<string, unknown>,
  entities: Map<FieldNode, unknown>,
) {
  const out: Record<string, unknown> = {};
  for (const s of root.selectionSet?.selections ?? []) {
    if (s.kind !== Kind.FIELD) continue;
    const key = s.alias?.value ?? s.name.value;
    if (s.name.value === '__typename') out[key] = route.eventType;
    else if (route.leafFields.includes(s.name.value)) out[key] = event[s.name.value];
    else if (entities.has(s)) out[key] = entities.get(s);
  }
  return { [root.alias?.value ?? root.name.value]: out };
}

/**
 * Runs a checked subscription for a bearer token: an async iterator of ExecutionResults that
 * ends with an UNAUTHENTICATED error as soon as the token no longer resolves.
 */
export function runLiveOperation(
  deps: LiveDeps,
  checked: Checked,
  variables: Record<string, unknown> | undefined,
  authorization: string | undefined,
  principal: Principal,
): AsyncIterableIterator<ExecutionResult> {
  const { root, route, fragments } = checked;
  const fieldDef = deps.schema.getSubscriptionType()?.getFields()[route.field];
  if (!fieldDef) throw badInput(`Subscribe to exactly one field: ${route.field}.`);
  // The root field's arguments, coerced as graphql-js would (a bad value is refused here), are
  // sent upstream as variables typed as the schema types them.
  const args = getArgumentValues(fieldDef, root, variables ?? {});
  const given = fieldDef.args.filter((a) => a.name in args);
  const upstreamQuery =
    `subscription Live_${route.field}${given.length ? `(${given.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : ''} ` +
    `{ ${route.field}${given.length ? `(${given.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''} ` +
    `{ ${[...route.leafFields, ...Object.keys(route.entities).map((e) => `${e} { id }`)].join(' ')} } }`;
  // Per entity the client selects: the query that re-reads it by id, with the client's selection.
  const printedFragments = [...fragments.values()].map(print).join('\n');
  const entityQueries = (root.selectionSet?.selections ?? [])
    .filter(
      (s): s is FieldNode =>
        s.kind === Kind.FIELD && s.name.value in route.entities && !!s.selectionSet,
    )
    .map((s) => ({
      node: s,
      field: s.name.value,
      query: `query Live_${route.field}_${s.name.value}($id: ID!) { entity: ${route.entities[s.name.value]}(id: $id) ${print(s.selectionSet!)} }\n${printedFragments}`,
    }));

  const queue: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const push = (r: ExecutionResult) => {
    queue.push(r);
    wake?.();
  };
  const wsUrl = deps.subgraphWsUrls[route.subgraph];
  if (!wsUrl) throw badInput(`${route.field} is not served by this gateway.`);
  const upstream = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: () => ({
      // For this subgraph's subscriptions only; it closes the socket (4403) when this expires,
      // and the retry connects again with a fresh one.
      [PRINCIPAL_HEADER]: signPrincipal(principal, deps.principalSecret, {
        audience: route.subgraph,
        subscription: true,
        ttlSeconds: MAX_PRINCIPAL_TTL_SECONDS,
      }),
    }),
    retryAttempts: 5,
    shouldRetry: () => true,
  });
  const end = (error?: GraphQLError) => {
    if (done) return;
    if (error) push({ errors: [error] });
    done = true;
    clearInterval(timer);
    // graphql-ws rejects dispose() when the socket closes before its ack (the subgraph
    // restarting); the subscription is ending anyway, and an unhandled rejection would crash.
    void Promise.resolve(upstream.dispose()).catch(() => undefined);
    wake?.();
  };
  const stillValid = async () => {
    try {
      await deps.resolvePrincipal(authorization);
      return true;
    } catch {
      end(unauthenticated());
      return false;
    }
  };
  const timer = setInterval(() => void stillValid(), deps.recheckMs);
  timer.unref();
  let chain = Promise.resolve();
  upstream.subscribe<Record<string, Record<string, unknown> | null>>(
    {
      query: upstreamQuery,
      variables: Object.fromEntries(given.map((a) => [a.name, args[a.name] ?? null])),
    },
    {
      next: (r) => {
        // Events are resolved one after another, in the order they arrived.
        chain = chain.then(async () => {
          if (done) return;
          const e = r.data?.[route.field];
          if (!e) {
            // An event the subgraph could not complete — its entity unreadable (the code and
            // id), changes it could not replay (re-read), or a refusal (FORBIDDEN) — is passed on
            // as its coded error; the subscription goes on (the subgraph ends a refused one).
            const errors = (r.errors ?? [])
              .filter((x) => typeof x.extensions?.code === 'string')
              .map((x) => new GraphQLError(x.message, { extensions: x.extensions }));
            if (errors.length && (await stillValid())) push({ data: null, errors });
            return;
          }
          if (!(await stillValid())) return;
          const entities = new Map<FieldNode, unknown>();
          let errors: ExecutionResult['errors'];
          for (const q of entityQueries) {
            const ref = e[q.field] as { id: string } | null | undefined;
            if (!ref) {
              entities.set(q.node, null);
              continue;
            }
            let body: ExecutionResult<{ entity: unknown }>;
            try {
              body = (await deps.execute(
                { query: q.query, variables: { id: ref.id } },
                authorization,
              )) as ExecutionResult<{ entity: unknown }>;
            } catch (err) {
              // The token no longer resolves: the subscription ends, as a query would be refused.
              if (err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED')
                return end(unauthenticated());
              throw err;
            }
            if (body.errors?.some((x) => x.extensions?.code === 'UNAUTHENTICATED'))
              return end(unauthenticated());
            // Not visible (any more) to this subscriber: no event.
            if (!body.data?.entity) return;
            entities.set(q.node, body.data.entity);
            if (body.errors) errors = [...(errors ?? []), ...body.errors];
          }
          push({ data: shape(root, route, e, entities), ...(errors ? { errors } : {}) });
        });
      },
      error: () =>
        end(
          new GraphQLError(`The ${route.subgraph} feed is unavailable.`, {
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          }),
        ),
      complete: () => end(),
    },
  );
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      for (;;) {
        const r = queue.shift();
        if (r) return { done: false, value: r };
        if (done) return { done: true, value: undefined };
        await new Promise<void>((res) => (wake = res));
        wake = undefined;
      }
    },
    async return() {
      end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

export { unauthenticated };

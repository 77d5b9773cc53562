// One client subscription resolved through the federated graph: the case subgraph's
// `caseUpdated` stream gives the event (kind, changedFields, case { id }), and the client's
// `case { … }` selection runs for each event as a query through the gateway's own pipeline, in
// process, with the subscriber's bearer token (Gateway.execute) — so entity fields of any subgraph
// resolve through the query plan, and are authorized (and depth/cost limited) per event exactly
// as a query would be. In process, not over loopback HTTP: no socket per event, no unbounded
// wait, and a gateway that runs trusted documents only still resolves the events of a trusted
// subscription (the per-event query is the gateway's own document, not a client's).
import {
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

export interface LiveDeps {
  /** The gateway's API schema (what clients validate against). */
  schema: GraphQLSchema;
  /** Resolves a bearer token to a principal; throws a GraphQLError UNAUTHENTICATED when invalid. */
  resolvePrincipal: (authorization: string | undefined) => Promise<Principal>;
  /** ws:// URL of the case subgraph's /graphql. */
  caseSubgraphWsUrl: string;
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
 * The client's subscription, checked for what this gateway serves: one `caseUpdated` root field.
 * The document has passed the POST limits already (limits.ts: tokens, parse, validation, depth,
 * aliases, cost).
 */
export function checkLiveOperation(
  _deps: LiveDeps,
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
  if (roots.length !== 1 || roots[0].kind !== Kind.FIELD || roots[0].name.value !== 'caseUpdated')
    throw badInput('Subscribe to exactly one field: caseUpdated.');
  return { doc, op, root: roots[0] as FieldNode, fragments };
}

type Checked = ReturnType<typeof checkLiveOperation>;

/** The event's fields in the client's shape (aliases kept); `case` from the per-event query. */
function shape(
  root: FieldNode,
  event: { kind: string; changedFields: string[] },
  caseValue: unknown,
) {
  const out: Record<string, unknown> = {};
  for (const s of root.selectionSet?.selections ?? []) {
    if (s.kind !== Kind.FIELD) continue;
    const key = s.alias?.value ?? s.name.value;
    if (s.name.value === '__typename') out[key] = 'CaseEvent';
    else if (s.name.value === 'kind') out[key] = event.kind;
    else if (s.name.value === 'changedFields') out[key] = event.changedFields;
    else if (s.name.value === 'case') out[key] = caseValue;
  }
  return { [root.alias?.value ?? 'caseUpdated']: out };
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
  const { root, fragments } = checked;
  const idArg = root.arguments?.find((a) => a.name.value === 'id');
  const id =
    idArg?.value.kind === Kind.VARIABLE
      ? variables?.[idArg.value.name.value]
      : idArg?.value.kind === Kind.STRING
        ? idArg.value.value
        : null;
  const caseField = root.selectionSet?.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'case',
  );
  const caseQuery = caseField?.selectionSet
    ? `query LiveCase($id: ID!) { case(id: $id) ${print(caseField.selectionSet)} }\n${[...fragments.values()].map(print).join('\n')}`
    : undefined;

  const queue: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const push = (r: ExecutionResult) => {
    queue.push(r);
    wake?.();
  };
  const upstream = createClient({
    url: deps.caseSubgraphWsUrl,
    webSocketImpl: WebSocket,
    connectionParams: () => ({
      // For the case subgraph's subscriptions only; it closes the socket (4403) when this
      // expires, and the retry connects again with a fresh one.
      [PRINCIPAL_HEADER]: signPrincipal(principal, deps.principalSecret, {
        audience: 'case',
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
    // graphql-ws rejects dispose() when the socket closes before its ack (the case subgraph
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
  upstream.subscribe<{
    caseUpdated: { kind: string; changedFields: string[]; case: { id: string } | null };
  }>(
    {
      query:
        'subscription LiveCaseUpstream($id: ID) { caseUpdated(id: $id) { kind changedFields case { id } } }',
      variables: { id: id ?? null },
    },
    {
      next: (r) => {
        // Events are resolved one after another, in the order they arrived.
        chain = chain.then(async () => {
          if (done) return;
          if (!r.data?.caseUpdated) {
            // An event the case subgraph could not complete — its case unreadable (the code and
            // caseId), or changes it could not replay (re-read) — is passed on as its coded error;
            // the subscription goes on.
            const errors = (r.errors ?? [])
              .filter((x) => typeof x.extensions?.code === 'string')
              .map((x) => new GraphQLError(x.message, { extensions: x.extensions }));
            if (errors.length && (await stillValid())) push({ data: null, errors });
            return;
          }
          if (!(await stillValid())) return;
          const e = r.data.caseUpdated;
          let caseValue: unknown = null;
          let errors: ExecutionResult['errors'];
          if (e.case && caseQuery) {
            let body: ExecutionResult<{ case: unknown }>;
            try {
              body = (await deps.execute(
                { query: caseQuery, variables: { id: e.case.id } },
                authorization,
              )) as ExecutionResult<{ case: unknown }>;
            } catch (err) {
              // The token no longer resolves: the subscription ends, as a query would be refused.
              if (err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED')
                return end(unauthenticated());
              throw err;
            }
            if (body.errors?.some((x) => x.extensions?.code === 'UNAUTHENTICATED'))
              return end(unauthenticated());
            // Not visible (any more) to this subscriber: no event.
            if (!body.data?.case) return;
            caseValue = body.data.case;
            errors = body.errors;
          } else if (e.case === null && caseField) caseValue = null;
          push({ data: shape(root, e, caseValue), ...(errors ? { errors } : {}) });
        });
      },
      error: () =>
        end(
          new GraphQLError('The case feed is unavailable.', {
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

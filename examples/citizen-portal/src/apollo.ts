// One Apollo Client per page, on the same-origin /graphql (the Vite dev server proxies it to the
// gateway; in production the portal is served next to the gateway), so no CORS is needed.
//
// Links, outermost first:
//   retry   — a network failure (no answer at all) is retried, but only for queries and for
//             mutations that carry an idempotencyKey: the graph guarantees that a retry with the
//             same key never creates a second case, comment, cart line or order.
//   refresh — before a request, a token that expires within a minute is refreshed first; an
//             UNAUTHENTICATED answer (HTTP 401) refreshes once and retries the request.
//   auth    — `Authorization: Bearer <accessToken>` when signed in, nothing otherwise.
//   http    — POST (never GET: the gateway refuses GETs without a preflight header as CSRF).
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { RetryLink } from '@apollo/client/link/retry';
import { print } from 'graphql';
import { from, switchMap } from 'rxjs';
import { PortalRefreshSessionDocument } from './gql/graphql';
import type { SessionStore, Tokens } from './session';

const GRAPHQL_PATH = '/graphql';
const REFRESH_AHEAD_MS = 60_000;

/**
 * refreshSession, sent WITHOUT the stale Authorization header (the graph runs it anonymously).
 * Concurrent callers share one refresh: with rotating refresh tokens a second refresh with the
 * same token would fail and sign the person out.
 */
function createRefresher(store: SessionStore) {
  let inFlight: Promise<Tokens | null> | null = null;
  const refresh = async (): Promise<Tokens | null> => {
    const current = store.get();
    if (!current?.refreshToken) return null;
    const res = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        operationName: 'PortalRefreshSession',
        query: print(PortalRefreshSessionDocument),
        variables: { refreshToken: current.refreshToken },
      }),
    });
    const body = (await res.json()) as {
      data?: { refreshSession?: { session?: Tokens | null } };
    };
    const next = body.data?.refreshSession?.session ?? null;
    // Rotation: keep the new refresh token; where the app does not rotate, keep the old one.
    store.set(next ? { ...next, refreshToken: next.refreshToken ?? current.refreshToken } : null);
    return store.get();
  };
  return () => {
    inFlight ??= refresh().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

const isUnauthenticated = (error: unknown) =>
  (CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
  (ServerError.is(error) && error.statusCode === 401);

const hasIdempotencyKey = (variables: Record<string, unknown>) => {
  const input = variables.input as { idempotencyKey?: unknown } | undefined;
  return typeof input?.idempotencyKey === 'string' && input.idempotencyKey.length > 0;
};

export function createApolloClient(store: SessionStore) {
  const refresh = createRefresher(store);

  const auth = new SetContextLink(async (prevContext) => {
    let tokens = store.get();
    const expiresAt = tokens?.expiresAt ? Date.parse(tokens.expiresAt) : NaN;
    if (tokens && Number.isFinite(expiresAt) && expiresAt - Date.now() < REFRESH_AHEAD_MS)
      tokens = await refresh();
    const headers = { ...(prevContext.headers as Record<string, string> | undefined) };
    if (tokens) headers.authorization = `Bearer ${tokens.accessToken}`;
    return { headers };
  });

  const refreshOnUnauthenticated = new ErrorLink(({ error, operation, forward }) => {
    if (!isUnauthenticated(error) || operation.getContext().refreshed) return;
    return from(refresh()).pipe(
      switchMap((tokens) => {
        if (!tokens) throw error; // no refresh token, or it is spent: sign in again
        operation.setContext({
          refreshed: true,
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        });
        return forward(operation);
      }),
    );
  });

  const retry = new RetryLink({
    delay: { initial: 300, max: 2_000, jitter: true },
    attempts: {
      max: 3,
      retryIf: (error, operation) =>
        // Only when no answer came back (an answer, even an error, is final).
        !CombinedGraphQLErrors.is(error) &&
        !ServerError.is(error) &&
        (operation.operationType === 'query' || hasIdempotencyKey(operation.variables)),
    },
  });

  const http = new HttpLink({ uri: GRAPHQL_PATH });

  return new ApolloClient({
    link: ApolloLink.from([retry, refreshOnUnauthenticated, auth, http]),
    cache: new InMemoryCache({
      typePolicies: {
        Citizen: { keyFields: ['id'] },
        Order: { keyFields: ['orderNo'] },
        Viewer: { keyFields: [] },
      },
    }),
    // Partial data with errors is the normal case of a federated graph: render what arrived.
    defaultOptions: {
      watchQuery: { errorPolicy: 'all', notifyOnNetworkStatusChange: true },
      query: { errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}

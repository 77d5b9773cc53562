// Apollo Client 4 with its defaults: HttpLink for queries, mutations, @defer and subscriptions
// (multipart HTTP, no split link needed), the bearer token on every request, one refresh and
// retry on UNAUTHENTICATED. `@defer` needs the incremental handler of the gateway's wire format.
import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
  gql,
} from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { from, mergeMap } from 'rxjs';
import { authHeaders, type Session } from './session.js';
import { CASE_UPDATED, CREATE_CASE, PROFILE_DEFERRED, VIEWER } from './operations.js';

/** The link chain without its terminating link: auth, and refresh-once on UNAUTHENTICATED. */
export function authLinks(session: Session) {
  const auth = new SetContextLink(({ headers }) => ({
    headers: { ...headers, ...authHeaders(session) },
  }));
  // refreshSession works even while the stale token is still attached (the gateway runs it as
  // anonymous, extensions.authentication: "ignored-invalid-token").
  const refresh = new ErrorLink(({ error, operation, forward }) => {
    const expired =
      (CombinedGraphQLErrors.is(error) &&
        error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    if (!expired) return;
    return from(session.refresh()).pipe(mergeMap(() => forward(operation)));
  });
  return ApolloLink.from([refresh, auth]);
}

export function createApolloClient(uri: string, session: Session, subscriptions?: ApolloLink) {
  const http = authLinks(session).concat(new HttpLink({ uri }));
  return new ApolloClient({
    // Subscriptions go over HttpLink's multipart protocol unless a WebSocket link is given.
    link: subscriptions
      ? ApolloLink.split((op) => op.operationType === 'subscription', subscriptions, http)
      : http,
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
}

export const viewer = (client: ApolloClient) => client.query({ query: gql(VIEWER) });

/** Resolves with the whole profile once the deferred part has arrived. */
export const profileDeferred = (client: ApolloClient, id: string) =>
  client.query({ query: gql(PROFILE_DEFERRED), variables: { id } });

/**
 * Opens a case. Choose the key once per user action and send the same key on every retry: a
 * retry after a timeout or a lost answer returns the same case, never a second one.
 */
export const createCase = (client: ApolloClient, subject: string, idempotencyKey: string) =>
  client.mutate({
    mutation: gql(CREATE_CASE),
    variables: { input: { subject, idempotencyKey } },
  });

/** Live updates of a case (or of all the citizen's cases without `id`). */
export const caseUpdates = (client: ApolloClient, id?: string) =>
  client.subscribe({ query: gql(CASE_UPDATED), variables: { id } });

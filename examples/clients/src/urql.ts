// urql (@urql/core) with its default exchanges: queries and @defer through fetchExchange, and
// subscriptions over SSE through the same exchange (`fetchSubscriptions`). Queries go as urql's
// default GET (within the URL limit); the gateway needs no preflight header.
import { Client, cacheExchange, fetchExchange, gql } from '@urql/core';
import { authHeaders, type Session } from './session.js';
import { CASE_UPDATED, PROFILE_DEFERRED, VIEWER } from './operations.js';

export function createUrqlClient(url: string, session: Session) {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetchSubscriptions: true,
    fetchOptions: () => ({ headers: authHeaders(session) }),
  });
}

export const viewer = (client: Client) => client.query(gql(VIEWER), {}).toPromise();

/** The first result has the profile; the deferred part is merged into a later one. */
export const profileDeferred = (client: Client, id: string) =>
  client.query(gql(PROFILE_DEFERRED), { id });

export const caseUpdates = (client: Client, id?: string) =>
  client.subscription(gql(CASE_UPDATED), { id });

// Apollo Client 4 with subscriptions over WebSocket (graphql-ws): the token goes in
// connection_init's payload, read at each (re)connection. Everything else stays on HttpLink.
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import { createApolloClient } from './apollo.js';
import { authHeaders, type Session } from './session.js';

/** `webSocketImpl`: browsers and Node 22 have a global WebSocket; on Node 20 pass `ws`'s. */
export function createApolloWsClient(
  uri: string,
  wsUrl: string,
  session: Session,
  webSocketImpl?: unknown,
) {
  const ws = createClient({
    url: wsUrl,
    connectionParams: () => authHeaders(session),
    webSocketImpl,
  });
  return { client: createApolloClient(uri, session, new GraphQLWsLink(ws)), ws };
}

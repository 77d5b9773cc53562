// graphql-ws's own client: one WebSocket, the token in connection_init's payload.
import { createClient } from 'graphql-ws';
import { authHeaders, type Session } from './session.js';
import { CASE_UPDATED } from './operations.js';

/** `webSocketImpl`: browsers and Node 22 have a global WebSocket; on Node 20 pass `ws`'s. */
export const createWsClient = (url: string, session: Session, webSocketImpl?: unknown) =>
  createClient({ url, connectionParams: () => authHeaders(session), webSocketImpl });

export const caseUpdates = (client: ReturnType<typeof createWsClient>, id?: string) =>
  client.iterate({ query: CASE_UPDATED, variables: { id } });

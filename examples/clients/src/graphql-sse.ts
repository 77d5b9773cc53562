// graphql-sse's own client (distinct connections, its default): one SSE stream per
// subscription, the bearer token as a header.
import { createClient } from 'graphql-sse';
import { authHeaders, type Session } from './session.js';
import { CASE_UPDATED } from './operations.js';

export const createSseClient = (url: string, session: Session) =>
  createClient({ url, headers: () => authHeaders(session) });

export const caseUpdates = (client: ReturnType<typeof createSseClient>, id?: string) =>
  client.iterate({ query: CASE_UPDATED, variables: { id } });

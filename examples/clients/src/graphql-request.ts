// graphql-request with its defaults (POST, JSON): the token read for each request.
import { GraphQLClient } from 'graphql-request';
import { authHeaders, type Session } from './session.js';
import { VIEWER } from './operations.js';

export const createRequestClient = (url: string, session: Session) =>
  new GraphQLClient(url, { headers: () => authHeaders(session) });

export const viewer = (client: GraphQLClient) =>
  client.request<{ viewer: { citizen: { id: string; displayName: string } | null } }>(VIEWER);

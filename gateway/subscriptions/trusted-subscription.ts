// Trusted documents for subscriptions: the same rule as /graphql (gateway/persisted-documents.ts)
// for documents that arrive over WebSocket or SSE, which never pass the express middleware.
// graphql-ws and graphql-sse both require a `query` string in the payload, so a client that sends
// a document by id sends `query: ""` with `documentId` (the payload's, or in `extensions`) or
// Apollo's `extensions.persistedQuery.sha256Hash`; the manifest's text then replaces it.
import { GraphQLError } from 'graphql';
import type { PersistedDocuments } from '../persisted-documents.js';

export interface TrustedDocuments {
  documents: PersistedDocuments;
  /** TRUSTED_DOCUMENTS_ONLY: refuse every document that is not in the manifest. */
  only: boolean;
}

export interface SubscriptionPayload {
  query?: unknown;
  documentId?: unknown;
  extensions?: { documentId?: unknown; persistedQuery?: { sha256Hash?: unknown } } | null;
}

const refused = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code } });

/** The document text to run for a subscription payload, or a coded error saying why not. */
export function trustedSubscriptionText(
  trusted: TrustedDocuments,
  payload: SubscriptionPayload,
): string {
  const id =
    payload.documentId ??
    payload.extensions?.documentId ??
    payload.extensions?.persistedQuery?.sha256Hash;
  if (id !== undefined) {
    const text = typeof id === 'string' ? trusted.documents.byId(id) : undefined;
    if (!text)
      throw refused(
        'PERSISTED_QUERY_NOT_FOUND',
        'Unknown documentId: it is not in the persisted documents manifest.',
      );
    return text;
  }
  const query = typeof payload.query === 'string' ? payload.query : '';
  if (trusted.only && !trusted.documents.hasText(query))
    throw refused(
      'PERSISTED_QUERY_REQUIRED',
      'This gateway runs trusted documents only: send the documentId of a persisted document (npm run codegen writes the manifest).',
    );
  return query;
}

// Operations an anonymous caller may run — signing in, refreshing, registration, password reset,
// the catalogue, `__typename` and introspection — still run when they arrive with an invalid or
// expired bearer token: as anonymous, with `extensions.authentication: "ignored-invalid-token"`.
// A browser that still holds a stale `Authorization` header can then refresh or sign in again (the
// usual "on UNAUTHENTICATED, refresh and retry" link). Every other operation keeps 401.
//
// Decided on the parsed operation (fragments included) while the request's context is built —
// before Apollo parses, plans, costs or books anything, so a refused request answers 401 exactly
// as before and costs the caller's address nothing. The text is the request's `query`, after
// persisted documents (documentId, or an APQ hash in the manifest) put it there; an APQ hash only
// Apollo's own cache knows has no text yet and keeps 401: send the document with its hash.
import {
  getOperationAST,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';

/** Root fields that need no signed-in caller, per root operation type. */
export const ANONYMOUS_ROOT_FIELDS: Readonly<Record<'query' | 'mutation', ReadonlySet<string>>> = {
  query: new Set(['product', 'products', '__typename', '__schema', '__type']),
  mutation: new Set([
    'login',
    'refreshSession',
    'startRegistration',
    'completeRegistration',
    'startPasswordReset',
    'completePasswordReset',
    '__typename',
  ]),
};

export const IGNORED_TOKEN_EXTENSION = 'authentication';
export const IGNORED_TOKEN_VALUE = 'ignored-invalid-token';

/**
 * Whether the operation `operationName` of `document` selects only anonymous-allowed root fields
 * (fragments included; a field under @skip/@include still counts). False when the operation
 * cannot be determined (no such name, several operations without a name, a missing fragment).
 */
export function selectsOnlyAnonymousFields(
  document: DocumentNode,
  operationName?: string | null,
  /** Instead of ANONYMOUS_ROOT_FIELDS (e.g. the public catalogue's, cache-control.ts). */
  only?: Readonly<Partial<Record<'query' | 'mutation', ReadonlySet<string>>>>,
): boolean {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation || operation.operation === 'subscription') return false;
  const allowed = (only ?? ANONYMOUS_ROOT_FIELDS)[operation.operation];
  if (!allowed) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return allowed.has(s.name.value);
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return true; // a cycle: graphql validation refuses it anyway
      seen.add(name);
      const fragment = fragments.get(name);
      return !!fragment && walk(fragment.selectionSet);
    });
  return walk(operation.selectionSet);
}

/** The document and operation name of a request as Apollo will read them (POST body or GET). */
function requestedOperation(
  method: string,
  body: unknown,
  url: string,
): { query?: unknown; operationName?: unknown } {
  if (method === 'GET') {
    const params = new URL(url, 'http://x').searchParams;
    return {
      query: params.get('query') ?? undefined,
      operationName: params.get('operationName') ?? undefined,
    };
  }
  return body && typeof body === 'object' && !Array.isArray(body)
    ? (body as { query?: unknown; operationName?: unknown })
    : {};
}

/** Whether a request whose token was refused may run as anonymous instead of answering 401. */
export function mayIgnoreInvalidToken(req: {
  method: string;
  body?: unknown;
  url: string;
}): boolean {
  const { query, operationName } = requestedOperation(req.method, req.body, req.url);
  if (typeof query !== 'string') return false;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return false;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  return selectsOnlyAnonymousFields(document, operationName);
}

/**
 * Requests that run as anonymous despite their token, by their headers object (Apollo hands
 * plugins a shallow copy of the context, which shares it).
 */
const ignoredTokens = new WeakSet<object>();

/** The context of a request whose token is ignored: no principal, and the token goes nowhere. */
export function ignoreInvalidToken(context: GatewayContext): void {
  ignoredTokens.add(context.headers);
  delete context.headers.authorization;
}

/** Did this request run as anonymous although it carried a (refused) token? */
export const tokenWasIgnored = (context: GatewayContext): boolean =>
  ignoredTokens.has(context.headers);

/** Says so in the response: `extensions.authentication: "ignored-invalid-token"`. */
export const anonymousOperationsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (!ignoredTokens.has(contextValue.headers) || response.body.kind !== 'single') return;
        response.body.singleResult.extensions = {
          ...response.body.singleResult.extensions,
          [IGNORED_TOKEN_EXTENSION]: IGNORED_TOKEN_VALUE,
        };
      },
    };
  },
};

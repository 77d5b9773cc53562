// Cache-Control for what a CDN may keep: an anonymous GET query that reads only the public
// catalogue (Query.product, products, productSearch; __typename) and answered without errors is
// `public, max-age=CATALOGUE_CACHE_MAX_AGE_SECONDS` (0: nothing is public); every other
// answer — a principal's, a mutation, any POST, an error, a token ignored as invalid, a deferred
// (multipart) answer — is `private, no-store`.
//
// Our own plugin rather than Apollo's cache-control plugin and `@cacheControl` hints: behind
// @apollo/gateway the hints would have to be declared in every subgraph, composed, and sent back
// per fetch as subgraph Cache-Control headers for the gateway to merge; and they say how long a
// field's value lives, not who asked. What may be shared is decided here by the two facts that
// matter — the caller is anonymous and the operation's root fields are the catalogue's (the same
// walk as anonymous-operations.ts) — so a new principal-dependent field can never become public
// by a forgotten hint. Apollo's own plugin stays off (`cacheControl` disabled) so the two never
// disagree.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from './context.js';
import { selectsOnlyAnonymousFields, tokenWasIgnored } from './anonymous-operations.js';

/** Root fields whose answers are the same for every anonymous caller. */
export const PUBLIC_CATALOGUE_FIELDS: ReadonlySet<string> = new Set([
  'product',
  'products',
  'productSearch',
  '__typename',
]);

export const PRIVATE = 'private, no-store';

export function cacheControlPlugin(maxAgeSeconds: number): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, contextValue, document, operationName }) {
          const single = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const isPublic =
            maxAgeSeconds > 0 &&
            request.http?.method === 'GET' &&
            contextValue.principal?.kind === 'anonymous' &&
            !contextValue.headers.authorization &&
            !tokenWasIgnored(contextValue) &&
            !!single &&
            !single.errors?.length &&
            !!document &&
            selectsOnlyAnonymousFields(document, operationName, {
              query: PUBLIC_CATALOGUE_FIELDS,
            });
          response.http.headers.set(
            'cache-control',
            isPublic ? `public, max-age=${maxAgeSeconds}` : PRIVATE,
          );
        },
      };
    },
  };
}

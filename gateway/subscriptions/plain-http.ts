// What the ordinary /graphql handler answers for operations it does not run: a subscription sent
// as a plain request (no streaming Accept; negotiate.ts routes the streaming ones before express)
// and an operationName the document does not define. Both are the client's mistake: HTTP 400 with
// a message that says what to do, never the gateway's 500.
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { SUPPORTED_TRANSPORTS } from './negotiate.js';

export const plainHttpRefusals: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request }) {
        if (!operation)
          throw new GraphQLError(
            request.operationName
              ? `Unknown operation named "${request.operationName}".`
              : 'The document has several operations: send operationName.',
            { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
          );
        if (operation.operation === 'subscription') throw plainHttpSubscriptionError();
      },
    };
  },
};

export const plainHttpSubscriptionError = () =>
  new GraphQLError(
    `Subscriptions are not served as a plain HTTP request. Subscribe over ${SUPPORTED_TRANSPORTS}.`,
    { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
  );

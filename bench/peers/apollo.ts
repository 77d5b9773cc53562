// Peer: stock @apollo/gateway 2.14.4 + @apollo/server 5.5.1 with their defaults; the only
// addition is the pre-signed principal header on every subgraph request.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { port, principal, PRINCIPAL_HEADER, supergraphSdl } from './common.js';

const gateway = new ApolloGateway({
  supergraphSdl: supergraphSdl(),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request }) {
        request.http?.headers.set(PRINCIPAL_HEADER, principal());
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
console.log(`apollo peer on ${url}`);

// Peer: stock @apollo/gateway 2.14.4 + @apollo/server 5.5.1 with their defaults; the only
// addition is the principal header signed for every subgraph request (in its fetcher, where the
// body is known).
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { port, principalFor, PRINCIPAL_HEADER, supergraphSdl } from './common.js';

const gateway = new ApolloGateway({
  supergraphSdl: supergraphSdl(),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      fetcher: (input, init) =>
        // The fetcher's init types a Buffer body, which undici's fetch accepts (a Uint8Array).
        fetch(input, {
          ...(init as RequestInit),
          headers: {
            ...init?.headers,
            [PRINCIPAL_HEADER]: principalFor(String(input), init?.body),
          },
        }) as never,
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
console.log(`apollo peer on ${url}`);

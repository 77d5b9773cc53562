// Peer: Hive Gateway 2.15.1 with the Rust query planner (@graphql-hive/router-runtime 1.4.23's
// unifiedGraphHandler), defaults otherwise; the only addition is the principal header signed for
// every subgraph request (in its onFetch hook, where the body is known).
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { port, principalFor, PRINCIPAL_HEADER, supergraphSdl } from './common.js';

const gateway = createGatewayRuntime({
  supergraph: supergraphSdl(),
  unifiedGraphHandler,
  plugins: () => [
    {
      onFetch({ url, options, setOptions }) {
        const headers = new Headers(options.headers as HeadersInit | undefined);
        headers.set(PRINCIPAL_HEADER, principalFor(url, options.body));
        setOptions({ ...options, headers: Object.fromEntries(headers) });
      },
    },
  ],
});
const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => {
  const a = server.address();
  console.log(
    `hive peer on http://127.0.0.1:${typeof a === 'object' && a ? a.port : port}/graphql`,
  );
});

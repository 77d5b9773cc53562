// Peer: Hive Gateway 2.15.1 with the Rust query planner (@graphql-hive/router-runtime 1.4.23's
// unifiedGraphHandler), defaults otherwise; the only addition is the pre-signed principal header
// on every subgraph request.
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { port, principal, PRINCIPAL_HEADER, supergraphSdl } from './common.js';

const gateway = createGatewayRuntime({
  supergraph: supergraphSdl(),
  unifiedGraphHandler,
  propagateHeaders: {
    fromClientToSubgraphs: () => ({ [PRINCIPAL_HEADER]: principal() }),
  },
});
const server = createServer(gateway);
server.listen(port, '127.0.0.1', () => {
  const a = server.address();
  console.log(
    `hive peer on http://127.0.0.1:${typeof a === 'object' && a ? a.port : port}/graphql`,
  );
});

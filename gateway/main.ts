// npm run start:gateway — the gateway on the committed supergraph.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mountGraphiql } from './graphiql.js';
import { listen } from '../lib/http.js';
import { loadGatewayConfig } from './config.js';
import { createGateway } from './server.js';

const config = loadGatewayConfig(process.env);
const supergraphSdl = readFileSync(
  new URL('../schema/supergraph.graphql', import.meta.url),
  'utf8',
);
const graphiqlDir = fileURLToPath(new URL('../dist/graphiql', import.meta.url));
const gateway = await createGateway({
  ...config,
  supergraphSdl,
  beforeGraphql: (app) => mountGraphiql(app, { dir: graphiqlDir }),
});
const http = await listen(gateway.app, config.port, config.host);
console.log(`gateway on ${http.url}/graphql (open it in a browser for GraphiQL)`);
const stop = async () => {
  await gateway.stop();
  await http.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

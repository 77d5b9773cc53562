// npm run start:gateway — the gateway on the committed supergraph.
import { readFileSync } from 'node:fs';
import { listen } from '../lib/http.js';
import { loadGatewayConfig } from './config.js';
import { createGateway } from './server.js';

const config = loadGatewayConfig(process.env);
const supergraphSdl = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
const gateway = await createGateway({ ...config, supergraphSdl });
const http = await listen(gateway.app, config.port, config.host);
console.log(`gateway on ${http.url}/graphql`);
const stop = async () => {
  await gateway.stop();
  await http.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

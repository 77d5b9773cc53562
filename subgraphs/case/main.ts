// Starts the Case subgraph on CASE_PORT (default 4002).
import { listen } from '../../lib/http.js';
import { loadCaseConfig } from './config.js';
import { createCaseServer } from './server.js';

const config = loadCaseConfig(process.env);
const server = await createCaseServer(config);
const up = await listen(server.app, config.port, config.host);
console.log(`case subgraph ready at ${up.url}/graphql`);

// Starts the Session subgraph on SESSION_PORT (default 4004).
import { listen } from '../../lib/http.js';
import { loadSessionConfig } from './config.js';
import { createSessionServer } from './server.js';

const config = loadSessionConfig(process.env);
const server = await createSessionServer(config);
const up = await listen(server.app, config.port, config.host);
console.log(`session subgraph ready at ${up.url}/graphql`);

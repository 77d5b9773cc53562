// Starts the Session subgraph on SESSION_PORT (default 4004).
import { startSubgraph } from '../../lib/subgraph-main.js';
import { loadSessionConfig } from './config.js';
import { createSessionServer } from './server.js';

startSubgraph({
  name: 'session',
  loadConfig: loadSessionConfig,
  create: (config, shared) => createSessionServer(config, { limiter: shared.limiter }),
});

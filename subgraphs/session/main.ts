// Starts the Session subgraph on SESSION_PORT (default 4004).
import { startSubgraph } from '../../lib/subgraph-main.js';
import { loadSessionConfig } from './config.js';
import { createSessionServer } from './server.js';
import { RedisGrantStore } from './session-grants.js';

startSubgraph({
  name: 'session',
  loadConfig: loadSessionConfig,
  create: (config, shared) =>
    createSessionServer(config, {
      limiter: shared.limiter,
      grants: shared.redis ? new RedisGrantStore(shared.redis) : undefined,
      redis: shared.redis,
    }),
});

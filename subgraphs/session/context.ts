// Per-request context: the upstream clients and DataLoaders are born here, for one request.
import type { LoginThrottle } from './login-throttle.js';
import type { RequestBase } from '../../lib/subgraph-server.js';
import { CrmClient, IdentityClient, type CoreTokenCache } from './client.js';
import type { SessionConfig } from './config.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface Context extends RequestBase {
  config: SessionConfig;
  identity: IdentityClient;
  loaders: Loaders;
  loginThrottle: LoginThrottle;
}

export function createContextFactory(
  config: SessionConfig,
  tokens: CoreTokenCache,
  loginThrottle: LoginThrottle,
) {
  return (base: RequestBase): Context => {
    const transport = { cost: base.cost };
    const crm = new CrmClient(config, tokens, transport);
    return {
      ...base,
      config,
      identity: new IdentityClient(config, transport),
      loaders: createLoaders(crm),
      loginThrottle,
    };
  };
}

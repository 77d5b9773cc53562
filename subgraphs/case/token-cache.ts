// The case subgraph's core token: the shared cache from lib/, configured from CaseConfig.
import { CoreTokenCache as SharedCoreTokenCache } from '../../lib/core-token-cache.js';
import type { CaseConfig } from './config.js';

export type { CoreSession, CoreTokenResponse } from '../../lib/core-token-cache.js';

export class CoreTokenCache extends SharedCoreTokenCache {
  constructor(config: CaseConfig) {
    super({
      loginUrl: config.crmLoginUrl,
      clientId: config.crmClientId,
      clientSecret: config.crmClientSecret,
      timeoutMs: config.timeoutMs,
      sessionTtlSeconds: config.crmSessionTtlSeconds,
    });
  }
}

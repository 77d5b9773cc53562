// The CRM family (mounted at /crm = the org's instance URL): core OAuth on the org host and the
// REST API under /services/data (docs/salesforce/crm-rest.md).
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
import { createOAuthRouter } from './oauth.js';
import { createRestRouter } from './rest-router.js';

export { seedCrm } from './seed.js';

export function createCrmRouter(core: EmulatorCore): Router {
  const r = Router();
  r.use(createOAuthRouter(core));
  r.use(createRestRouter(core));
  return r;
}

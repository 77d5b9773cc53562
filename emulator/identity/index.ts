// Headless Identity family (docs/salesforce/headless-identity.md), mounted at /identity = the
// Experience Cloud site. Credentials live here (hashed); the User, Contact and TwoFactorMethodsInfo
// records live in core.sobjects (seeded by CRM, created here by registration).
import { Router } from 'express';
import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../core/emulator-core.js';
import { createHeadlessRouter } from './headless.js';
import { createOAuthRouter } from './oauth.js';
import { hashPassword } from './passwords.js';
import { identityState } from './state.js';

export { identityState } from './state.js';

export function seedIdentity(core: EmulatorCore): void {
  const state = identityState(core);
  const { world } = core;
  // Every seeded citizen has the demo password: ONE scrypt with ONE salt for the whole seed batch
  // (per-user salts appear as soon as a user changes their password).
  const shared = hashPassword(world.citizenPassword, randomBytes(16));
  for (const c of world.citizens) {
    state.credentials.set(c.username.toLowerCase(), {
      userId: c.userId,
      hash: shared.hash,
      salt: shared.salt,
    });
    state.citizenByUserId.set(c.userId, c.index);
  }
  for (const a of world.agents)
    state.credentials.set(a.username.toLowerCase(), {
      userId: a.userId,
      ...hashPassword(a.password),
    });
}

export function createIdentityRouter(core: EmulatorCore): Router {
  const r = Router();
  r.use(createOAuthRouter(core));
  r.use(createHeadlessRouter(core));
  return r;
}

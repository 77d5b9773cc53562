// PLACEHOLDER until the Identity family lands.
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
export function seedIdentity(_core: EmulatorCore): void {}
export function createIdentityRouter(_core: EmulatorCore): Router {
  return Router();
}

// PLACEHOLDER until the CRM family lands.
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
export function seedCrm(_core: EmulatorCore): void {}
export function createCrmRouter(_core: EmulatorCore): Router {
  return Router();
}

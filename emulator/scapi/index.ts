// PLACEHOLDER until the SCAPI family lands.
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
export function seedScapi(_core: EmulatorCore): void {}
export function createScapiRouter(_core: EmulatorCore): Router {
  return Router();
}

// PLACEHOLDER until the Data Cloud family lands.
import { Router } from 'express';
import type { EmulatorCore } from '../core/emulator-core.js';
export function seedDataCloud(_core: EmulatorCore): void {}
export function createDataCloudRouters(_core: EmulatorCore) {
  return { exchange: Router(), connect: Router(), tse: Router() };
}

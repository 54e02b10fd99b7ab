// The X API v2 emulator for tests: see server.ts (protocol) and spec-validator.ts (the spec checks).
export { startXEmulator } from './server';
export type { FaultMode, XEmulator, XEmulatorClient, XEmulatorControl, XEmulatorOptions } from './server';
export type { Violation } from './spec-validator';
export { ME_ID, ME_USERNAME } from './state';

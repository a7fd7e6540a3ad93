// `xstate-circuit-breaker/persist`: keeping a circuit across reloads and sharing it between tabs. Only apps that import
// this entry bundle the code that does it.
export { persistCircuit } from './persistCircuit.js';
export { sharePacerAcrossTabs } from './sharePacerAcrossTabs.js';
export type { AnnouncedLimits, PacerLink, PacerSharingLink } from '../pacing/PacerSharingLink.js';
export type { PacerSharing, PacerSharingStats } from '../pacing/pacerTypes.js';
export type { CircuitLink, CircuitPersistence } from './CircuitPersistence.js';
export { createMemoryStorage } from './createMemoryStorage.js';
export type { PersistSettings } from './resolvePersistOptions.js';
export type { CircuitStorage, PersistOptions, SyncChannel, SyncLockManager, SyncStats } from './types.js';

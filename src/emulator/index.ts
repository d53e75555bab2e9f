/**
 * The local Help Scout Mailbox API v2 emulator: a library first (start it, get a URL, close it); the
 * `hs-import emulator` command is a thin wrapper around `startEmulator`.
 */
export { startEmulator } from './emulator.js';
export { CorruptDataFileError } from './journal.js';
export { PROFILES } from './options.js';
export { DEFAULT_SEED } from './seed.js';
export type {
  Emulator,
  EmulatorAudit,
  EmulatorOptions,
  EmulatorProfile,
  EmulatorSeed,
  EmulatorState,
  EmulatorStats,
  FaultCounts,
  FaultOptions,
  SeedConversation,
  SeedCustomer,
  SeedMailbox,
  SeedThread,
  SeedUser,
  StoredAttachment,
  StoredConversation,
  StoredCustomer,
  StoredSource,
  StoredTag,
  StoredThread,
  StoredThreadType,
  TokenFaultOptions,
  TokenOutcome,
} from './types.js';

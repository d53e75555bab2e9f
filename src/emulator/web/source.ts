import type { RecentRequest } from '../stats.js';
import type {
  EmulatorStats,
  FaultOptions,
  SeedMailbox,
  SeedUser,
  StoredConversation,
  StoredCustomer,
} from '../types.js';

/** The account as the view may see it: read-only maps (the emulator's `Store` fits this shape). */
export interface ReadOnlyStore {
  readonly mailboxes: ReadonlyMap<number, Readonly<SeedMailbox>>;
  readonly users: ReadonlyMap<number, Readonly<SeedUser>>;
  readonly customers: ReadonlyMap<number, Readonly<StoredCustomer>>;
  readonly conversations: ReadonlyMap<number, Readonly<StoredConversation>>;
}

/** Everything the web view reads; it never writes. */
export interface WebSource {
  store: ReadOnlyStore;
  stats: { snapshot(): EmulatorStats; recent(): RecentRequest[] };
  faults(): FaultOptions | undefined;
  rateLimitPerMinute: number;
}

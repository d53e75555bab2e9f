import { namesCustomer } from './customer.js';
import type { ThreadRow } from './types.js';

/**
 * Which valid rows keep their cells as read: those a later stage may still reject. Planning rejects a
 * conversation none of whose rows names the customer, so a row keeps its cells unless its conversation is
 * known to name one (the row itself or an earlier row of it). Remembers up to `capacity` conversations and
 * forgets them all when full: forgetting keeps more cells than needed, never fewer.
 */
export class RawCellsKeeper {
  private named = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  mayBeNeeded(row: Omit<ThreadRow, 'raw' | 'pos'>): boolean {
    if (namesCustomer(row)) {
      if (this.named.size >= this.capacity) this.named = new Set();
      this.named.add(row.conversationId);
      return false;
    }
    return !this.named.has(row.conversationId);
  }
}

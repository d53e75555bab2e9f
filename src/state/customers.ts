import type { StateStore } from './store.js';

/** What a check of customer ids remembers between runs: the ids found in Help Scout. */
export interface CustomerMemory {
  known(id: number): boolean;
  found(id: number): void;
}

/** The customer ids earlier runs found, kept in the state file (table customers). */
export function customerMemory(store: StateStore): CustomerMemory {
  const known = new Set(store.prepare('SELECT customer_id FROM customers').pluck().all() as number[]);
  const insert = store.prepare('INSERT OR IGNORE INTO customers (customer_id) VALUES (?)');
  return {
    known: (id) => known.has(id),
    found: (id) => {
      known.add(id);
      insert.run(id);
    },
  };
}

/** Forgets every customer found: they belong to the account the state file was pointed at before. */
export function forgetCustomers(store: StateStore): void {
  store.prepare('DELETE FROM customers').run();
}

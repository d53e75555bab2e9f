import { StateStore } from '../../src/state/store.js';

/**
 * better-sqlite3 12 can abort the process on Node 24 when the garbage collector finalizes a database or
 * statement object mid-run (the product keeps one store for the whole process, so it never meets this).
 * Tests that make many throw-away stores keep them all reachable until the process ends.
 */
const kept: unknown[] = [];

export function keepAlive<T>(value: T): T {
  kept.push(value);
  return value;
}

export function memoryStore(): StateStore {
  return keepAlive(StateStore.memory());
}

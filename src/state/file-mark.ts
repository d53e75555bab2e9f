import { FatalError } from '../util/errors.js';
import type { StateStore } from './store.js';

/**
 * The mark of an hs-import state file in SQLite's header (`PRAGMA application_id`): "HSIM". `file(1)` and
 * this program tell the file from any other SQLite database by it.
 */
export const STATE_APPLICATION_ID = 0x4853494d;

/**
 * What a file about to be used as the state file is: new (no tables), ours (marked), or an hs-import state
 * written before the mark (a `meta` table with a schema version): adopted and marked. Anything else is
 * another application's database, refused before a byte of it is changed.
 */
export function checkStateFile(store: StateStore): 'new' | 'ours' | 'adopt' {
  const id = store.prepare('PRAGMA application_id').pluck().get() as number;
  if (id === STATE_APPLICATION_ID) return 'ours';
  if (id !== 0) {
    throw new FatalError(
      'STATE_FOREIGN',
      `${store.path} is not an hs-import state file: it is another application's SQLite database (application_id ${id}). Choose another --state path; this file is left untouched.`,
      { path: store.path, applicationId: id },
    );
  }
  const tables = store
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return 'new';
  const version = tables.includes('meta')
    ? (store.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as
        | string
        | undefined)
    : undefined;
  if (version !== undefined && tables.includes('threads')) return 'adopt';
  throw new FatalError(
    'STATE_FOREIGN',
    `${store.path} is not an hs-import state file: it is a SQLite database with other tables (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}). Choose another --state path; this file is left untouched.`,
    { path: store.path, tables },
  );
}

/** Marks the file as hs-import's (see STATE_APPLICATION_ID). */
export function markStateFile(store: StateStore): void {
  store.db.exec(`PRAGMA application_id = ${STATE_APPLICATION_ID}`);
}

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { FatalError } from '../util/errors.js';
import { checkStateFile, markStateFile, STATE_APPLICATION_ID } from './file-mark.js';
import { MIGRATE_4_TO_5_SQL } from './identity-migration.js';
import { currentHolder, describeHolder, holderIsAlive, type LockHolder } from './run-lock.js';
import {
  MIGRATE_1_TO_3_SQL,
  MIGRATE_2_TO_3_SQL,
  MIGRATE_3_TO_4_SQL,
  SCHEMA_SQL,
  SCHEMA_VERSION,
  THREAD_INDEXES_SQL,
} from './schema.js';

export type Db = Database.Database;

/** The page cache, in KiB (see open). */
const CACHE_KIB = 32_768;
/**
 * SQLite's sorter keeps up to the page cache's size of keys in memory before it spills them to a temporary
 * file, on top of the cache itself: building an index over 1,000,000 threads took 32 MB more at its peak.
 */
const SORTER_KIB = 4_096;

/** The state file: opened once per command, private to its owner, locked against a second run. */
export class StateStore {
  readonly db: Db;
  readonly path: string;
  private locked = false;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
  }

  static open(path: string, options: { mustExist?: boolean; busyTimeoutMs?: number } = {}): StateStore {
    const exists = existsSync(path);
    if (!exists && options.mustExist) {
      throw new FatalError(
        'STATE_MISSING',
        `State file ${path} does not exist: run "hs-import import" first.`,
        {
          path,
        },
      );
    }
    if (!exists) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Create it private before SQLite opens it: its -wal and -shm files take the same mode.
      closeSync(openSync(path, 'a', 0o600));
    }
    let store: StateStore;
    let db: Db | undefined;
    try {
      db = new Database(path);
      // exec, not db.pragma(): pragma() leaves a statement object behind for the collector.
      db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      store = new StateStore(path, db);
      // Before anything is changed: another application's database is refused untouched.
      if (checkStateFile(store) !== 'ours') markStateFile(store);
      chmodSync(path, 0o600);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      // 32 MiB of page cache: staging and planning go over far more pages than the default 2 MiB. More
      // makes planning a little faster, but it is the one part of the memory that grows with the export
      // until it is full (the memory bench holds a 1,000,000-row validate within 1.3 × a 100,000-row one).
      db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
      db.exec(SCHEMA_SQL);
    } catch (cause) {
      db?.close();
      if (cause instanceof FatalError) throw cause;
      if ((cause as { code?: string }).code === 'SQLITE_BUSY') {
        throw new FatalError(
          'STATE_BUSY',
          `State file ${path} is busy: a run is reading the export into it or planning, and keeps it to itself meanwhile. Try again in a moment.`,
          { path },
          { cause },
        );
      }
      throw new FatalError(
        'STATE_CORRUPT',
        `State file ${path} cannot be opened: ${(cause as Error).message}`,
        { path },
        { cause },
      );
    }
    const version = store.getMeta('schema_version');
    if (version === undefined) {
      store.setMeta('schema_version', String(SCHEMA_VERSION));
      db.exec(THREAD_INDEXES_SQL);
    } else if (Number(version) === 1)
      store.migrate(MIGRATE_1_TO_3_SQL + MIGRATE_3_TO_4_SQL + MIGRATE_4_TO_5_SQL);
    else if (Number(version) === 2)
      store.migrate(MIGRATE_2_TO_3_SQL + MIGRATE_3_TO_4_SQL + MIGRATE_4_TO_5_SQL);
    else if (Number(version) === 3) store.migrate(MIGRATE_3_TO_4_SQL + MIGRATE_4_TO_5_SQL);
    else if (Number(version) === 4) store.migrate(MIGRATE_4_TO_5_SQL);
    else if (Number(version) !== SCHEMA_VERSION) {
      db.close();
      throw new FatalError(
        'STATE_VERSION',
        `State file ${path} has schema version ${version}; this hs-import reads version ${SCHEMA_VERSION}.`,
        { path },
      );
    }
    return store;
  }

  /** A throw-away store, for planning without touching any state file (`validate`). */
  static memory(): StateStore {
    const db = new Database(':memory:');
    db.exec(`PRAGMA application_id = ${STATE_APPLICATION_ID}`);
    db.exec(SCHEMA_SQL);
    db.exec(THREAD_INDEXES_SQL);
    return new StateStore(':memory:', db);
  }

  /** A state file written by an earlier hs-import: every row and outcome is carried over, in one transaction. */
  private migrate(sql: string): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.exec(sql);
      this.db.exec(THREAD_INDEXES_SQL);
      this.setMeta('schema_version', String(SCHEMA_VERSION));
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * A prepared statement, compiled once and kept for the life of the store. Besides saving the compile,
   * it keeps statements from being garbage-collected one by one: better-sqlite3 12 can abort the process on
   * Node 24 when the collector finalizes a statement at the wrong moment.
   */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs statements that sort a whole table (building an index) with the sorter held to SORTER_KIB: the page
   * cache is lowered meanwhile, since the sorter takes its size from it, then set back.
   */
  execSorting(sql: string): void {
    const cacheSize = this.prepare('PRAGMA cache_size').pluck().get() as number;
    this.db.exec(`PRAGMA cache_size = -${SORTER_KIB}`);
    try {
      this.db.exec(sql);
    } finally {
      this.db.exec(`PRAGMA cache_size = ${cacheSize}`);
    }
  }

  /**
   * Runs the bulk phases of a run (staging and planning: one large transaction each) with a rollback journal
   * instead of the write-ahead log. Pages new to the file are then written once, where the WAL writes every
   * page twice (to the log, then back into the file) and indexes each frame: on a first load, about a fifth
   * of the run's CPU. Each transaction stays atomic (a killed run leaves a hot journal that the next open
   * rolls back), and synchronous = FULL keeps it durable. Sending, with its many small transactions, runs
   * in WAL. When another connection has the file open (`status`), the mode can't change and stays WAL;
   * one that tries to open the file during a bulk phase is told it is busy (STATE_BUSY).
   */
  async bulk<T>(phase: () => Promise<T>): Promise<T> {
    const switched = this.path !== ':memory:' && this.setJournalMode('delete') === 'delete';
    if (switched) this.db.exec('PRAGMA synchronous = FULL');
    try {
      return await phase();
    } finally {
      if (switched && this.db.open) {
        this.setJournalMode('wal');
        this.db.exec('PRAGMA synchronous = NORMAL');
      }
    }
  }

  /** The journal mode now in force: the one asked for, or the old one when it can't change now. */
  private setJournalMode(mode: 'delete' | 'wal'): string {
    try {
      return this.prepare(`PRAGMA journal_mode = ${mode}`).pluck().get() as string;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      return 'unchanged';
    }
  }

  getMeta(key: string): string | undefined {
    const row = this.prepare('SELECT value FROM meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  /**
   * Takes the run lock, or fails naming the process that holds it. A lock whose process is gone (killed,
   * crashed) is taken over: the ledger, not the lock, is what keeps the data safe.
   */
  acquireLock(): void {
    const take = this.db.transaction(() => {
      const raw = this.getMeta('lock');
      if (raw) {
        const holder = JSON.parse(raw) as LockHolder;
        if (holder.pid !== process.pid && holderIsAlive(holder)) {
          throw new FatalError(
            'STATE_LOCKED',
            `State file ${this.path} is in use by ${describeHolder(holder)}. Wait for it to finish, or stop it.`,
            { path: this.path, pid: holder.pid },
          );
        }
      }
      this.setMeta('lock', JSON.stringify(currentHolder(new Date())));
    });
    take.immediate();
    this.locked = true;
  }

  /** Who holds the run lock now, if anyone (as recorded: the holder may have died since). */
  lockHolder(): LockHolder | undefined {
    const raw = this.getMeta('lock');
    return raw ? (JSON.parse(raw) as LockHolder) : undefined;
  }

  releaseLock(): void {
    if (!this.locked) return;
    this.prepare("DELETE FROM meta WHERE key = 'lock'").run();
    this.locked = false;
  }

  close(): void {
    if (!this.db.open) return;
    this.releaseLock();
    this.db.close();
  }
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SCHEMA_SQL } from '../../src/state/schema.js';
import { StateStore } from '../../src/state/store.js';
import { FatalError } from '../../src/util/errors.js';
import { keepAlive } from '../support/keep-alive.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('store');

/** The threads table as hs-import wrote it in schema version 1: the message inside the row. */
const THREADS_V1 = `
CREATE TABLE threads (
  id INTEGER PRIMARY KEY, base_key TEXT NOT NULL, occurrence INTEGER NOT NULL, conversation_key TEXT NOT NULL,
  seq INTEGER NOT NULL, created_at TEXT NOT NULL, source_thread_id TEXT, bytes INTEGER NOT NULL,
  row_json TEXT NOT NULL, raw_json TEXT NOT NULL, profile_json TEXT, seen_run INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  part_id INTEGER, part_index INTEGER, inline INTEGER NOT NULL DEFAULT 0,
  attachments_later INTEGER NOT NULL DEFAULT 0, hs_thread_id INTEGER, error TEXT,
  UNIQUE (base_key, occurrence)
);
CREATE INDEX threads_by_conversation ON threads (conversation_key, seen_run);
CREATE INDEX threads_by_part ON threads (part_id, part_index) WHERE part_id IS NOT NULL;`;

/** The threads table as hs-import wrote it in schema version 2: the message apart, the part in the row. */
const THREADS_V2 = `
CREATE TABLE threads (
  id INTEGER PRIMARY KEY, base_key TEXT NOT NULL, occurrence INTEGER NOT NULL, conversation_key TEXT NOT NULL,
  seq INTEGER NOT NULL, created_at TEXT NOT NULL, source_thread_id TEXT, bytes INTEGER NOT NULL,
  profile_json TEXT, agent_email TEXT, seen_run INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
  part_id INTEGER, part_index INTEGER, inline INTEGER NOT NULL DEFAULT 0,
  attachments_later INTEGER NOT NULL DEFAULT 0, hs_thread_id INTEGER, error TEXT
);
CREATE UNIQUE INDEX threads_identity ON threads (base_key, occurrence);
CREATE INDEX threads_by_conversation ON threads (conversation_key, seen_run);
CREATE INDEX threads_by_part ON threads (part_id, part_index) WHERE part_id IS NOT NULL;
CREATE TABLE thread_bodies (thread_id INTEGER PRIMARY KEY, row_json TEXT NOT NULL, raw_json TEXT);`;

/** The writes table as versions 1 to 3 had it: creates only, four outcomes. */
const WRITES_V3 = `
CREATE TABLE writes (
  id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, part_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('create-conversation', 'create-thread', 'create-attachment')),
  thread_ids TEXT NOT NULL, hs_conversation_id INTEGER, intent_at TEXT NOT NULL,
  outcome TEXT CHECK (outcome IN ('ok', 'failed', 'in-doubt', 'not-created')),
  http_status INTEGER, resource_id INTEGER, error TEXT, finished_at TEXT, resolution TEXT
);
CREATE INDEX writes_by_part ON writes (part_id);
CREATE INDEX writes_open ON writes (outcome);`;

function indexesOf(store: StateStore, table: string): unknown[] {
  return store
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
    .pluck()
    .all(table);
}

/** A state file as an earlier hs-import left it: its own threads table, the rest as now, its version. */
function earlierStateFile(
  name: string,
  threadsSql: string,
  version: number,
): { file: string; db: Database.Database } {
  const file = path.join(dir, name);
  const db = new Database(file);
  db.exec(threadsSql);
  db.exec(WRITES_V3);
  db.exec(SCHEMA_SQL);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(version));
  return { file, db };
}

/** Opened, the file is at version 4 with version 4's indexes, and its log admits rollbacks. */
function assertMigrated(store: StateStore): void {
  assert.equal(store.getMeta('schema_version'), '5');
  assert.deepEqual(indexesOf(store, 'writes'), ['writes_by_part', 'writes_deletions', 'writes_open']);
  const tables = store.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  assert.ok(!tables.includes('writes_v3'), 'the old writes table is gone');
  const schema = store.prepare("SELECT sql FROM sqlite_master WHERE name = 'writes'").pluck().get();
  assert.match(String(schema), /'delete-conversation'/);
  assert.deepEqual(indexesOf(store, 'threads'), [
    'threads_by_conversation',
    'threads_identity',
    'threads_settled',
  ]);
  assert.deepEqual(indexesOf(store, 'thread_parts'), ['thread_parts_by_part']);
}

function journalMode(store: StateStore): string {
  return store.prepare('PRAGMA journal_mode').pluck().get() as string;
}

describe('state file', () => {
  it('carries a version 1 state file over to version 5 with every row, outcome, message and part', () => {
    const { file, db } = earlierStateFile('v1.sqlite', THREADS_V1, 1);
    const insert = db.prepare(
      `INSERT INTO threads (base_key, occurrence, conversation_key, seq, created_at, bytes, row_json, raw_json,
                            seen_run, state, part_id, part_index, hs_thread_id)
       VALUES (?, 1, 'c1', ?, '2024-01-01T10:00:00Z', 500, ?, '["c1","x"]', 1, ?, 1, ?, ?)`,
    );
    insert.run('c1\u001fid:1', 0, JSON.stringify({ role: 'customer', text: 'hi' }), 'done', 0, 77);
    insert.run(
      'c1\u001fid:2',
      1,
      JSON.stringify({ role: 'agent', text: 'hello', authorEmail: 'Ana@Example.com' }),
      'pending',
      1,
      null,
    );
    db.close();

    const store = keepAlive(StateStore.open(file));
    assertMigrated(store);
    const threads = store
      .prepare('SELECT id, state, hs_thread_id AS hs, agent_email AS agent FROM threads ORDER BY id')
      .all();
    assert.deepEqual(threads, [
      { id: 1, state: 'done', hs: 77, agent: null },
      { id: 2, state: 'pending', hs: null, agent: 'ana@example.com' },
    ]);
    const bodies = store.prepare('SELECT id, row_json, raw_json FROM threads ORDER BY id').all();
    assert.deepEqual(bodies, [
      { id: 1, row_json: JSON.stringify({ role: 'customer', text: 'hi' }), raw_json: '["c1","x"]' },
      {
        id: 2,
        row_json: JSON.stringify({ role: 'agent', text: 'hello', authorEmail: 'Ana@Example.com' }),
        raw_json: '["c1","x"]',
      },
    ]);
    const parts = store.prepare('SELECT * FROM thread_parts ORDER BY thread_id').all();
    assert.deepEqual(parts, [
      { thread_id: 1, part_id: 1, part_index: 0, inline: 0, attachments_later: 0 },
      { thread_id: 2, part_id: 1, part_index: 1, inline: 0, attachments_later: 0 },
    ]);
    store.close();
  });

  it('carries a version 2 state file over to version 5: messages back in threads, parts in thread_parts', () => {
    const { file, db } = earlierStateFile('v2.sqlite', THREADS_V2, 2);
    const insert = db.prepare(
      `INSERT INTO threads (base_key, occurrence, conversation_key, seq, created_at, bytes, seen_run, state,
                            part_id, part_index, inline, attachments_later, hs_thread_id)
       VALUES (?, 1, 'c1', ?, '2024-01-01T10:00:00Z', 500, 1, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run('c1\u001fid:1', 0, 'done', 4, 0, 1, 1, 77);
    insert.run('c1\u001fid:2', 1, 'pending', 4, 1, 0, 0, null);
    insert.run('c1\u001fid:3', 2, 'pending', null, null, 0, 0, null);
    const body = db.prepare('INSERT INTO thread_bodies (thread_id, row_json, raw_json) VALUES (?, ?, ?)');
    for (const id of [1, 2, 3]) body.run(id, JSON.stringify({ text: `m${id}` }), id === 3 ? '["c1"]' : null);
    db.close();

    const store = keepAlive(StateStore.open(file));
    assertMigrated(store);
    const threads = store
      .prepare(
        'SELECT id, state, hs_thread_id AS hs, row_json AS row, raw_json AS raw FROM threads ORDER BY id',
      )
      .all();
    assert.deepEqual(threads, [
      { id: 1, state: 'done', hs: 77, row: '{"text":"m1"}', raw: null },
      { id: 2, state: 'pending', hs: null, row: '{"text":"m2"}', raw: null },
      { id: 3, state: 'pending', hs: null, row: '{"text":"m3"}', raw: '["c1"]' },
    ]);
    const tables = store.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    assert.ok(!tables.includes('thread_bodies') && !tables.includes('threads_v2'), 'the old tables are gone');
    const parts = store.prepare('SELECT * FROM thread_parts ORDER BY thread_id').all();
    assert.deepEqual(parts, [
      { thread_id: 1, part_id: 4, part_index: 0, inline: 1, attachments_later: 1 },
      { thread_id: 2, part_id: 4, part_index: 1, inline: 0, attachments_later: 0 },
    ]);
    const columns = store.prepare("SELECT name FROM pragma_table_info('threads')").pluck().all();
    assert.ok(!columns.includes('part_id'), 'the part columns are gone from threads');
    store.close();
  });

  it('carries a version 3 state file over to version 5: every write and outcome, and rollbacks recorded', () => {
    // Version 3's tables are today's but for writes.
    const { file, db } = earlierStateFile('v3.sqlite', '', 3);
    const write = db.prepare(
      `INSERT INTO writes (run_id, part_id, kind, thread_ids, hs_conversation_id, intent_at, outcome, http_status,
                           resource_id, error, finished_at, resolution)
       VALUES (1, ?, ?, '[1]', ?, '2024-01-01T10:00:00Z', ?, ?, ?, ?, ?, ?)`,
    );
    write.run(
      1,
      'create-conversation',
      null,
      'ok',
      201,
      500,
      null,
      '2024-01-01T10:00:01Z',
      'read back: found',
    );
    write.run(1, 'create-thread', 500, 'failed', 400, null, 'Bad request', '2024-01-01T10:00:02Z', null);
    write.run(2, 'create-conversation', null, null, null, null, null, null, null);
    const before = db.prepare('SELECT * FROM writes ORDER BY id').all();
    db.close();

    const store = keepAlive(StateStore.open(file));
    assertMigrated(store);
    assert.deepEqual(store.prepare('SELECT * FROM writes ORDER BY id').all(), before);
    store
      .prepare(
        `INSERT INTO writes (run_id, part_id, kind, thread_ids, intent_at, outcome)
         VALUES (2, 1, 'delete-conversation', '[]', '2024-01-02T00:00:00Z', 'deleted')`,
      )
      .run();
    // Part 1's writes are history now; part 2's open create still stands.
    assert.deepEqual(store.prepare('SELECT id FROM live_writes ORDER BY id').pluck().all(), [3]);
    store.close();
  });

  it('runs a bulk phase with a rollback journal and returns to the WAL, even when the phase fails', async () => {
    const store = keepAlive(StateStore.open(path.join(dir, 'bulk.sqlite')));
    assert.equal(journalMode(store), 'wal');
    await store.bulk(async () => {
      assert.equal(journalMode(store), 'delete');
    });
    assert.equal(journalMode(store), 'wal');
    await assert.rejects(
      store.bulk(async () => {
        throw new Error('source gone');
      }),
      /source gone/,
    );
    assert.equal(journalMode(store), 'wal');
    store.close();
  });

  it('stays in the WAL when another connection has the file open', async () => {
    const file = path.join(dir, 'shared.sqlite');
    const store = keepAlive(StateStore.open(file));
    const reader = new Database(file, { readonly: true });
    reader.prepare('SELECT count(*) FROM threads').get();
    await store.bulk(async () => {
      assert.equal(journalMode(store), 'wal');
    });
    reader.close();
    store.close();
  });

  it('tells a command that opens the file during a bulk phase that it is busy, and lets it in after', async () => {
    const file = path.join(dir, 'busy.sqlite');
    const store = keepAlive(StateStore.open(file));
    await store.bulk(async () => {
      store.db.exec('BEGIN IMMEDIATE');
      store.prepare("INSERT INTO runs (started_at, pid, command) VALUES ('x', 1, 'import')").run();
      assert.throws(
        () => StateStore.open(file, { mustExist: true, busyTimeoutMs: 50 }),
        (error: unknown) =>
          error instanceof FatalError && error.code === 'STATE_BUSY' && /busy.*Try again/.test(error.message),
      );
      store.db.exec('COMMIT');
    });
    const status = keepAlive(StateStore.open(file, { mustExist: true }));
    assert.equal(status.prepare('SELECT count(*) FROM runs').pluck().get(), 1);
    status.close();
    store.close();
  });

  it('a process killed inside a bulk transaction leaves the state as it was', () => {
    const file = path.join(dir, 'killed.sqlite');
    keepAlive(StateStore.open(file)).close();
    const script = path.join(dir, 'kill-in-bulk.mts');
    const storeModule = path.resolve('src/state/store.ts');
    writeFileSync(
      script,
      `import { StateStore } from ${JSON.stringify(storeModule)};
       const store = StateStore.open(${JSON.stringify(file)});
       await store.bulk(async () => {
         store.db.exec('BEGIN IMMEDIATE');
         const insert = store.db.prepare(
           "INSERT INTO runs (started_at, pid, command) VALUES ('2024-01-01T00:00:00Z', 1, ?)");
         for (let i = 0; i < 20000; i++) insert.run('x'.repeat(200));
         process.kill(process.pid, 'SIGKILL');
       });`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', child.stderr);
    assert.ok(existsSync(`${file}-journal`), 'the killed transaction left its journal');
    const store = keepAlive(StateStore.open(file));
    assert.equal(store.prepare('SELECT count(*) FROM runs').pluck().get(), 0);
    assert.equal(journalMode(store), 'wal');
    assert.equal(existsSync(`${file}-journal`), false);
    store.close();
  });
});

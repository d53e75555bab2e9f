import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { STATE_APPLICATION_ID } from '../../src/state/file-mark.js';
import { processStarted } from '../../src/state/run-lock.js';
import { StateStore } from '../../src/state/store.js';
import { HsImportError } from '../../src/util/errors.js';
import { keepAlive } from '../support/keep-alive.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('state-mark');
let counter = 0;
const fresh = () => path.join(dir, `state-${counter++}.sqlite`);

function applicationIdOf(file: string): number {
  const db = keepAlive(new Database(file, { readonly: true }));
  const statement = keepAlive(db.prepare('PRAGMA application_id'));
  const id = statement.pluck().get() as number;
  db.close();
  return id;
}

/** A SQLite file made by someone else: `setup` runs on it. */
function foreignFile(setup: string): string {
  const file = fresh();
  const db = keepAlive(new Database(file));
  db.exec(setup);
  db.close();
  return file;
}

function refused(file: string, message: RegExp): void {
  const before = readFileSync(file);
  assert.throws(
    () => StateStore.open(file),
    (error: unknown) =>
      error instanceof HsImportError && error.code === 'STATE_FOREIGN' && message.test(error.message),
  );
  assert.deepEqual(readFileSync(file), before, 'the file is left untouched');
}

test('a new state file is marked as hs-import’s', () => {
  const file = fresh();
  keepAlive(StateStore.open(file)).close();
  assert.equal(applicationIdOf(file), STATE_APPLICATION_ID);
  keepAlive(StateStore.open(file)).close();
});

test('another application’s SQLite database is refused, never adopted', () => {
  refused(
    foreignFile('PRAGMA application_id = 1234; CREATE TABLE notes (id INTEGER)'),
    /not an hs-import state file.*application_id 1234/,
  );
  refused(
    foreignFile('CREATE TABLE notes (id INTEGER); CREATE TABLE meta (key TEXT, value TEXT)'),
    /not an hs-import state file.*other tables \(meta, notes\)/,
  );
});

test('an hs-import state file written before the mark is adopted and marked', () => {
  const file = fresh();
  const store = keepAlive(StateStore.open(file));
  store.setMeta('target', 'kept');
  store.close();
  const db = keepAlive(new Database(file));
  db.exec('PRAGMA application_id = 0');
  db.close();
  assert.equal(applicationIdOf(file), 0);
  const again = keepAlive(StateStore.open(file));
  assert.equal(again.getMeta('target'), 'kept');
  again.close();
  assert.equal(applicationIdOf(file), STATE_APPLICATION_ID);
});

const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
after(() => child.kill());

test('a lock whose process id was reused by another process is taken over; its holder’s is not', () => {
  const pid = child.pid as number;
  const started = processStarted(pid);
  if (started === undefined) return; // No way to read start times here: the old rule (alive) applies.
  const file = fresh();
  const store = keepAlive(StateStore.open(file));
  const holder = { pid, host: hostname(), since: '2025-01-01T00:00:00.000Z' };
  store.setMeta('lock', JSON.stringify({ ...holder, started }));
  assert.throws(() => store.acquireLock(), /in use by process \d+ on .* since 2025-01-01/);
  store.setMeta('lock', JSON.stringify({ ...holder, started: `${started}-before-a-reboot` }));
  store.acquireLock();
  assert.equal(store.lockHolder()?.pid, process.pid);
  assert.equal(store.lockHolder()?.started, processStarted(process.pid));
  store.close();
  assert.equal(keepAlive(StateStore.open(file)).lockHolder(), undefined);
});

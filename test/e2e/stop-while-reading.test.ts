import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, waitForExit } from '../support/cli.js';
import { tempDir, validRowsOf, writeConfig } from '../support/fixtures.js';
import { generateExport } from '../support/generate-export.js';
import { checkImport, readMapping } from '../support/import-check.js';
import { keepAlive } from '../support/keep-alive.js';

/**
 * Waits for the rollback journal of a bulk phase (staging) to appear beside the state file, and to stay. A
 * -journal also shows for an instant whenever the journal mode changes (the file's header is rewritten
 * through one): on a new file, and when the bulk phase leaves WAL just before staging.
 */
async function stagingHasStarted(state: string): Promise<void> {
  const journal = `${state}-journal`;
  const started = Date.now();
  let seen = 0;
  while (seen < 2) {
    if (Date.now() - started > 60_000) throw new Error('staging never started');
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen = existsSync(journal) ? seen + 1 : 0;
  }
}

function stagedThreads(state: string): { threads: number; journalMode: string } {
  const db = keepAlive(new Database(state, { readonly: true }));
  const threads = db.prepare('SELECT count(*) FROM threads').pluck().get() as number;
  const journalMode = db.prepare('PRAGMA journal_mode').pluck().get() as string;
  db.close();
  return { threads, journalMode };
}

describe('stopped while the export is read (parsing thread, rollback journal)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('kill -9 or SIGINT while staging leaves nothing staged, and the next run imports every row once', async () => {
    const dir = tempDir('stop-reading');
    const source = join(dir, 'export.csv');
    await generateExport(source, { seed: 404, minThreads: 30_000 });
    const state = join(dir, 'state.sqlite');
    const config = writeConfig(dir, {
      source: { files: [source] },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      concurrency: 4,
      state,
      reportDir: join(dir, 'report'),
      logLevel: 'error',
    });
    const args = ['import', '--config', config];

    const killed = spawnCli(args, { cwd: dir, env: ENV });
    const killedExit = waitForExit(killed);
    await stagingHasStarted(state);
    killed.kill('SIGKILL');
    assert.equal((await killedExit).signal, 'SIGKILL');
    assert.ok(existsSync(`${state}-journal`), 'the killed staging left its journal');
    // The next opening rolls the half-written staging back.
    const status = await runCli(['status', '--config', config], { cwd: dir, env: ENV });
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(stagedThreads(state), { threads: 0, journalMode: 'wal' });

    const stopped = spawnCli(args, { cwd: dir, env: ENV });
    const stoppedExit = waitForExit(stopped);
    await stagingHasStarted(state);
    stopped.kill('SIGINT');
    const interrupted = await stoppedExit;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.deepEqual(stagedThreads(state), { threads: 0, journalMode: 'wal' });
    assert.equal(emulator.state().conversations.length, 0, 'nothing was sent');

    const finished = await runCli(args, { cwd: dir, env: ENV });
    assert.equal(finished.code, 0, finished.stderr);
    const valid = validRowsOf([source], 'UTC');
    assert.deepEqual(
      checkImport(emulator.state(), valid, readMapping(join(dir, 'report', 'mapping.csv'))),
      [],
    );
  });
});

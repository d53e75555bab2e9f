import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, stderrLine, waitForExit } from '../support/cli.js';
import { tempDir, validRowsOf, writeConfig } from '../support/fixtures.js';
import { generateExport } from '../support/generate-export.js';
import { checkImport, readMapping } from '../support/import-check.js';

/** Staging has begun once the run logs that it reads the export: the kill follows that event, not a clock. */
const READING = /"event":"source\.reading"/;

/** `status` of a state file in which nothing is staged: no thread in any state. */
const NOTHING_STAGED = /^threads: done 0, pending 0, failed 0, not planned 0$/m;

describe('stopped while the export is read (parsing thread)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('kill -9 or SIGINT while staging leaves nothing staged, and the next run imports every row once', async () => {
    const dir = tempDir('stop-reading');
    const source = join(dir, 'export.csv');
    await generateExport(source, { seed: 404, minThreads: 30_000 });
    const config = writeConfig(dir, {
      source: { files: [source] },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      concurrency: 4,
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
      logLevel: 'info',
    });
    const args = ['import', '--config', config];

    const killed = spawnCli(args, { cwd: dir, env: ENV });
    const killedExit = waitForExit(killed);
    await stderrLine(killed, READING);
    killed.kill('SIGKILL');
    assert.equal((await killedExit).signal, 'SIGKILL');
    // The next opening rolls the half-written staging back.
    const status = await runCli(['status', '--config', config], { cwd: dir, env: ENV });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, NOTHING_STAGED);

    const stopped = spawnCli(args, { cwd: dir, env: ENV });
    const stoppedExit = waitForExit(stopped);
    await stderrLine(stopped, READING);
    stopped.kill('SIGINT');
    const interrupted = await stoppedExit;
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /stopped while reading the export; nothing was sent or kept/);
    const after = await runCli(['status', '--config', config], { cwd: dir, env: ENV });
    assert.match(after.stdout, NOTHING_STAGED);
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

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { expectedImport } from '../support/expected-threads.js';
import { demoFacts, demoFiles, readCsv, tempDir, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping } from '../support/import-check.js';

describe('403 (access denied is account-wide), through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('stops the run at once with what to do, marks nothing failed, and the next run completes exactly once', async () => {
    const dir = tempDir('denied');
    const facts = demoFacts();
    const config = writeConfig(dir, {
      source: { files: demoFiles(), timezone: facts.timezone },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      concurrency: 4,
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
    });
    emulator.setAccessDenied(true);
    const denied = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(denied.code, 1, denied.stderr);
    assert.match(
      denied.stderr,
      /answered 403.*disabled for the company or its payment information is missing/s,
    );
    assert.doesNotMatch(denied.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(emulator.state().conversations.length, 0);

    const status = await runCli(['status', '--config', config], { cwd: dir, env: ENV });
    assert.match(status.stdout, /failed 0/);

    emulator.setAccessDenied(false);
    const again = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(again.code, 2, again.stderr); // the demo's deliberate rejects
    const expected = expectedImport(demoFiles(), facts.timezone);
    const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
    assert.deepEqual(checkImport(emulator.state(), expected.threads, mapping), []);
    assert.equal(readCsv(join(dir, 'report', 'rejects.csv')).length, facts.rejectedRows);
  });
});

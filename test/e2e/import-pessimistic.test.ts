import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { expectedImport } from '../support/expected-threads.js';
import { demoFacts, demoFiles, tempDir, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping } from '../support/import-check.js';

/**
 * The demo under the emulator's pessimistic profile: every open question answered the worse way (lists lag,
 * historic modifiedAt, rewritten bodies, inline createdAt only with the thread's own imported, inline files
 * dropped, 100 KB on thread endpoints, no thread ids, other primary emails, deleted conversations listed, a
 * flaky token endpoint). The lag is shortened, and so is the importer's horizon, to keep the test short.
 */
for (const strategy of ['batch', 'per-thread'] as const) {
  describe(`the demo under the pessimistic profile (${strategy}), through the built CLI`, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({
        profile: 'pessimistic',
        searchLagMs: 1_500,
        rateLimitPerMinute: 1_000_000,
      });
    });
    after(() => emulator.close());

    it('imports every thread exactly once, in order, with its time and files; closed and unassigned', async () => {
      const dir = tempDir(`pessimistic-${strategy}`);
      const facts = demoFacts();
      const config = writeConfig(dir, {
        source: { files: demoFiles(), timezone: facts.timezone },
        target: { apiUrl: emulator.url, mailboxId: 1 },
        strategy,
        concurrency: 4,
        state: join(dir, 'state.sqlite'),
        reportDir: join(dir, 'report'),
        reconcile: { searchRetries: 1, searchDelayMs: 200, resendAfterSeconds: 4 },
        retry: { retries: 5, minDelayMs: 50, maxDelayMs: 400 },
      });
      const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
      assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
      const expected = expectedImport(demoFiles(), facts.timezone);
      const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
      assert.deepEqual(checkImport(emulator.state(), expected.threads, mapping, 'closed', 'as-read'), []);
      const audit = emulator.audit();
      assert.deepEqual(audit.reopenedByAppend, [], 'no conversation re-opened');
      assert.deepEqual(audit.autoAssigned, [], 'no conversation auto-assigned');
    });
  });
}

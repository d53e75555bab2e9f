import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { expectedImport, firstInDateOrder } from '../support/expected-threads.js';
import { demoFacts, demoFiles, readCsv, tempDir, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping, writesReceived } from '../support/import-check.js';

/** The invalid rows fixtures/demo/README.md lists, by field and reason. */
const DEMO_REJECTS: [string, RegExp][] = [
  ['created_at', /^"2024-02-30 10:00:00" is not a calendar date$/],
  ['text', /^empty: the message has no text$/],
  ['author_role', /^unknown role "chatbot"/],
  ['first_name', /^must be 1–40 characters \(has 56\)$/],
  ['attachments', /^"\.\.\/\.\.\/package\.json" is outside the CSV's folder$/],
  ['attachments', /^"attachments\/scan-of-receipt\.pdf" does not exist$/],
];

for (const strategy of ['batch', 'per-thread'] as const) {
  describe(`import of the demo export (${strategy}), end to end through the built CLI`, () => {
    let emulator: Emulator;
    let dir: string;
    let config: string;
    const facts = demoFacts();

    before(async () => {
      // The documented answers (appended replies and notes reactivate, an omitted assignTo assigns) are the
      // emulator's defaults: the check below holds every conversation closed and unassigned.
      emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
      dir = tempDir(`e2e-${strategy}`);
      config = writeConfig(dir, {
        source: { files: demoFiles(), timezone: facts.timezone },
        target: { apiUrl: emulator.url, mailboxId: 1, tags: ['hs-import'] },
        strategy,
        concurrency: 4,
        state: join(dir, 'state.sqlite'),
        reportDir: join(dir, 'report'),
        reconcile: { searchRetries: 1, searchDelayMs: 10, resendAfterSeconds: 2 },
        logLevel: 'debug',
      });
    });
    after(() => emulator.close());

    it('imports every valid thread exactly once, in order, with exact times and attachments; reports every reject', async () => {
      const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
      assert.equal(result.code, 2, `exit 2 for the deliberate rejects\n${result.stdout}\n${result.stderr}`);

      const expected = expectedImport(demoFiles(), facts.timezone);
      const valid = expected.threads;
      assert.equal(valid.length, facts.validRows);
      assert.deepEqual(expected.rejectsByField, facts.rejectsByField);
      const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
      const problems = checkImport(emulator.state(), valid, mapping);
      assert.deepEqual(problems, []);

      const parts = new Map<string, number>();
      for (const m of mapping) parts.set(m.source, (parts.get(m.source) ?? 0) + 1);
      assert.equal(parts.size, facts.conversations);
      assert.equal(parts.get('conv-1032'), strategy === 'batch' ? 3 : 3);
      assert.equal(parts.get('conv-1020'), 2);
      // Status: the conversation's own (first non-empty in date order), else the config's `closed`.
      const statusOf = firstInDateOrder(valid, 'status');
      assert.ok(statusOf.size > 0, 'the demo gives some conversations their own status');
      const hsToSource = new Map(mapping.map((m) => [m.hs, m.source]));
      for (const c of emulator.state().conversations) {
        const source = hsToSource.get(c.id) as string;
        assert.ok(c.imported, `conversation ${c.id} imported`);
        assert.equal(c.status, statusOf.get(source) ?? 'closed', `status of ${source}`);
        assert.ok(c.tags.includes('hs-import'));
      }

      const rejects = readCsv(join(dir, 'report', 'rejects.csv'));
      assert.equal(rejects.length, facts.rejectedRows);
      const byField: Record<string, number> = {};
      for (const r of rejects)
        byField[r.reject_field as string] = (byField[r.reject_field as string] ?? 0) + 1;
      assert.deepEqual(byField, facts.rejectsByField);
      for (const r of rejects) {
        assert.match(r.reject_file as string, /chats-202[45]\.csv$/);
        assert.ok(Number(r.reject_row) > 0);
      }
      // Each of the README's six invalid rows, with the reason a user would need to fix it.
      for (const [field, reason] of DEMO_REJECTS) {
        assert.ok(
          rejects.some((r) => r.reject_field === field && reason.test(r.reject_reason as string)),
          `no ${field} reject matching ${reason}`,
        );
      }

      const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8'));
      assert.equal(summary.threads.imported, facts.validRows);
      assert.equal(summary.rows.rejected, facts.rejectedRows);
      assert.equal(statSync(join(dir, 'state.sqlite')).mode & 0o777, 0o600);
      // The secret reaches no file the run leaves behind: log, reports, state, whatever their names.
      const left = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      assert.ok(left.some((e) => e.name === 'run.log'));
      for (const entry of left) {
        const file = join(entry.parentPath, entry.name);
        assert.ok(!readFileSync(file).includes(ENV.HELPSCOUT_APP_SECRET), `${file} holds the secret`);
      }
    });

    it('a second run sends no write and changes nothing', async () => {
      const before = writesReceived(emulator);
      const snapshot = JSON.stringify(emulator.state().conversations);
      const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(writesReceived(emulator), before);
      assert.equal(JSON.stringify(emulator.state().conversations), snapshot);
    });
  });
}

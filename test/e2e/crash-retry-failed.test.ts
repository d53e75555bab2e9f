import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, waitForExit } from '../support/cli.js';
import { crashRunSettings } from '../support/crash-run.js';
import { readCsv, tempDir, writeConfig } from '../support/fixtures.js';
import { prng } from '../support/generate-export.js';
import { killAfterWrites } from '../support/kill-after-writes.js';

const CONVERSATIONS = 24;
const LINES = 6;

/** Every line's text is unique; a third of them carry the marker the emulator refuses at first. */
function exportCsv(): { csv: string; expected: Map<string, string[]> } {
  const expected = new Map<string, string[]>();
  const lines = ['conversation_id,created_at,text,author_role,customer_email'];
  for (let c = 0; c < CONVERSATIONS; c++) {
    const texts: string[] = [];
    for (let i = 0; i < LINES; i++) {
      // The last three conversations are refused whole: their parts are never created.
      const refused = c >= CONVERSATIONS - 3 || i % 3 === 1;
      const text = `c${c} line ${i}${refused ? ' REFUSE' : ''}`;
      texts.push(text);
      lines.push(
        `c${c},2024-06-01T${String(8 + (c % 10)).padStart(2, '0')}:0${i}:00Z,${text},customer,c${c}@example.com`,
      );
    }
    expected.set(`c${c}@example.com`, texts);
  }
  return { csv: `${lines.join('\n')}\n`, expected };
}

it('--retry-failed killed mid-way and run again sends every refused thread exactly once, in order (built CLI)', async () => {
  // An emulator of its own: the check holds every conversation in it to account.
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, faults: { refuseText: 'REFUSE' } });
  try {
    const dir = tempDir('crash-retry');
    const source = join(dir, 'export.csv');
    const { csv, expected } = exportCsv();
    writeFileSync(source, csv);
    const config = writeConfig(dir, {
      source: { files: [source], timezone: 'UTC' },
      ...crashRunSettings(dir, emulator.url),
    });
    const first = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(first.code, 2, first.stderr);
    assert.equal(readCsv(join(dir, 'report', 'failures.csv')).length, 21 * 2 + 3 * LINES);
    assert.equal(emulator.state().conversations.length, CONVERSATIONS - 3);

    // Help Scout now takes them, but loses answers and fails before committing now and then.
    emulator.setFaults({ seed: 5, dropAfterCommit: 0.1, serverErrorBeforeCommit: 0.05, latencyMs: [5, 15] });
    const random = prng(42);
    const args = ['import', '--config', config, '--retry-failed'];
    let kills = 0;
    for (let k = 0; k < 3; k++) {
      const child = spawnCli(args, { cwd: dir, env: ENV });
      const exit = waitForExit(child);
      await killAfterWrites(emulator, child, 3 + Math.floor(random() * 8), exit);
      if ((await exit).signal === 'SIGKILL') kills += 1;
    }
    assert.ok(kills >= 2, `killed ${kills} of 3 runs mid-way`);
    let last = await runCli(args, { cwd: dir, env: ENV });
    for (let attempt = 0; attempt < 5 && last.code !== 0; attempt++) {
      assert.notEqual(last.code, 1, last.stderr);
      last = await runCli(args, { cwd: dir, env: ENV });
    }
    assert.equal(last.code, 0, last.stderr);
    emulator.setFaults(undefined);

    const state = emulator.state();
    for (const [email, texts] of expected) {
      const customer = state.customers.find((c) => c.email === email);
      const conversations = state.conversations.filter((c) => c.customerId === customer?.id);
      assert.equal(conversations.length, 1, `${email}: one conversation`);
      const bodies = [...(conversations[0]?.threads ?? [])]
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((t) => t.body);
      assert.deepEqual(bodies, texts, `${email}: every line once, in order`);
    }
    assert.equal(state.conversations.length, CONVERSATIONS);
  } finally {
    await emulator.close();
  }
});

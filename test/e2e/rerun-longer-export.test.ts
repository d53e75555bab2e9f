import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { csvLine } from '../../src/report/csv.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir, validRowsOf, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping, writesReceived } from '../support/import-check.js';

const HEADER = [
  'conversation_id',
  'thread_id',
  'created_at',
  'text',
  'author_role',
  'author_email',
  'customer_email',
];

const FIRST = [
  ['c1', '1', '2025-03-01T09:00:00Z', 'Hello, my order is late', 'customer', '', 'ana@example.com'],
  ['c1', '2', '2025-03-01T09:05:00Z', 'Let me check', 'agent', 'ben@example.com', ''],
  ['c1', '3', '2025-03-01T09:07:00Z', 'Thanks', 'customer', '', ''],
  ['c2', '4', '2025-03-02T10:00:00Z', 'Do you ship to Norway?', 'customer', '', 'ola@example.no'],
  ['c2', '5', '2025-03-02T10:01:00Z', 'Yes we do', 'agent', 'anna@example.com', ''],
];
const CUT_OVER = [
  ['c1', '6', '2025-03-04T08:00:00Z', 'It arrived, all good', 'customer', '', ''],
  ['c1', '7', '2025-03-04T08:02:00Z', 'Glad to hear it!', 'agent', 'ben@example.com', ''],
  ['c3', '8', '2025-03-04T11:00:00Z', 'A new question', 'customer', '', 'kim@example.com'],
];

function writeExport(path: string, rows: string[][]): void {
  writeFileSync(path, [HEADER, ...rows].map(csvLine).join(''));
}

describe('a rerun with a longer export (cut-over) through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('imports only what is new: new threads join the last part of their conversation, new conversations are created', async () => {
    const dir = tempDir('cutover');
    const source = join(dir, 'export.csv');
    const config = writeConfig(dir, {
      source: { files: [source] },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
      logLevel: 'warn',
    });
    writeExport(source, FIRST);
    const first = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(writesReceived(emulator), 2);
    const idsBefore = emulator.state().conversations.map((c) => c.id);

    writeExport(source, [...FIRST, ...CUT_OVER]);
    const second = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(writesReceived(emulator) - 2, 3, 'two appends to c1 and one new conversation');
    const conversations = emulator.state().conversations;
    assert.equal(conversations.length, 3);
    assert.deepEqual(
      conversations
        .filter((c) => idsBefore.includes(c.id))
        .map((c) => c.threads.length)
        .sort(),
      [2, 5],
    );
    const valid = validRowsOf([source], 'UTC');
    assert.deepEqual(
      checkImport(emulator.state(), valid, readMapping(join(dir, 'report', 'mapping.csv'))),
      [],
    );
  });
});

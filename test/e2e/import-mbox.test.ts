import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sourceSchema } from '../../src/config/schema.js';
import { DEFAULT_SEED, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { readSource, type ThreadRow } from '../../src/source/index.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';
import { checkImport, readMapping } from '../support/import-check.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/real-exports/mbox/list-archive.mbox', import.meta.url));
/** One agent: every thread of the sample then has a customer. */
const SOURCE = { format: 'mbox', files: [SAMPLE], agentAddresses: ['markov@atcomputing.nl'] };
/** Two: the threads between them are internal, with no customer to file them under. */
const TWO_AGENTS = { ...SOURCE, agentAddresses: ['markov@atcomputing.nl', '@mystic.es.dupont.com'] };

async function validRows(source: Record<string, unknown> = SOURCE): Promise<ThreadRow[]> {
  const rows: ThreadRow[] = [];
  const attachmentsDir = tempDir('mbox-expected-files');
  for await (const item of readSource(sourceSchema.parse(source), { baseDir: '/', attachmentsDir }))
    if (item.kind === 'row') rows.push(item.row);
  return rows;
}

describe('an mbox source through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('validate reads every message and plans a conversation per thread, writing nothing beside the export', async () => {
    const dir = tempDir('mbox-validate');
    const config = writeConfig(dir, { source: SOURCE, state: join(dir, 'state.sqlite') });
    const result = await runCli(['validate', '--config', config], { cwd: dir });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^rows read 45, valid 45, rejected 0$/m);
    const conversations = new Set((await validRows()).map((row) => row.conversationId)).size;
    assert.match(result.stdout, new RegExp(`^conversations ${conversations} \\(rejected 0\\)$`, 'm'));
    assert.deepEqual(readdirSync(dir), ['import.config.json']);
  });

  it('validate rejects a thread among agents only, naming each of its messages', async () => {
    const dir = tempDir('mbox-agents');
    const config = writeConfig(dir, { source: TWO_AGENTS, state: join(dir, 'state.sqlite') });
    const result = await runCli(['validate', '--config', config], { cwd: dir });
    assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
    const byConversation = new Map<string, ThreadRow[]>();
    for (const row of await validRows(TWO_AGENTS))
      byConversation.set(row.conversationId, [...(byConversation.get(row.conversationId) ?? []), row]);
    const internal = [...byConversation.values()].filter((rows) => rows.every((row) => !row.customer.email));
    const messages = internal.flat().map((row) => row.pos.row);
    assert.ok(internal.length > 0);
    // rows read = valid + rejected: the messages rejected with their conversation are not valid.
    assert.match(
      result.stdout,
      new RegExp(`^rows read 45, valid ${45 - messages.length}, rejected ${messages.length}$`, 'm'),
    );
    assert.match(result.stdout, new RegExp(`\\(rejected ${internal.length}\\)$`, 'm'));
    for (const row of messages)
      assert.match(
        result.stdout,
        new RegExp(`list-archive\\.mbox row ${row} \\(line \\d+\\) customer_email: `),
      );
  });

  it('import sends every message once, in date order, with its files, which are kept beside the state file', async () => {
    const dir = tempDir('mbox-import');
    const config = writeConfig(dir, {
      source: SOURCE,
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'state', 'state.sqlite'),
      reportDir: join(dir, 'report'),
      reconcile: { searchRetries: 1, searchDelayMs: 10, resendAfterSeconds: 2 },
    });
    const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    // Agents who are no users of the emulator write as its owner, their name at the head of the text.
    const users = new Set(DEFAULT_SEED.users.map((u) => u.email.toLowerCase()));
    const valid = (await validRows()).map((row) =>
      row.role === 'agent' && !users.has(row.authorEmail?.toLowerCase() ?? '')
        ? {
            ...row,
            text: `${(row.authorName ?? row.authorEmail ?? '').slice(0, 100).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}: ${row.text}`,
          }
        : row,
    );
    assert.equal(valid.length, 45);
    const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
    assert.deepEqual(checkImport(emulator.state(), valid, mapping), []);
    assert.ok(valid.some((row) => row.attachments.length > 0));
    assert.ok(existsSync(join(dir, 'state', 'attachments')));

    const again = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /this run 0\)/);
  });
});

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, REPO_ROOT, runCli } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';

const REAL = join(REPO_ROOT, 'fixtures', 'real-exports');

/** Imports real JSON samples through the built CLI, the preset recognised, into the embedded emulator. */
describe('JSON exports, end to end through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  async function importSample(name: string, files: string[]) {
    const dir = tempDir(`e2e-json-${name}`);
    mkdirSync(join(dir, name));
    for (const file of files) copyFileSync(join(REAL, name, file), join(dir, name, file));
    const config = writeConfig(dir, {
      source: { files: files.map((file) => `${name}/${file}`) },
      target: { apiUrl: emulator.url, mailboxId: 1, tags: [`hs-import-${name}`] },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
      reconcile: { searchRetries: 1, searchDelayMs: 10, resendAfterSeconds: 2 },
    });
    const validate = await runCli(['validate', '--config', config], { cwd: dir, env: ENV });
    const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const conversations = emulator.state().conversations.filter((c) => c.tags.includes(`hs-import-${name}`));
    return { validate, result, conversations };
  }

  // Customer lines arrive as the customer's chat threads, agent lines as replies (`message`), notes as notes.
  it('a Help Scout export: recognised, threads oldest first with their roles, customer and subject', async () => {
    const { validate, conversations } = await importSample('helpscout', ['conversations.json']);
    assert.match(validate.stdout, /recognised a Help Scout export; set source.preset to override/);
    assert.equal(conversations.length, 1);
    const [conversation] = conversations;
    assert.equal(conversation?.subject, 'Delayed production');
    const threads = [...(conversation?.threads ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    assert.deepEqual(
      threads.map((t) => [t.createdAt, t.type]),
      [
        ['2022-12-26T15:32:35Z', 'chat'],
        ['2022-12-27T08:09:12Z', 'message'],
        ['2022-12-27T08:12:44Z', 'chat'],
        ['2022-12-27T08:55:35Z', 'note'],
        ['2022-12-27T08:58:55Z', 'message'],
      ],
    );
    const customer = emulator.state().customers.find((c) => c.id === conversation?.customerId);
    assert.equal(customer?.email, 'contact.bessie@gmail.com');
  });

  it('a Zendesk export (a ticket a line): requester lines as customer, the private comment as a note', async () => {
    const { validate, conversations } = await importSample('zendesk', ['tickets-dated.jsonl']);
    assert.match(validate.stdout, /recognised a Zendesk export/);
    assert.equal(conversations.length, 1);
    const threads = [...(conversations[0]?.threads ?? [])].sort((a, b) =>
      a.createdAt.localeCompare(b.createdAt),
    );
    assert.deepEqual(
      threads.map((t) => t.type),
      ['chat', 'message', 'note'],
    );
    assert.equal(threads[0]?.body, 'Hello, I need help');
  });
});

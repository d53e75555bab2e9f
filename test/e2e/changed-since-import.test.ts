import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { readCsv, tempDir, writeConfig } from '../support/fixtures.js';

const HEADER = 'conversation_id,created_at,text,author_role,author_email,customer_email,subject';
const line = (conversation: string, at: string, text: string, role: string) =>
  [
    conversation,
    at,
    `"${text.replace(/"/g, '""')}"`,
    role,
    role === 'agent' ? 'agent@example.com' : '',
    'ana@example.com',
    'Order',
  ].join(',');

/** An export without message ids: the messages are known by conversation, second, role and rank. */
function exportText(texts: { greeting: string; reply: string; html: string }, extra: string[] = []): string {
  return `${[
    HEADER,
    line('c1', '2024-03-01T10:00:00Z', texts.greeting, 'customer'),
    line('c1', '2024-03-01T10:00:00Z', 'And my order number is 42.', 'customer'),
    line('c1', '2024-03-01T10:00:07Z', texts.reply, 'agent'),
    line('c1', '2024-03-01T10:01:00Z', texts.html, 'customer'),
    ...extra,
  ].join('\n')}\n`;
}

describe('a re-export whose text changed sends nothing new and reports the changes, through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('repaired mojibake, a trimmed space and re-rendered HTML are the same messages; a new one in the same second is sent', async () => {
    const dir = tempDir('changed');
    const csv = join(dir, 'chats.csv');
    const config = writeConfig(dir, {
      source: { files: [csv], timezone: 'UTC' },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
    });
    const threads = () => emulator.state().conversations.flatMap((c) => c.threads.map((t) => t.body));
    writeFileSync(
      csv,
      exportText({ greeting: 'CafÃ© order', reply: 'On it. ', html: '<p>Thanks<br>bye</p>' }),
    );
    const first = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(threads().length, 4);

    writeFileSync(
      csv,
      exportText({ greeting: 'Café order', reply: 'On it.', html: '<p>Thanks<br />bye</p>' }),
    );
    const second = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /this run 0\)/);
    assert.match(second.stdout, /changed since import 2: not sent again, listed in changed\.csv/);
    assert.equal(threads().length, 4, 'nothing sent again');
    const summary = JSON.parse(readFileSync(join(dir, 'report', 'summary.json'), 'utf8'));
    assert.equal(summary.threads.changedSinceImport, 2);
    const changed = readCsv(join(dir, 'report', 'changed.csv'));
    assert.deepEqual(
      changed.map((c) => [c.created_at, c.role, c.state, c.text_imported, c.text_now]),
      [
        ['2024-03-01T10:00:00Z', 'customer', 'done', 'CafÃ© order', 'Café order'],
        // The trailing space: the reading trims it, so the message is the same as imported.
        [
          '2024-03-01T10:01:00Z',
          'customer',
          'done',
          '&lt;p&gt;Thanks&lt;br&gt;bye&lt;/p&gt;',
          '&lt;p&gt;Thanks&lt;br /&gt;bye&lt;/p&gt;',
        ],
      ],
    );

    // A message really new in a second that already has one of its role is still sent, once.
    writeFileSync(
      csv,
      exportText({ greeting: 'Café order', reply: 'On it.', html: '<p>Thanks<br />bye</p>' }, [
        line('c1', '2024-03-01T10:00:07Z', 'One more thing: it ships today.', 'agent'),
      ]),
    );
    const third = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /this run 1\)/);
    assert.equal(threads().length, 5);
    assert.equal(threads().filter((t) => t.includes('ships today')).length, 1);
  });
});

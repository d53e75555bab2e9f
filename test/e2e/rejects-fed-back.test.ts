import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, REPO_ROOT, runCli } from '../support/cli.js';
import { readCsv, tempDir, writeConfig } from '../support/fixtures.js';
import { readMapping, writesReceived } from '../support/import-check.js';

// A Tidio-like export (the real sample's columns): the visitor's details are only on the visitor's first
// row. One line of each conversation has a time that does not exist, and one of them holds a formula; one
// line has a mistyped sender, in the same second as another operator line (the same identity but for rank).
const TIDIO = `CONVERSATION_ID,THREAD_ID,TIME_SENT,CHANNEL,SENDER,MESSAGE_CONTENT,NAME,FIRST_NAME,LAST_NAME,EMAIL,PHONE,OS_NAME,BROWSER
1001,1579680000,2024-04-17T15:19:13Z,chat,automation,Hello there,,,,,,,
1001,1579680000,2024-04-17T15:22:31Z,chat,visitor,I need help,alan@acme.com,Alan,Smith,alan@acme.com,,OS X,Chrome
1001,1579680000,2024-04-17T15:23:00Z,chat,operator,Sure what is it,,,,,,,
1001,1579680000,2024-04-17T15:23:00Z,chat,operatorr,One moment please,,,,,,,
1001,1579680000,2024-04-17T15:24:00Z,chat,visitor,My order is late,,,,,,,
1001,1579680000,2024-04-17T15:25:61Z,chat,operator,=SUM(A1) is what I will check,,,,,,,
1001,1579680000,2024-04-17T15:26:00Z,chat,operator,It ships tomorrow,,,,,,,
1002,1579680000,2024-04-18T10:00:00Z,chat,visitor,Hello again,bea@acme.com,Bea,,bea@acme.com,,OS X,Chrome
1002,1579680000,2024-04-18T10:01:00Z,chat,operator,Hi Bea,,,,,,,
1002,1579680000,2024-04-18T10:02:99Z,chat,visitor,Where is my refund,,,,,,,
1002,1579680000,2024-04-18T10:03:00Z,chat,operator,Refund sent,,,,,,,
`;

/** The texts of a Help Scout conversation's threads, in the order they were added. */
function textsOf(emulator: Emulator, hsId: number): string[] {
  const conversation = emulator.state().conversations.find((c) => c.id === hsId);
  assert.ok(conversation, `conversation ${hsId}`);
  return conversation.threads.map((t) => t.body);
}

function createdOf(emulator: Emulator, hsId: number): string[] {
  const conversation = emulator.state().conversations.find((c) => c.id === hsId);
  return conversation?.threads.map((t) => t.createdAt) ?? [];
}

describe('rejects.csv fixed and fed back with the same state, through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('each fixed row arrives once: in date order in a conversation not yet sent, after the others in one sent', async () => {
    const dir = tempDir('rejects-fed-back');
    writeFileSync(join(dir, 'tidio.csv'), TIDIO);
    const config = writeConfig(dir, {
      source: { files: ['tidio.csv'], preset: 'tidio' },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
      logLevel: 'warn',
    });
    // A sample of one: conversation 1001 is sent, 1002 is not.
    const first = await runCli(['import', '--config', config, '--sample', '1'], { cwd: dir, env: ENV });
    assert.equal(first.code, 2, first.stderr);
    const rejectsPath = join(dir, 'report', 'rejects.csv');
    const rejects = readCsv(rejectsPath);
    assert.deepEqual(
      rejects.map((r) => [r.CONVERSATION_ID, r.EMAIL, r.FIRST_NAME, r.LAST_NAME, r.reject_field]),
      [
        ['1001', 'alan@acme.com', 'Alan', 'Smith', 'author_role'],
        ['1001', 'alan@acme.com', 'Alan', 'Smith', 'created_at'],
        ['1002', 'bea@acme.com', 'Bea', '', 'created_at'],
      ],
      'each rejected row carries its conversation customer',
    );
    // What is not the customer's stays as exported: the author's name, the visitor's browser.
    assert.deepEqual(
      rejects.map((r) => [r.NAME, r.BROWSER]),
      [
        ['', ''],
        ['', ''],
        ['', ''],
      ],
    );

    // Fixed in place: only the two times change, every other byte is the report's.
    const written = readFileSync(rejectsPath, 'utf8');
    const fixed = written
      .replace('15:25:61Z', '15:25:01Z')
      .replace('10:02:99Z', '10:02:09Z')
      .replace(',operatorr,', ',operator,');
    writeFileSync(join(dir, 'fixed.csv'), fixed);
    const writesBefore = writesReceived(emulator);
    const second = await runCli(['import', '--config', config, '--source', 'fixed.csv'], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.deepEqual(readCsv(rejectsPath), [], 'nothing is rejected again');
    const mapping = new Map(readMapping(join(dir, 'report', 'mapping.csv')).map((m) => [m.source, m]));
    const sent = mapping.get('1001')?.hs as number;
    const unsent = mapping.get('1002')?.hs as number;

    // 1001 was in Help Scout: its fixed lines are appended after the others, with their own times. The
    // one in the same second as an operator line already sent is a message of its own, not that one again.
    const sentTexts = textsOf(emulator, sent);
    assert.equal(sentTexts.length, 7);
    assert.deepEqual(sentTexts.slice(5), ['One moment please', '=SUM(A1) is what I will check']);
    assert.deepEqual(createdOf(emulator, sent).slice(5), ['2024-04-17T15:23:00Z', '2024-04-17T15:25:01Z']);
    // 1002 was not: it is sent whole, the fixed line in its place by date.
    assert.deepEqual(textsOf(emulator, unsent), [
      'Hello again',
      'Hi Bea',
      'Where is my refund',
      'Refund sent',
    ]);
    const createdAt = createdOf(emulator, unsent);
    assert.deepEqual(createdAt, [...createdAt].sort());
    assert.equal(writesReceived(emulator) - writesBefore, 3, 'two appends, one conversation');

    // Fed back once more: already there, nothing is sent again.
    const third = await runCli(['import', '--config', config, '--source', 'fixed.csv'], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.equal(writesReceived(emulator) - writesBefore, 3);
    assert.equal(textsOf(emulator, sent).length, 7);
    assert.equal(textsOf(emulator, unsent).length, 4);
  });
});

describe('a JSON export’s rejects.csv fixed and fed back, through the built CLI', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('the fixed messages are sent as the export would have sent them: HTML stays HTML', async () => {
    const dir = tempDir('rejects-fed-back-json');
    const sample = JSON.parse(
      readFileSync(join(REPO_ROOT, 'fixtures/real-exports/helpscout/conversations.json'), 'utf8'),
    ) as Record<string, unknown>[];
    const original = sample[0] as { id: number; _embedded: { threads: { createdAt: string }[] } };
    const copy = { ...structuredClone(original), id: original.id + 1 };
    writeFileSync(join(dir, 'clean.json'), JSON.stringify([original, copy]));
    // The agent's first answer (HTML, with line breaks) has a time that does not exist, in both.
    const broken = structuredClone([original, copy]);
    for (const conversation of broken) {
      const thread = conversation._embedded.threads[3] as { createdAt: string };
      thread.createdAt = thread.createdAt.replace(/:(\d\d)Z$/, ':99Z');
    }
    writeFileSync(join(dir, 'export.json'), JSON.stringify(broken));
    const common = { target: { apiUrl: emulator.url, mailboxId: 1 }, logLevel: 'warn' };
    const config = writeConfig(dir, {
      ...common,
      source: { files: ['export.json'] },
      state: join(dir, 'state.sqlite'),
      reportDir: join(dir, 'report'),
    });
    const first = await runCli(['import', '--config', config, '--sample', '1'], { cwd: dir, env: ENV });
    assert.equal(first.code, 2, first.stderr);
    const rejectsPath = join(dir, 'report', 'rejects.csv');
    const rejects = readCsv(rejectsPath);
    assert.equal(rejects.length, 2);
    assert.deepEqual(
      rejects.map((r) => [r.text_format, r.customer_email]),
      [
        ['html', 'contact.bessie@gmail.com'],
        ['html', 'contact.bessie@gmail.com'],
      ],
    );
    writeFileSync(join(dir, 'fixed.csv'), readFileSync(rejectsPath, 'utf8').replaceAll(':99Z', ':00Z'));
    const second = await runCli(['import', '--config', config, '--source', 'fixed.csv'], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const fedBack = readMapping(join(dir, 'report', 'mapping.csv'));
    assert.equal(fedBack.length, 2);

    // The same export without the broken times, imported with a state of its own: what should be there.
    const cleanConfig = join(dir, 'clean.config.json');
    writeFileSync(
      cleanConfig,
      JSON.stringify({
        ...common,
        source: { files: ['clean.json'] },
        state: join(dir, 'clean.sqlite'),
        reportDir: join(dir, 'clean-report'),
      }),
    );
    const clean = await runCli(['import', '--config', cleanConfig], { cwd: dir, env: ENV });
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const expected = readMapping(join(dir, 'clean-report', 'mapping.csv'));
    const bodies = (hsId: number) => [...textsOf(emulator, hsId)].sort();
    for (const [i, part] of fedBack.entries()) {
      assert.deepEqual(bodies(part.hs), bodies((expected[i] as { hs: number }).hs), part.source);
    }
    // The conversation not yet sent went whole, in date order.
    const unsent = fedBack[1] as { hs: number };
    const createdAt = createdOf(emulator, unsent.hs);
    assert.equal(createdAt.length, 5);
    assert.deepEqual(createdAt, [...createdAt].sort());
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { getToken } from '../contract/emulator-helpers.js';
import { ENV, runCli } from '../support/cli.js';
import { demoFacts, demoFiles, readCsv, tempDir, writeConfig } from '../support/fixtures.js';

/**
 * Two emulators that both hold the demo under the same conversation ids: a state file of one must never
 * delete in the other, and within its own it deletes only what still is what it created.
 */
describe('rollback checks the target and each conversation, through the built CLI', () => {
  let ours: Emulator;
  let other: Emulator;
  const dir = tempDir('rollback-safety');
  const configFor = (name: string, emulator: Emulator) =>
    writeConfig(join(dir, name), {
      source: { files: demoFiles(), timezone: demoFacts().timezone },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      state: join(dir, 'ours.sqlite'),
      reportDir: join(dir, 'report'),
    });

  before(async () => {
    ours = await startEmulator({ rateLimitPerMinute: 1_000_000 });
    other = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(async () => {
    await ours.close();
    await other.close();
  });

  it('refuses a state file of another emulator, and deletes nothing there', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, 'b2'));
    const imported = await runCli(['import', '--config', configFor('a', ours)], { cwd: dir, env: ENV });
    assert.equal(imported.code, 2, imported.stderr);
    // The other emulator holds the same export under the same ids, from a state file of its own.
    const theirs = writeConfig(join(dir, 'b2'), {
      source: { files: demoFiles(), timezone: demoFacts().timezone },
      target: { apiUrl: other.url, mailboxId: 1 },
      state: join(dir, 'theirs.sqlite'),
      reportDir: join(dir, 'their-report'),
    });
    assert.equal((await runCli(['import', '--config', theirs], { cwd: dir, env: ENV })).code, 2);
    const ids = (e: Emulator) => e.state().conversations.map((c) => c.id);
    assert.deepEqual(ids(other), ids(ours), 'the same ids in both');
    const before = ids(other).length;

    const refused = await runCli(['rollback', '--yes', '--config', configFor('b', other)], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`belongs to mailbox 1 at ${ours.url.replace(/[.]/g, '\\.')}`));
    assert.equal(ids(other).length, before);
    assert.equal(ids(ours).length, before);
  });

  it('lists a conversation someone changed instead of deleting it, and reports the customers created', async () => {
    const changed = ours.state().conversations[0]?.id as number;
    const token = await getToken(ours);
    const res = await fetch(`${ours.url}conversations/${changed}/tags`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: ['vip'] }),
    });
    assert.equal(res.status, 204);
    const total = ours.state().conversations.length;

    const result = await runCli(['rollback', '--yes', '--config', configFor('a', ours)], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(result.code, 0, result.stderr);
    // Which conversation was created first depends on timing: its own tags may be missing too.
    assert.match(
      result.stdout,
      new RegExp(`conversation ${changed} .*changed: tag hs-import(, [^ ]+)* missing`),
    );
    assert.match(result.stdout, new RegExp(`deleted ${total - 1} conversations`));
    assert.deepEqual(
      ours.state().conversations.map((c) => c.id),
      [changed],
    );
    const report = readCsv(join(dir, 'report', 'rollback.csv'));
    assert.equal(report.length, total);
    assert.equal(report.filter((r) => r.action === 'deleted').length, total - 1);
    const kept = report.find((r) => Number(r.helpscout_conversation_id) === changed);
    assert.match(kept?.action ?? '', /^changed: tag hs-import(, [^ ]+)* missing/);
    // Customers named by email are listed (Help Scout created them); those named by id were there before.
    const emails = report.map((r) => r.customer_email ?? '').filter((e) => e !== '');
    assert.ok(emails.length > report.length / 2 && emails.every((e) => e.includes('@')));

    // A second rollback finds only the changed conversation, and still leaves it.
    const again = await runCli(['rollback', '--yes', '--config', configFor('a', ours)], {
      cwd: dir,
      env: ENV,
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /deleted 0 conversations/);
    assert.equal(ours.state().conversations.length, 1);
  });
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';

const GOOD = `conversation_id,created_at,text,customer_email
c1,2024-03-05T10:01:00Z,hello 1,jess@example.com
c1,2024-03-05T10:02:00Z,hello 2,jess@example.com
`;
/** Every row rejected: a run over it sends nothing. */
const ALL_BAD = `conversation_id,created_at,text,customer_email
c1,not a date,hello 1,jess@example.com
`;

function countRows(state: string, table: string): number {
  const db = new Database(state, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const bodies = (e: Emulator) => e.state().conversations.flatMap((c) => c.threads.map((t) => t.body));

describe('account-level refusals stop the run before they mark anything, through the built CLI', () => {
  let ours: Emulator;
  let other: Emulator;
  before(async () => {
    ours = await startEmulator({ rateLimitPerMinute: 1_000_000 });
    other = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(async () => {
    await ours.close();
    await other.close();
  });

  it('an unknown mailbox: exit 1 after one read, nothing staged, and the right mailbox then runs', async () => {
    const dir = tempDir('mailbox');
    writeFileSync(join(dir, 'chats.csv'), GOOD);
    const state = join(dir, 'state.sqlite');
    const config = (mailboxId: number) =>
      writeConfig(dir, {
        source: { files: ['chats.csv'] },
        target: { apiUrl: ours.url, mailboxId },
        state,
        reportDir: join(dir, 'report'),
      });
    const wrong = await runCli(['import', '--config', config(999)], { cwd: dir, env: ENV });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /Mailbox 999 is not in this Help Scout account.*hs-import mailboxes/);
    assert.doesNotMatch(wrong.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(countRows(state, 'threads'), 0, 'nothing staged');
    assert.equal(countRows(state, 'writes'), 0, 'nothing sent');
    assert.equal(ours.state().conversations.length, 0);

    const right = await runCli(['import', '--config', config(1)], { cwd: dir, env: ENV });
    assert.equal(right.code, 0, right.stderr);
    assert.deepEqual(bodies(ours).sort(), ['hello 1', 'hello 2']);
  });

  it('a state file that never sent anything may be pointed at another target; one that sent may not', async () => {
    const dir = tempDir('retarget');
    const state = join(dir, 'state.sqlite');
    const config = (emulator: Emulator) =>
      writeConfig(dir, {
        source: { files: ['chats.csv'] },
        target: { apiUrl: emulator.url, mailboxId: 1 },
        state,
        reportDir: join(dir, 'report'),
      });
    writeFileSync(join(dir, 'chats.csv'), ALL_BAD);
    const nothingSent = await runCli(['import', '--config', config(other)], { cwd: dir, env: ENV });
    assert.equal(nothingSent.code, 2, nothingSent.stderr);
    assert.equal(countRows(state, 'writes'), 0);

    writeFileSync(join(dir, 'chats.csv'), GOOD);
    const moved = await runCli(['import', '--config', config(ours)], { cwd: dir, env: ENV });
    assert.equal(moved.code, 0, moved.stderr);
    assert.ok(bodies(ours).includes('hello 1'));
    assert.deepEqual(bodies(other), [], 'nothing went to the first target');
    const log = readFileSync(join(dir, 'report', 'run.log'), 'utf8');
    assert.match(log, /"event":"state.retargeted".*never sent anything/);

    const back = await runCli(['import', '--config', config(other)], { cwd: dir, env: ENV });
    assert.equal(back.code, 1);
    assert.match(back.stderr, new RegExp(`belongs to mailbox 1 at ${ours.url.replace(/[.]/g, '\\.')}`));
    assert.deepEqual(bodies(other), []);
  });
});

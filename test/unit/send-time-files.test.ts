import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { sendAll } from '../../src/run/send-all.js';
import { stageSource } from '../../src/run/stage.js';
import { readSource } from '../../src/source/read-source.js';
import type { StateStore } from '../../src/state/store.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { memoryStore } from '../support/keep-alive.js';
import { planForSending, sendContextFor } from '../support/send-harness.js';
import { tempDir } from '../support/temp-dir.js';

const HEADER = 'conversation_id,thread_id,created_at,text,author_role,customer_email,attachments';

/** An export folder with its files, and a secret beside it that must never be sent. */
function exportFolder(): { root: string; dir: string; csv: string } {
  const root = tempDir('send-files');
  const dir = join(root, 'export');
  mkdirSync(join(dir, 'files'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), 'SECRET OUTSIDE THE EXPORT');
  for (const name of ['kept', 'deleted', 'swapped', 'grown', 'emptied'])
    writeFileSync(join(dir, 'files', `${name}.txt`), `${name} as staged`);
  const csv = join(dir, 'chats.csv');
  const rows = [
    'c1,1,2024-05-01T10:00:00Z,first,customer,ana@example.com,files/kept.txt',
    'c1,2,2024-05-01T10:01:00Z,the deleted one,customer,,files/deleted.txt',
    'c1,3,2024-05-01T10:02:00Z,after it,customer,,',
    // The opening thread of c2 fails: the next one opens the conversation instead.
    'c2,4,2024-05-02T10:00:00Z,the swapped one,customer,ben@example.com,files/swapped.txt',
    'c2,5,2024-05-02T10:01:00Z,c2 goes on,customer,,',
    'c3,6,2024-05-03T10:00:00Z,hello,customer,kim@example.com,',
    'c3,7,2024-05-03T10:01:00Z,the grown one,customer,,files/grown.txt',
    'c3,8,2024-05-03T10:02:00Z,the emptied one,customer,,files/emptied.txt',
  ];
  writeFileSync(csv, `${HEADER}\n${rows.join('\n')}\n`);
  return { root, dir, csv };
}

async function stagedStore(csv: string, baseDir: string): Promise<StateStore> {
  const store = memoryStore();
  const config = sourceSchema.parse({ files: [csv] });
  await stageSource(store, readSource(config, { baseDir }), 1);
  return store;
}

function threadStates(store: StateStore): Map<string, { state: string; error: string | null }> {
  const rows = store
    .prepare('SELECT source_thread_id AS id, state, error FROM threads ORDER BY seq')
    .all() as { id: string; state: string; error: string | null }[];
  return new Map(rows.map((r) => [r.id, { state: r.state, error: r.error }]));
}

describe('files checked when their thread is sent, not only when staged', () => {
  for (const strategy of ['batch', 'per-thread'] as const) {
    it(`${strategy}: a file deleted, swapped for a link out of the folder or emptied fails its thread alone; a grown one goes as it is now`, async () => {
      const { root, dir, csv } = exportFolder();
      const store = await stagedStore(csv, root);
      planForSending(store, strategy);
      // Between staging and sending (another run, or hours later): the files change.
      rmSync(join(dir, 'files', 'deleted.txt'));
      rmSync(join(dir, 'files', 'swapped.txt'));
      symlinkSync(join(root, 'secret.txt'), join(dir, 'files', 'swapped.txt'));
      const grown = Buffer.alloc(300 * 1024, 'g');
      writeFileSync(join(dir, 'files', 'grown.txt'), grown);
      writeFileSync(join(dir, 'files', 'emptied.txt'), '');

      const api = new FakeHelpScout();
      const ctx = sendContextFor(store, api, { strategy, run: 1 });
      await sendAll(ctx, ctx.parts.toSend(), 1);

      const states = threadStates(store);
      assert.match(states.get('2')?.error ?? '', /attachment "files\/deleted.txt" no longer exists/);
      assert.match(states.get('4')?.error ?? '', /attachment "files\/swapped.txt" .*(outside|symbolic link)/);
      assert.match(states.get('8')?.error ?? '', /attachment "files\/emptied.txt" is empty/);
      for (const failed of ['2', '4', '8']) assert.equal(states.get(failed)?.state, 'failed', failed);
      for (const done of ['1', '3', '5', '6', '7']) assert.equal(states.get(done)?.state, 'done', done);
      assert.equal(ctx.stats.threadsFailed, 3);

      const threads = [...api.conversations.values()].flatMap((c) => c.threads);
      assert.deepEqual(threads.map((t) => t.body).sort(), [
        'after it',
        'c2 goes on',
        'first',
        'hello',
        'the grown one',
      ]);
      const files = threads.flatMap((t) => t.attachments);
      const secret = Buffer.from('SECRET OUTSIDE THE EXPORT').toString('base64');
      assert.ok(
        files.every((f) => f.data !== secret),
        'the file outside the export was sent',
      );
      assert.deepEqual(files.map((f) => f.fileName).sort(), ['grown.txt', 'kept.txt']);
      assert.equal(files.find((f) => f.fileName === 'grown.txt')?.data, grown.toString('base64'));

      // Another run sends nothing again: the failed threads stay failed with their reasons.
      const writes = api.writes;
      planForSending(store, strategy);
      const again = sendContextFor(store, api, { strategy, run: 2 });
      await sendAll(again, again.parts.toSend(), 1);
      assert.equal(api.writes, writes);
      assert.equal(threadStates(store).get('2')?.state, 'failed');
    });
  }

  it('a file past what one request can carry is refused when sent, with its size', async () => {
    const { root, dir, csv } = exportFolder();
    const store = await stagedStore(csv, root);
    planForSending(store, 'batch');
    writeFileSync(join(dir, 'files', 'grown.txt'), Buffer.alloc(8 * 1024 * 1024, 1));
    const api = new FakeHelpScout();
    const ctx = sendContextFor(store, api, { strategy: 'batch', run: 1 });
    await sendAll(ctx, ctx.parts.toSend(), 1);
    assert.match(
      threadStates(store).get('7')?.error ?? '',
      /attachment "files\/grown.txt" has 8388608 bytes now, more than the \d+ one request can carry/,
    );
  });
});

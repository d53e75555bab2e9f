import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, waitForExit } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';
import { killAfterWrites } from '../support/kill-after-writes.js';

const SECRET = 'SECRET: a file outside the export';

describe('attachments that change between an interrupted run and the next (built CLI)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000 });
  });
  after(() => emulator.close());

  it('a deleted file, or one swapped for a link out of the export, fails its thread with the reason; a grown one goes as it is now; the rest arrive once', async () => {
    const root = tempDir('files-changed');
    const dir = join(root, 'export');
    mkdirSync(join(dir, 'files'), { recursive: true });
    writeFileSync(join(root, 'secret.txt'), SECRET);
    for (const name of ['a', 'b', 'd', 'e']) writeFileSync(join(dir, 'files', `${name}.txt`), `file ${name}`);
    // One conversation sent a thread at a time: the first run is killed once it has begun it, so the rest of
    // it stays planned (a part with a write keeps its threads) and is sent by the next run.
    const rows = [
      'c1,1,2025-01-01T09:00:00Z,c1 opens,customer,c1@example.com,',
      'c1,2,2025-01-01T09:01:00Z,second,customer,,',
      'c1,3,2025-01-01T09:02:00Z,third,customer,,',
      'c1,4,2025-01-01T09:03:00Z,with a deleted file,customer,,files/b.txt',
      'c1,5,2025-01-01T09:04:00Z,with a swapped file,customer,,files/d.txt',
      'c1,6,2025-01-01T09:05:00Z,with a grown file,customer,,files/e.txt',
      'c1,7,2025-01-01T09:06:00Z,with its file,customer,,files/a.txt',
      'c2,8,2025-01-02T09:00:00Z,c2 opens,customer,c2@example.com,',
    ];
    const source = join(dir, 'chats.csv');
    writeFileSync(
      source,
      `conversation_id,thread_id,created_at,text,author_role,customer_email,attachments\n${rows.join('\n')}\n`,
    );
    const config = writeConfig(root, {
      source: { files: [source] },
      target: { apiUrl: emulator.url, mailboxId: 1 },
      strategy: 'per-thread',
      concurrency: 1,
      state: join(root, 'state.sqlite'),
      reportDir: join(root, 'report'),
      reconcile: { searchRetries: 2, searchDelayMs: 50, resendAfterSeconds: 2 },
      logLevel: 'info',
    });
    const args = ['import', '--config', config];
    // The first run stages and plans everything and is killed after its first write.
    emulator.setFaults({ seed: 1, latencyMs: [150, 150] });
    const child = spawnCli(args, { cwd: root, env: ENV });
    const exit = waitForExit(child);
    await killAfterWrites(emulator, child, 1, exit);
    assert.equal((await exit).signal, 'SIGKILL');
    emulator.setFaults(undefined);

    rmSync(join(dir, 'files', 'b.txt'));
    rmSync(join(dir, 'files', 'd.txt'));
    symlinkSync(join(root, 'secret.txt'), join(dir, 'files', 'd.txt'));
    const grown = 'file e, longer now than when it was staged';
    writeFileSync(join(dir, 'files', 'e.txt'), grown);

    const second = await runCli(args, { cwd: root, env: ENV });
    assert.equal(second.code, 2, second.stderr);
    const log = readFileSync(join(root, 'report', 'run.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"thread.failed"'))
      .map((line) => JSON.parse(line) as { error: string; row: string });
    assert.deepEqual(log.map((l) => [l.row, l.error.replace(/:.*/, '')]).sort(), [
      [`${source} row 4`, 'attachment "files/b.txt" no longer exists'],
      [`${source} row 5`, 'attachment "files/d.txt" is now a symbolic link'],
    ]);

    const threads = emulator.state().conversations.flatMap((c) => c.threads);
    assert.deepEqual(threads.map((t) => t.body).sort(), [
      'c1 opens',
      'c2 opens',
      'second',
      'third',
      'with a grown file',
      'with its file',
    ]);
    const files = threads.flatMap((t) => t.attachments.map((a) => Buffer.from(a.data, 'base64').toString()));
    assert.deepEqual(files.sort(), [grown, 'file a'].sort());
    assert.ok(!files.includes(SECRET));

    // A run after it sends nothing again and says the same.
    const writes = emulator.state().conversations.length;
    const third = await runCli(args, { cwd: root, env: ENV });
    assert.equal(third.code, 2, third.stderr);
    assert.equal(emulator.state().conversations.length, writes);
  });
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli, spawnCli, waitForExit } from '../support/cli.js';
import { crashRunSettings } from '../support/crash-run.js';
import { tempDir, writeConfig } from '../support/fixtures.js';
import { readMapping } from '../support/import-check.js';
import { killAfterWrites } from '../support/kill-after-writes.js';

const CONVERSATIONS = 24;

function fileBytes(name: string): Buffer {
  return Buffer.from(`${name}: ${'some bytes of a file '.repeat(40)}`);
}

/** A loopback file server: `started` counts requests per path, `completed` the downloads sent to their end. */
async function fileServer() {
  const started = new Map<string, number>();
  const completed = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    started.set(path, (started.get(path) ?? 0) + 1);
    res.on('finish', () => completed.set(path, (completed.get(path) ?? 0) + 1));
    const name = path.slice(1);
    if (name.startsWith('missing')) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(fileBytes(name));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, started, completed };
}

/** Each conversation: a customer line with its own file, an agent line, a customer line with a file shared by all. */
function writeExport(path: string, base: string): void {
  const lines = [
    'conversation_id,thread_id,created_at,text,author_role,author_email,customer_email,attachments',
  ];
  for (let c = 1; c <= CONVERSATIONS; c++) {
    const day = `2025-02-${String(c).padStart(2, '0')}`;
    lines.push(`c${c},${c}-1,${day}T09:00:00Z,c${c} first,customer,,c${c}@example.com,${base}/file-${c}.txt`);
    lines.push(`c${c},${c}-2,${day}T09:01:00Z,c${c} answer,agent,,,`);
    lines.push(`c${c},${c}-3,${day}T09:02:00Z,c${c} thanks,customer,,,${base}/shared.txt`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('exactly once across kill -9 with files named by URL (built CLI, emulator, loopback file server)', () => {
  let emulator: Emulator;
  let files: Awaited<ReturnType<typeof fileServer>>;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, searchLagMs: 100 });
    files = await fileServer();
  });
  after(async () => {
    files.server.close();
    await emulator.close();
  });

  it('every thread once with its file, every file downloaded once to its end', async () => {
    const dir = tempDir('crash-url-files');
    const source = join(dir, 'export.csv');
    writeExport(source, files.base);
    const config = writeConfig(dir, {
      source: { files: [source], attachments: { fetch: true, allowHosts: ['127.0.0.1'] } },
      ...crashRunSettings(dir, emulator.url),
    });
    emulator.setFaults({ seed: 7, dropAfterCommit: 0.05, latencyMs: [10, 30] });
    const args = ['import', '--config', config];
    let kills = 0;
    for (const after of [3, 9, 5, 12]) {
      const child = spawnCli(args, { cwd: dir, env: ENV });
      const exit = waitForExit(child);
      await killAfterWrites(emulator, child, after, exit);
      const result = await exit;
      if (result.signal === 'SIGKILL') kills += 1;
      else assert.notEqual(result.code, 1, result.stderr);
    }
    let last = await runCli(args, { cwd: dir, env: ENV });
    for (let attempt = 0; attempt < 4 && last.code !== 0; attempt++)
      last = await runCli(args, { cwd: dir, env: ENV });
    emulator.setFaults(undefined);
    assert.equal(last.code, 0, last.stderr);
    assert.ok(kills >= 2, `killed ${kills} of 4 runs mid-way`);

    const mapping = readMapping(join(dir, 'report', 'mapping.csv'));
    const byId = new Map(emulator.state().conversations.map((c) => [c.id, c]));
    assert.equal(byId.size, CONVERSATIONS, 'one Help Scout conversation per source conversation');
    for (let c = 1; c <= CONVERSATIONS; c++) {
      const parts = mapping.filter((m) => m.source === `c${c}`);
      assert.equal(parts.length, 1, `c${c}`);
      const threads = [...(byId.get(parts[0]?.hs as number)?.threads ?? [])].sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      );
      assert.deepEqual(
        threads.map((t) => [t.body, t.attachments.map((a) => a.fileName)]),
        [
          [`c${c} first`, [`file-${c}.txt`]],
          [`c${c} answer`, []],
          [`c${c} thanks`, ['shared.txt']],
        ],
        `c${c}`,
      );
      assert.ok(
        Buffer.from(threads[0]?.attachments[0]?.data ?? '', 'base64').equals(fileBytes(`file-${c}.txt`)),
      );
      assert.ok(
        Buffer.from(threads[2]?.attachments[0]?.data ?? '', 'base64').equals(fileBytes('shared.txt')),
      );
    }
    // Every file downloaded to its end once: a download that reached the cache is never fetched again. Only a
    // download a kill cut short (or whose end the killed process never saved) may go again, at most once a kill.
    assert.equal(files.completed.size, CONVERSATIONS + 1);
    let again = 0;
    for (const count of files.completed.values()) again += count - 1;
    assert.ok(again <= kills, `${again} files downloaded again over ${kills} kills`);
    // Named by every conversation: without the cache it would be downloaded once a thread.
    assert.ok((files.started.get('/shared.txt') ?? 0) <= 1 + kills);
  });

  it('onMissing from the config: a 404 fails its thread with the reason (exit 2), or sends it with a link', async () => {
    for (const onMissing of ['fail', 'link'] as const) {
      const dir = tempDir(`url-files-${onMissing}`);
      const source = join(dir, 'export.csv');
      const url = `${files.base}/missing-${onMissing}.png`;
      writeFileSync(
        source,
        [
          'conversation_id,thread_id,created_at,text,author_role,customer_email,attachments',
          `m-${onMissing},1,2025-03-01T09:00:00Z,hello,customer,m@example.com,`,
          `m-${onMissing},2,2025-03-01T09:01:00Z,see the screenshot,customer,,${url}`,
          `m-${onMissing},3,2025-03-01T09:02:00Z,bye,customer,,`,
        ].join('\n'),
      );
      const config = writeConfig(dir, {
        source: { files: [source], attachments: { fetch: true, allowHosts: ['127.0.0.1'], onMissing } },
        target: { apiUrl: emulator.url, mailboxId: 1 },
        state: join(dir, 'state.sqlite'),
        reportDir: join(dir, 'report'),
        logLevel: 'warn',
      });
      const result = await runCli(['import', '--config', config], { cwd: dir, env: ENV });
      const [part] = readMapping(join(dir, 'report', 'mapping.csv'));
      const threads = emulator.state().conversations.find((c) => c.id === part?.hs)?.threads ?? [];
      const bodies = [...threads].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((t) => t.body);
      if (onMissing === 'fail') {
        assert.equal(result.code, 2, result.stderr);
        assert.deepEqual(bodies, ['hello', 'bye']);
        assert.match(
          readFileSync(join(dir, 'report', 'run.log'), 'utf8'),
          /"thread.failed".*missing-fail\.png\\" could not be downloaded: HTTP 404/,
        );
      } else {
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(bodies, [
          'hello',
          `see the screenshot<br><br>Attachment: <a href="${url}">missing-link.png</a>`,
          'bye',
        ]);
      }
    }
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { sendAll } from '../../src/run/send-all.js';
import type { SendContext } from '../../src/run/send-context.js';
import { stageSource } from '../../src/run/stage.js';
import { openFileSource } from '../../src/run/thread-files.js';
import { readSource } from '../../src/source/read-source.js';
import type { StateStore } from '../../src/state/store.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { fileServer } from '../support/file-server.js';
import { instantClock } from '../support/instant-clock.js';
import { memoryStore } from '../support/keep-alive.js';
import { planForSending, sendContextFor } from '../support/send-harness.js';
import { tempDir } from '../support/temp-dir.js';

const PDF = Buffer.from('%PDF-1.4 a small file\n'.repeat(50));
const LATE = Buffer.from('a file that was missing, then came back');

describe('files named by URL, downloaded when their thread is sent', () => {
  let files: Awaited<ReturnType<typeof fileServer>>;
  let elsewhere: Awaited<ReturnType<typeof fileServer>>;
  let lateIsThere = false;
  before(async () => {
    elsewhere = await fileServer({ '/file.pdf': (_req, res) => res.end(PDF) });
    files = await fileServer({
      '/file.pdf': (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF),
      '/slow.pdf': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/pdf' });
        let sent = 0;
        const drip = () => {
          if (sent >= PDF.length) return res.end();
          res.write(PDF.subarray(sent, sent + 100));
          sent += 100;
          setTimeout(drip, 5);
        };
        drip();
      },
      '/huge.bin': (_req, res) => {
        res.writeHead(200, { 'content-length': String(20 * 1024 * 1024) });
        res.write(Buffer.alloc(1024));
      },
      '/away.pdf': (_req, res) =>
        res
          .writeHead(302, { location: `${elsewhere.base.replace('127.0.0.1', 'localhost')}/file.pdf` })
          .end(),
      '/late.txt': (_req, res) => (lateIsThere ? res.end(LATE) : res.writeHead(404).end()),
    });
  });
  after(() => {
    files.server.close();
    elsewhere.server.close();
  });

  async function staged(rows: string[], dir: string): Promise<StateStore> {
    const csv = join(dir, 'chats.csv');
    writeFileSync(
      csv,
      `conversation_id,thread_id,created_at,text,author_role,customer_email,attachments\n${rows.join('\n')}\n`,
    );
    const store = memoryStore();
    const config = sourceSchema.parse({
      files: [csv],
      attachments: { fetch: true, allowHosts: ['127.0.0.1', 'localhost'] },
    });
    await stageSource(store, readSource(config, { baseDir: dir }), 1);
    return store;
  }

  function contextFor(
    store: StateStore,
    api: FakeHelpScout,
    dir: string,
    run: number,
    onMissing: 'fail' | 'link',
  ) {
    planForSending(store, 'batch');
    const ctx: SendContext = sendContextFor(store, api, { strategy: 'batch', run });
    const attachments = { fetch: true, allowHosts: ['127.0.0.1', 'localhost'], onMissing };
    ctx.files = openFileSource(attachments, join(dir, 'state.sqlite'), instantClock());
    return ctx;
  }

  function errors(store: StateStore): Record<string, string> {
    const rows = store
      .prepare("SELECT source_thread_id AS id, state, coalesce(error, '') AS error FROM threads ORDER BY seq")
      .all() as { id: string; state: string; error: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, `${r.state} ${r.error}`.trim()]));
  }

  it('a file that cannot be had (404, too large, redirected to another host) fails its thread alone; the others arrive with their bytes', async () => {
    const dir = tempDir('url-files');
    const store = await staged(
      [
        `c1,1,2024-05-01T10:00:00Z,hello,customer,ana@example.com,${files.base}/file.pdf`,
        `c1,2,2024-05-01T10:01:00Z,gone,customer,,${files.base}/missing.pdf`,
        `c1,3,2024-05-01T10:02:00Z,huge,customer,,${files.base}/huge.bin`,
        `c1,4,2024-05-01T10:03:00Z,away,customer,,${files.base}/away.pdf`,
        `c1,5,2024-05-01T10:04:00Z,slow,customer,,${files.base}/slow.pdf`,
        `c1,6,2024-05-01T10:05:00Z,same file again,customer,,${files.base}/file.pdf`,
      ],
      dir,
    );
    const api = new FakeHelpScout();
    const ctx = contextFor(store, api, dir, 1, 'fail');
    await sendAll(ctx, ctx.parts.toSend(), 1);
    await ctx.files?.fetcher?.close();
    const states = errors(store);
    assert.match(
      states['2'] ?? '',
      /^failed attachment "http:\/\/127\.0\.0\.1:\d+\/missing\.pdf" could not be downloaded: HTTP 404$/,
    );
    assert.match(
      states['3'] ?? '',
      /^failed .*huge\.bin" could not be downloaded: is 20971520 bytes, more than/,
    );
    assert.match(
      states['4'] ?? '',
      /^failed .*away\.pdf" could not be downloaded: redirected to http:\/\/localhost:\d+/,
    );
    for (const done of ['1', '5', '6']) assert.equal(states[done], 'done', done);
    const threads = [...api.conversations.values()].flatMap((c) => c.threads);
    assert.deepEqual(
      threads.map((t) => t.body),
      ['hello', 'slow', 'same file again'],
    );
    for (const t of threads) {
      assert.equal(t.attachments.length, 1);
      assert.equal(t.attachments[0]?.data, PDF.toString('base64'));
    }
    assert.equal(files.hits.get('/file.pdf'), 1, 'one URL named twice is downloaded once');
    assert.equal(elsewhere.hits.size, 0);
  });

  it('a run that stops after downloading resumes from the cache: each file is downloaded once', async () => {
    const dir = tempDir('url-resume');
    const rows = [`c2,1,2024-05-02T10:00:00Z,resumed,customer,bo@example.com,${files.base}/slow.pdf`];
    const store = await staged(rows, dir);
    const api = new FakeHelpScout();
    const before = files.hits.get('/slow.pdf') ?? 0;
    const first = contextFor(store, api, dir, 1, 'fail');
    api.faults.set(1, 'crash-before-send');
    await assert.rejects(sendAll(first, first.parts.toSend(), 1));
    await first.files?.fetcher?.close();
    api.faults.clear();
    const second = contextFor(store, api, dir, 2, 'fail');
    await sendAll(second, second.parts.toSend(), 1);
    await second.files?.fetcher?.close();
    assert.equal(errors(store)['1'], 'done');
    assert.equal((files.hits.get('/slow.pdf') ?? 0) - before, 1);
  });

  it('onMissing link: the thread goes with a link to the file, a choice kept so a rerun that could now fetch it sends nothing new', async () => {
    const dir = tempDir('url-link');
    const store = await staged(
      [
        `c3,1,2024-05-03T10:00:00Z,first,customer,kim@example.com,`,
        `c3,2,2024-05-03T10:01:00Z,see the file,customer,,${files.base}/late.txt`,
      ],
      dir,
    );
    const api = new FakeHelpScout();
    // The process dies once the append is done, before its answer is recorded: the next run reads it back.
    api.faults.set(2, 'crash-after-commit');
    const first = contextFor(store, api, dir, 1, 'link');
    await assert.rejects(sendAll(first, first.parts.toSend(), 1));
    await first.files?.fetcher?.close();
    api.faults.clear();
    lateIsThere = true;
    const second = contextFor(store, api, dir, 2, 'link');
    await sendAll(second, second.parts.toSend(), 1);
    await second.files?.fetcher?.close();
    const threads = [...api.conversations.values()].flatMap((c) => c.threads);
    const link = `${files.base}/late.txt`;
    assert.deepEqual(
      threads.map((t) => [t.body, t.attachments.length]),
      [
        ['first', 0],
        [`see the file<br><br>Attachment: <a href="${link}">late.txt</a>`, 0],
      ],
    );
    assert.equal(errors(store)['2'], 'done');
    const ledger = store
      .prepare(
        "SELECT outcome || ' / ' || coalesce(resolution, '-') FROM writes WHERE kind = 'create-thread'",
      )
      .pluck()
      .all();
    assert.deepEqual(ledger, ['ok / read back: found']);
    assert.equal(files.hits.get('/late.txt'), 1, 'the file is not fetched again once linked');
  });
});

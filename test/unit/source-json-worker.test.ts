import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SourceItem } from '../../src/source/types.js';
import { built } from '../support/built.js';
import { REPO_ROOT } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';

// The worker thread runs compiled code: the built modules (`npm test` builds first).
const { sourceSchema } = await built<typeof import('../../src/config/schema.js')>('config/schema.js');
const { readSourceChunks } =
  await built<typeof import('../../src/source/read-source.js')>('source/read-source.js');

const { chunksFromThread } =
  await built<typeof import('../../src/source/chunk-thread.js')>('source/chunk-thread.js');
const JSON_WORKER = new URL('../../dist/source/json/json-worker.js', import.meta.url);

const REAL = join(REPO_ROOT, 'fixtures', 'real-exports');

async function all(files: string[], baseDir: string, jsonInWorker: boolean): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  const config = sourceSchema.parse({ files });
  for await (const chunk of readSourceChunks(config, { baseDir, jsonInWorker })) items.push(...chunk);
  return items;
}

describe('JSON read in a worker thread', () => {
  it('yields the items read in this thread, numbered across files', async () => {
    const files = ['freshdesk/ticket_1.json', 'freshdesk/conversations.json', 'intercom/records.jsonl'];
    const here = await all(files.slice(0, 2), REAL, false);
    const there = await all(files.slice(0, 2), REAL, true);
    assert.equal(there.length, 3);
    assert.deepEqual(there, here);
    const seqs = there.map((item) => (item.kind === 'row' ? item.row.pos.seq : item.reject.pos.seq));
    assert.deepEqual(seqs, [0, 1, 2]);
  });

  it('yields the same rows and rejects as this thread for every platform’s sample', async () => {
    for (const file of [
      'zendesk/tickets.json',
      'zendesk/tickets-dated.jsonl',
      'intercom/records.jsonl',
      'helpscout/conversations.json',
      'groove/tickets.json',
    ]) {
      const here = await all([file], REAL, false);
      const there = await all([file], REAL, true);
      assert.ok(here.length > 0, file);
      assert.deepEqual(there, here, file);
    }
  });

  it('throws the thread’s run-fatal error as it was thrown there', async () => {
    const dir = tempDir('json-worker');
    writeFileSync(join(dir, 'broken.json'), '[{"id": 1, "requester": {"id": 2}, "comments": []}, {"id": ');
    await assert.rejects(all(['broken.json'], dir, true), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'SOURCE_JSON_MALFORMED');
      assert.match(error.message, /^broken\.json: malformed JSON after record 1/);
      return true;
    });
  });

  it('ends the thread at once when told to stop: the chunks already sent, then an error', async () => {
    const dir = tempDir('json-worker-stop');
    const ticket = (id: number) =>
      JSON.stringify({
        id,
        requester: { email: `c${id}@x.co` },
        comments: [{ id, body: 'hi', created_at: '2024-01-01T00:00:00Z' }],
      });
    writeFileSync(
      join(dir, 'many.jsonl'),
      Array.from({ length: 20_000 }, (_, i) => ticket(i + 1)).join('\n'),
    );
    const config = sourceSchema.parse({ files: ['many.jsonl'], preset: 'zendesk' });
    const data = {
      config,
      absPath: join(dir, 'many.jsonl'),
      file: 'many.jsonl',
      format: 'jsonl',
      chunksAhead: 2,
    };
    const stop = new AbortController();
    const chunks = chunksFromThread(
      JSON_WORKER,
      data,
      16,
      'JSON reading',
      (chunk: unknown) => chunk,
      stop.signal,
    );
    let taken = 0;
    await assert.rejects(async () => {
      for await (const _ of chunks) {
        taken += 1;
        if (taken === 1) stop.abort();
      }
    }, /the JSON reading thread stopped/);
    // 20,000 records make about 80 chunks: only the few sent ahead arrived.
    assert.ok(taken <= 4, `${taken} chunks`);
  });
});

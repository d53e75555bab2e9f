import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoppedError } from '../../src/helpscout/errors.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';
import { conversationsOfRun, planPending } from '../../src/state/plan-store.js';
import { stageSource } from '../../src/state/staging.js';

import { memoryStore } from '../support/keep-alive.js';

let seq = 0;
function row(
  conversationId: string,
  createdAt: string,
  text: string,
  extra: Partial<ThreadRow> = {},
): SourceItem {
  const s = seq++;
  return {
    kind: 'row',
    row: {
      pos: { file: 'a.csv', row: s + 1, line: s + 2, seq: s },
      conversationId,
      createdAt,
      text,
      role: 'customer',
      customer: { email: 'ana@example.com' },
      tags: [],
      attachments: [],
      raw: { conversation_id: conversationId, text },
      ...extra,
    },
  };
}

async function* items(list: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* list;
}

const planOptions = {
  strategy: 'batch' as const,
  maxRequestBytes: 256 * 1024,
  status: 'closed' as const,
  tags: ['hs-import'],
  subjectTemplate: 'Chat with {customer}',
  partSubjectTemplate: '{subject} ({part}/{parts})',
};

describe('staging', () => {
  it('recognises the same messages on a rerun, and tells identical ones apart by position', async () => {
    const store = memoryStore();
    const exportRows = () => {
      seq = 0;
      return [
        row('c1', '2024-01-01T10:00:00Z', 'ok'),
        row('c1', '2024-01-01T10:00:00Z', 'ok'),
        row('c1', '2024-01-01T10:00:05Z', 'thanks'),
      ];
    };
    const first = await stageSource(store, items(exportRows()), 1);
    assert.equal(first.newThreads, 3);
    const second = await stageSource(store, items(exportRows()), 2);
    assert.equal(second.newThreads, 0);
    const longer = [...exportRows(), row('c1', '2024-01-01T10:01:00Z', 'bye')];
    const third = await stageSource(store, items(longer), 3);
    assert.equal(third.newThreads, 1);
  });

  it('ranks identical messages of a first load when a later staging first needs to match them', async () => {
    const store = memoryStore();
    seq = 0;
    const twins = [row('c1', '2024-01-01T10:00:00Z', 'ok'), row('c1', '2024-01-01T10:00:00Z', 'ok')];
    await stageSource(store, items(twins), 1);
    const identityIndex = () =>
      store.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'threads_identity'").pluck().get();
    assert.equal(identityIndex(), 0, 'the first load goes without the identity index');
    seq = 0;
    const again = await stageSource(
      store,
      items([row('c1', '2024-01-01T10:00:00Z', 'ok'), row('c1', '2024-01-01T10:00:00Z', 'ok')]),
      2,
    );
    assert.equal(again.newThreads, 0);
    assert.equal(identityIndex(), 1);
    const ranks = store.prepare('SELECT id, occurrence, seen_run AS run FROM threads ORDER BY id').all();
    assert.deepEqual(ranks, [
      { id: 1, occurrence: 1, run: 2 },
      { id: 2, occurrence: 2, run: 2 },
    ]);
  });

  it("keeps a row's cells only while its conversation may still be rejected (no customer named)", async () => {
    const store = memoryStore();
    seq = 0;
    await stageSource(
      store,
      items([
        row('c1', '2024-01-01T10:00:00Z', 'named'),
        row('c1', '2024-01-01T10:00:01Z', 'unnamed', { customer: { firstName: 'Ana' } }),
      ]),
      1,
    );
    const kept = store.prepare('SELECT raw_json FROM thread_bodies ORDER BY thread_id').pluck().all();
    assert.deepEqual(kept, [null, JSON.stringify(['c1', 'unnamed'])]);
  });

  it('keeps a run-fatal source error from leaving anything half-written', async () => {
    const store = memoryStore();
    async function* broken(): AsyncGenerator<SourceItem> {
      yield row('c1', '2024-01-01T10:00:00Z', 'hello');
      throw new Error('disk gone');
    }
    await assert.rejects(stageSource(store, broken(), 1), /disk gone/);
    assert.equal((store.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n, 0);
  });

  it('rejects a message whose files exceed what any Help Scout request accepts (10 MiB)', async () => {
    const store = memoryStore();
    seq = 0;
    const huge = row('c1', '2024-01-01T10:00:00Z', 'see file');
    if (huge.kind === 'row') {
      huge.row.attachments = [
        {
          path: '/x',
          relPath: 'x.bin',
          fileName: 'x.bin',
          mimeType: 'application/octet-stream',
          size: 8 * 1024 * 1024,
        },
      ];
    }
    const counts = await stageSource(store, items([huge, row('c1', '2024-01-01T10:00:01Z', 'ok')]), 1);
    assert.equal(counts.rejected, 1);
    const reject = store.prepare('SELECT field, reason FROM rejects').get() as {
      field: string;
      reason: string;
    };
    assert.equal(reject.field, 'attachments');
    assert.match(reject.reason, /more than the 10 MiB a Help Scout request accepts/);
  });

  it('a stop while reading rolls the whole reading back', async () => {
    const store = memoryStore();
    const stop = new AbortController();
    async function* slow(): AsyncGenerator<SourceItem> {
      seq = 0;
      yield row('c1', '2024-01-01T10:00:00Z', 'one');
      stop.abort();
      yield row('c1', '2024-01-01T10:00:01Z', 'two');
    }
    await assert.rejects(stageSource(store, slow(), 1, stop.signal), StoppedError);
    assert.equal(store.prepare('SELECT count(*) FROM threads').pluck().get(), 0);
  });

  it('records rejects with their position, and rebuilds them on every reading', async () => {
    const store = memoryStore();
    const reject: SourceItem = {
      kind: 'reject',
      reject: {
        pos: { file: 'a.csv', row: 7, line: 8, seq: 6 },
        field: 'created_at',
        reason: 'not a date',
        raw: {},
        headers: [],
      },
    };
    await stageSource(store, items([reject]), 1);
    await stageSource(store, items([reject]), 2);
    const rejects = store.prepare('SELECT file, row, field FROM rejects').all();
    assert.deepEqual(rejects, [{ file: 'a.csv', row: 7, field: 'created_at' }]);
  });
});

describe('planPending', () => {
  it('walks the conversations in key-ordered chunks, each conversation whole, however large', async () => {
    const store = memoryStore();
    seq = 0;
    const sizes: Record<string, number> = { a: 1, b: 5, c: 2, d: 3, e: 3, f: 7 };
    const list: SourceItem[] = [];
    // Interleaved, as exports in time order are.
    for (let i = 0; i < 7; i++) {
      for (const [key, n] of Object.entries(sizes)) {
        if (i < n) list.push(row(key, `2024-01-01T10:00:0${i}Z`, `${key}${i}`));
      }
    }
    await stageSource(store, items(list), 1);
    for (const chunkRows of [1, 2, 3, 4, 8, 100]) {
      const seen = [...conversationsOfRun(store, 1, chunkRows)].map((records) => {
        const keys = new Set(records.map((r) => r.conversation_key));
        assert.equal(keys.size, 1, `one conversation at a time (chunks of ${chunkRows})`);
        return [records[0]?.conversation_key, records.length];
      });
      assert.deepEqual(Object.fromEntries(seen), sizes, `chunks of ${chunkRows}`);
      assert.equal(seen.length, 6, `each conversation once (chunks of ${chunkRows})`);
    }
  });

  it('plans only threads seen in this run, and only the first N conversations with --sample', async () => {
    const store = memoryStore();
    seq = 0;
    await stageSource(
      store,
      items([row('c1', '2024-01-01T10:00:00Z', 'a'), row('c2', '2024-01-01T10:00:00Z', 'b')]),
      1,
    );
    const sampled = planPending(store, 1, { ...planOptions, sample: 1 });
    assert.equal(sampled.partsPlanned, 1);
    const all = planPending(store, 1, planOptions);
    assert.equal(all.partsPlanned, 2, 'unstarted parts are planned again from scratch');
    seq = 0;
    await stageSource(store, items([row('c2', '2024-01-01T10:00:00Z', 'b')]), 2);
    const onlySeen = planPending(store, 2, planOptions);
    assert.equal(onlySeen.partsPlanned, 1);
  });

  it('rejects every row of a conversation without any customer', async () => {
    const store = memoryStore();
    seq = 0;
    await stageSource(store, items([row('c9', '2024-01-01T10:00:00Z', 'hi', { customer: {} })]), 1);
    const counts = planPending(store, 1, planOptions);
    assert.equal(counts.conversationsRejected, 1);
    const reject = store.prepare('SELECT field, reason FROM rejects').get() as {
      field: string;
      reason: string;
    };
    assert.match(reject.reason, /no customer_id or customer_email/);
    // The row goes to rejects.csv as the export had it, under its file's header.
    const raw = store.prepare('SELECT raw_json, headers_json FROM rejects').get() as {
      raw_json: string;
      headers_json: string;
    };
    assert.deepEqual(JSON.parse(raw.raw_json), { conversation_id: 'c9', text: 'hi' });
    assert.deepEqual(JSON.parse(raw.headers_json), ['conversation_id', 'text']);
  });
});

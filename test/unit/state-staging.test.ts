import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planPending } from '../../src/run/plan.js';
import { stageSource } from '../../src/run/stage.js';
import { RawCellsKeeper } from '../../src/source/raw-cells.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';
import { conversationsInRange, keyRanges } from '../../src/state/plan-range.js';
import { planTotals } from '../../src/state/plan-totals.js';
import { rawCells } from '../../src/util/cells.js';
import { StoppedError } from '../../src/util/errors.js';

import { memoryStore } from '../support/keep-alive.js';
import { planOptions } from '../support/plan-options.js';

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

/** A staged row's text, from its body (row-body.ts: [file, row, line, role, text, …]). */
function textOf(rowJson: string): string {
  return (JSON.parse(rowJson) as unknown[])[4] as string;
}

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

  it('stages a repeated thread_id of a conversation once, on every run, and keeps a copy already planned', async () => {
    const store = memoryStore();
    const exportRows = (withCopy: boolean) => {
      seq = 0;
      const list = [
        row('c1', '2024-01-01T10:00:00Z', 'hi', { threadId: 'm1' }),
        row('c1', '2024-01-01T10:00:05Z', 'there', { threadId: 'm2' }),
        row('c2', '2024-01-01T10:00:00Z', 'hi', { threadId: 'm1' }),
      ];
      if (withCopy) list.push(row('c1', '2024-01-01T10:00:00Z', 'hi', { threadId: 'm1' }));
      return list;
    };
    const threads = () => store.prepare('SELECT count(*) FROM threads').pluck().get();
    const first = await stageSource(store, items(exportRows(true)), 1);
    assert.equal(first.repeated, 1);
    assert.equal(first.rowsValid, 4, 'a copy is a valid row');
    assert.equal(threads(), 3, 'another conversation may use the same id');
    planPending(store, 1, planOptions);
    const again = await stageSource(store, items(exportRows(true)), 2);
    assert.deepEqual([again.repeated, again.newThreads, threads()], [1, 0, 3]);
    const without = await stageSource(store, items(exportRows(false)), 3);
    assert.deepEqual([without.repeated, without.newThreads, threads()], [0, 0, 3]);
  });

  it('takes out every row of a repeated thread_id whose content differs, and one planned before stays', async () => {
    const store = memoryStore();
    seq = 0;
    const before = [row('c1', '2024-01-01T10:00:00Z', 'hi', { threadId: 'm1' })];
    await stageSource(store, items(before), 1);
    planPending(store, 1, planOptions);
    seq = 0;
    const later = [
      row('c1', '2024-01-01T10:00:00Z', 'hi', { threadId: 'm1' }),
      row('c1', '2024-01-01T10:00:09Z', 'other text', { threadId: 'm1' }),
      row('c2', '2024-01-01T10:00:00Z', 'one', { threadId: 'x' }),
      row('c2', '2024-01-01T10:00:00Z', 'two', { threadId: 'x' }),
    ];
    const staged = await stageSource(store, items(later), 2);
    assert.deepEqual([staged.rowsValid, staged.rejected], [1, 3]);
    const rejects = store.prepare('SELECT seq, field, reason FROM rejects ORDER BY seq').all() as {
      seq: number;
      field: string;
      reason: string;
    }[];
    assert.deepEqual(
      rejects.map((r) => [r.seq, r.field]),
      [
        [1, 'thread_id'],
        [2, 'thread_id'],
        [3, 'thread_id'],
      ],
    );
    assert.match(rejects[0]?.reason ?? '', /thread_id "m1" of conversation c1 .* different content/);
    const kept = store.prepare('SELECT conversation_key, source_thread_id FROM threads').all();
    assert.deepEqual(kept, [{ conversation_key: 'c1', source_thread_id: 'm1' }]);
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

  it("keeps a row's cells only while its conversation may still be rejected (no customer named yet)", async () => {
    const store = memoryStore();
    seq = 0;
    const unnamed = { customer: { firstName: 'Ana' } };
    await stageSource(
      store,
      items([
        row('c1', '2024-01-01T10:00:00Z', 'c1 named'),
        row('c1', '2024-01-01T10:00:01Z', 'c1 after', unnamed),
        row('c2', '2024-01-01T10:00:00Z', 'c2 before', unnamed),
        row('c2', '2024-01-01T10:00:01Z', 'c2 named'),
        row('c2', '2024-01-01T10:00:02Z', 'c2 after', unnamed),
      ]),
      1,
    );
    const kept = store.prepare('SELECT raw_json FROM threads ORDER BY id').pluck().all();
    assert.deepEqual(kept, [null, null, JSON.stringify(['c2', 'c2 before']), null, null]);
  });

  it('gives back cells under their header: a missing one empty, an extra one named by its place', () => {
    assert.deepEqual(rawCells(['a', 'b'], ['1', '2']), { a: '1', b: '2' });
    assert.deepEqual(rawCells(['a', 'b', 'c'], ['1']), { a: '1', b: '', c: '' });
    assert.deepEqual(rawCells(['a'], ['1', '2', '3']), { a: '1', '(field 2)': '2', '(field 3)': '3' });
  });

  it('forgets the conversations it knew named a customer when full, and then keeps more cells, never fewer', () => {
    const keeper = new RawCellsKeeper(1);
    const named = (conversationId: string) => ({
      conversationId,
      createdAt: '2024-01-01T10:00:00Z',
      text: 'hi',
      role: 'customer' as const,
      customer: { email: 'ana@example.com' },
      tags: [],
      attachments: [],
    });
    const unnamed = (conversationId: string) => ({ ...named(conversationId), customer: {} });
    assert.equal(keeper.mayBeNeeded(named('c1')), false);
    assert.equal(keeper.mayBeNeeded(unnamed('c1')), false, 'c1 is known to name its customer');
    assert.equal(keeper.mayBeNeeded(named('c2')), false, 'c1 forgotten to make room');
    assert.equal(keeper.mayBeNeeded(unnamed('c1')), true, 'forgotten: kept, to be safe');
    assert.equal(keeper.mayBeNeeded(unnamed('c2')), false);
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
  it('writes the assignments in thread order and leaves the part index in place, dropped and rebuilt or not', async () => {
    const store = memoryStore();
    seq = 0;
    const indexed = () =>
      store
        .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'thread_parts_by_part'")
        .pluck()
        .get();
    const partThreads = (key: string) =>
      store
        .prepare(
          `SELECT t.row_json FROM parts p JOIN thread_parts tp ON tp.part_id = p.id JOIN threads t ON t.id = tp.thread_id
           WHERE p.conversation_key = ? ORDER BY tp.part_index`,
        )
        .pluck()
        .all(key)
        .map((json) => textOf(json as string));
    // Interleaved and out of date order: each conversation's part still lists its threads by date.
    await stageSource(
      store,
      items([
        row('a', '2024-01-01T10:00:02Z', 'a2'),
        row('b', '2024-01-01T10:00:01Z', 'b1'),
        row('a', '2024-01-01T10:00:00Z', 'a0'),
        row('a', '2024-01-01T10:00:01Z', 'a1'),
      ]),
      1,
    );
    planPending(store, 1, planOptions);
    assert.equal(indexed(), 1, 'rebuilt after a first planning');
    assert.deepEqual(partThreads('a'), ['a0', 'a1', 'a2']);
    // Conversation a's part is started (a write was sent), so it stays; c's one new assignment is fewer than
    // the rows already there: the index is kept up as it goes in.
    store
      .prepare(
        `INSERT INTO writes (run_id, part_id, kind, thread_ids, intent_at, outcome)
         SELECT 1, id, 'create-conversation', '[]', '2024-01-02T00:00:00Z', 'ok' FROM parts WHERE conversation_key = 'a'`,
      )
      .run();
    seq = 0;
    await stageSource(store, items([row('c', '2024-01-01T10:00:00Z', 'c0')]), 2);
    planPending(store, 2, planOptions);
    assert.equal(indexed(), 1, 'kept on a small planning');
    assert.deepEqual(partThreads('c'), ['c0']);
    assert.deepEqual(partThreads('a'), ['a0', 'a1', 'a2'], 'the started part keeps its threads');
  });

  it('totals what is left of the plan: pending threads only, and creates only for parts with some', async () => {
    const store = memoryStore();
    seq = 0;
    const list: SourceItem[] = [];
    for (let i = 0; i < 150; i++)
      list.push(
        row(
          'big',
          `2024-01-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
          `b${i}`,
        ),
      );
    list.push(row('small', '2024-01-01T10:00:00Z', 's0'), row('small', '2024-01-01T10:00:01Z', 's1'));
    await stageSource(store, items(list), 1);
    planPending(store, 1, planOptions);
    const before = planTotals(store);
    assert.deepEqual(before, {
      parts: 3,
      splitConversations: 1,
      threads: 152,
      inline: 152,
      appended: 0,
      writes: 3,
    });
    // The small conversation sent, one thread of the big one failed.
    store.db.exec(`UPDATE threads SET state = 'done' WHERE conversation_key = 'small';
                   UPDATE threads SET state = 'failed' WHERE id = (SELECT min(id) FROM threads)`);
    assert.deepEqual(planTotals(store), { ...before, threads: 149, inline: 149, writes: 2 });
  });

  it('walks the conversations in key ranges, each conversation whole, however large', async () => {
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
    // Thread id → its text, which starts with its conversation's key.
    const staged = new Map(
      (
        store.prepare('SELECT id AS thread_id, row_json FROM threads').all() as {
          thread_id: number;
          row_json: string;
        }[]
      ).map((b) => [b.thread_id, textOf(b.row_json)]),
    );
    for (const rangeRows of [1, 2, 3, 4, 8, 100]) {
      const conversations = [...keyRanges(store, rangeRows)].flatMap((range) => [
        ...conversationsInRange(store, 1, range),
      ]);
      const seen = conversations.map(({ key, threads }) => {
        const texts = threads.map((t) => staged.get(t.id));
        assert.ok(
          texts.every((text) => text?.startsWith(key)),
          `one conversation at a time (ranges of ${rangeRows})`,
        );
        return [key, threads.length];
      });
      assert.deepEqual(Object.fromEntries(seen), sizes, `ranges of ${rangeRows}`);
      assert.equal(seen.length, 6, `each conversation once (ranges of ${rangeRows})`);
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

import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { planPending } from '../../src/run/plan.js';
import { stageSource } from '../../src/run/stage.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';
import { StateStore } from '../../src/state/store.js';
import { keepAlive } from '../support/keep-alive.js';
import { planOptions } from '../support/plan-options.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('plan-ranges');

/**
 * An export of `conversations` conversations, interleaved as exports in time order are: conversation i has
 * 1 + (i * 37) % 60 threads, conversation 0 has 250 (more than two parts, and more than a key range), and
 * conversation 5 names no customer (rejected). Later readings (`reading` > 1) add a thread to each.
 */
function exportOf(conversations: number, reading: number): SourceItem[] {
  const sizes = Array.from({ length: conversations }, (_, i) => (i === 0 ? 250 : 1 + ((i * 37) % 60)));
  const items: SourceItem[] = [];
  let seq = 0;
  const add = (c: number, t: number) => {
    const conversationId = `c${String(c).padStart(3, '0')}`;
    const text = `${conversationId} message ${t}`;
    const row: ThreadRow = {
      pos: { file: 'chats.csv', row: seq + 1, line: seq + 2, seq },
      conversationId,
      threadId: `${conversationId}-${t}`,
      createdAt: new Date(Date.UTC(2024, 0, 1, 10, 0, t)).toISOString().replace('.000Z', 'Z'),
      text,
      role: t % 3 === 0 ? 'agent' : 'customer',
      customer: c === 5 ? {} : { email: `customer${c % 7}@example.com` },
      tags: t % 4 === 0 ? [`tag${c % 3}`] : [],
      attachments: [],
      raw: { conversation_id: conversationId, text },
    };
    if (t === 0) row.subject = `Question ${c}`;
    items.push({ kind: 'row', row });
    seq += 1;
  };
  const longest = Math.max(...sizes);
  for (let t = 0; t < longest; t++) {
    for (const [c, n] of sizes.entries()) if (t < n) add(c, t);
  }
  if (reading > 1) for (const [c, n] of sizes.entries()) add(c, n + reading);
  return items;
}

async function* items(list: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* list;
}

/** The plan as the state holds it, by source identity rather than by row ids. */
function planOf(store: StateStore) {
  return {
    parts: store
      .prepare(
        'SELECT conversation_key, part_no, subject, envelope_json FROM parts ORDER BY conversation_key, part_no',
      )
      .all(),
    assignments: store
      .prepare(
        `SELECT t.base_key, t.occurrence, p.conversation_key, p.part_no, tp.part_index, tp.inline, tp.attachments_later
         FROM thread_parts tp JOIN threads t ON t.id = tp.thread_id JOIN parts p ON p.id = tp.part_id
         ORDER BY t.base_key, t.occurrence`,
      )
      .all(),
    rejects: store.prepare('SELECT seq, file, row, field, reason, raw_json FROM rejects ORDER BY seq').all(),
  };
}

/**
 * Plans copies of the state file at `source` in key ranges of every size from 1 thread to all of them at
 * once, and checks that the plans are the same.
 */
function planInRanges(source: string, runId: number, sample?: number) {
  const results = [1, 7, 100, 100_000].map((rangeRows) => {
    const copy = path.join(dir, `copy-${rangeRows}-${runId}-${sample ?? 'all'}.sqlite`);
    copyFileSync(source, copy);
    const store = keepAlive(StateStore.open(copy));
    try {
      const counts = planPending(store, runId, { ...planOptions, sample }, rangeRows);
      return { counts, plan: planOf(store) };
    } finally {
      store.close();
    }
  });
  const [whole, ...cut] = results.reverse() as [(typeof results)[0], ...typeof results];
  for (const other of cut) assert.deepEqual(other, whole);
  return whole;
}

describe('planning in key ranges', () => {
  const state = path.join(dir, 'state.sqlite');

  it('makes the same plan whatever the size of the ranges, on a first run', async () => {
    const store = keepAlive(StateStore.open(state));
    await stageSource(store, items(exportOf(40, 1)), 1);
    store.close();
    const { counts, plan } = planInRanges(state, 1);
    assert.equal(counts.conversationsRejected, 1);
    // Conversation 5 (1 + 5 * 37 % 60 = 6 threads) names no customer: each of its rows is rejected for it.
    assert.deepEqual(
      (plan.rejects as { field: string; reason: string }[]).map((r) => [r.field, r.reason]),
      Array.from({ length: 6 }, () => [
        'customer_email',
        'conversation c005 has no customer_id or customer_email on any of its rows',
      ]),
    );
    assert.ok(counts.partsPlanned > 40, 'conversation 0 is split');
    const sampled = planInRanges(state, 1, 5);
    assert.equal(sampled.counts.conversations, 5);
  });

  it('and on a rerun, next to started parts and parts nothing was sent for', async () => {
    // The first plan is applied to the state file itself: conversation 0's first two parts and conversation
    // 1's part are started (a write each); the other parts were never sent, so a new planning redoes them.
    const store = keepAlive(StateStore.open(state));
    planPending(store, 1, planOptions);
    store
      .prepare(
        `INSERT INTO writes (run_id, part_id, kind, thread_ids, intent_at, outcome)
         SELECT 1, id, 'create-conversation', '[]', '2024-01-02T00:00:00Z', 'ok' FROM parts
         WHERE (conversation_key = 'c000' AND part_no <= 2) OR conversation_key = 'c001'`,
      )
      .run();
    await stageSource(store, items(exportOf(40, 2)), 2);
    store.close();
    const { counts, plan } = planInRanges(state, 2);
    const partsOf = (key: string) =>
      (plan.parts as { conversation_key: string; part_no: number }[])
        .filter((p) => p.conversation_key === key)
        .map((p) => p.part_no);
    assert.deepEqual(partsOf('c000'), [1, 2, 3], 'the new threads of c000 follow its started parts');
    assert.deepEqual(partsOf('c001'), [1], 'the new thread of c001 joins its started part');
    assert.ok(counts.threadsPlanned > 0);
  });
});

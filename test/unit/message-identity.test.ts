import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planPending } from '../../src/run/plan.js';
import { stageSource } from '../../src/run/stage.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';
import { changedThreads } from '../../src/state/changed-threads.js';
import { Parts } from '../../src/state/parts.js';
import { readProgress } from '../../src/state/progress.js';
import { StateStore } from '../../src/state/store.js';
import { keepAlive, memoryStore } from '../support/keep-alive.js';
import { planOptions } from '../support/plan-options.js';
import { tempDir } from '../support/temp-dir.js';

/** One export: rows in this order, each [conversation, time, role, text]. */
function exportOf(rows: [string, string, ThreadRow['role'], string][]): AsyncGenerator<SourceItem> {
  const items: SourceItem[] = rows.map(([conversationId, createdAt, role, text], seq) => ({
    kind: 'row',
    row: {
      pos: { file: 'a.csv', row: seq + 1, line: seq + 2, seq },
      conversationId,
      createdAt,
      text,
      role,
      customer: { email: 'ana@example.com' },
      tags: [],
      attachments: [],
      raw: { conversation_id: conversationId, text },
    },
  }));
  return (async function* () {
    yield* items;
  })();
}

const AT = '2024-01-01T10:00:00Z';
const garbled: [string, string, ThreadRow['role'], string][] = [
  ['c1', AT, 'customer', 'CafÃ©'],
  ['c1', AT, 'customer', 'second line'],
  ['c1', AT, 'agent', 'Hello'],
];
const repaired = garbled.map(
  ([c, at, role, text]) => [c, at, role, text.replace('Ã©', 'é')] as (typeof garbled)[0],
);

/** Plans and records every part as created in Help Scout, as a send would (Parts, the send's effects). */
function planAndSend(store: StateStore, runId: number): void {
  planPending(store, runId, planOptions);
  const repo = new Parts(store);
  for (const part of repo.toSend()) {
    repo.conversationCreated(
      part.id,
      1000 + part.id,
      repo.threads(part.id).map((t) => t.id),
    );
  }
}

const texts = (store: StateStore) =>
  store.prepare("SELECT json_extract(row_json, '$[4]') FROM threads ORDER BY id").pluck().all();

describe('message identity without a source id', () => {
  it('a planned message found with other text is changed since import, not new; an unplanned one takes the text', async () => {
    const store = memoryStore();
    await stageSource(store, exportOf(garbled), 1);
    // Not planned yet: the new reading's text replaces the first, and nothing is reported.
    assert.equal((await stageSource(store, exportOf(repaired), 2)).newThreads, 0);
    assert.deepEqual(texts(store), ['Café', 'second line', 'Hello']);
    assert.equal(readProgress(store).changedSinceImport, 0);

    planAndSend(store, 2);
    const back = await stageSource(store, exportOf(garbled), 4);
    assert.equal(back.newThreads, 0);
    assert.deepEqual(texts(store), ['Café', 'second line', 'Hello'], 'sent threads keep their text');
    assert.equal(readProgress(store).changedSinceImport, 1);
    assert.deepEqual(
      changedThreads(store).map((c) => [c.role, c.sentText, c.newText]),
      [['customer', 'Café', 'CafÃ©']],
    );
    // A new message of the same second and role, after the others, is a new thread.
    const more = [...repaired, ['c1', AT, 'customer', 'and a third'] as (typeof garbled)[0]];
    assert.equal((await stageSource(store, exportOf(more), 5)).newThreads, 1);
    assert.equal(readProgress(store).changedSinceImport, 0, 'rebuilt by each reading');
  });

  it('a version 4 state file (text in the key) is migrated: the next reading finds every message again', async () => {
    const path = join(tempDir('identity'), 'v4.sqlite');
    const store = StateStore.open(path);
    await stageSource(store, exportOf(garbled), 1);
    await stageSource(store, exportOf(garbled), 2);
    planAndSend(store, 2);
    // The keys version 4 wrote: a hash of time, role and text, each ranked among identical messages only.
    const oldKey = (conversation: string, createdAt: string, role: string, text: string) =>
      `${conversation}\u001fh:${createHash('sha1').update(`${createdAt}\u001f${role}\u001f${text}`).digest('base64url')}`;
    store.db.exec('DROP INDEX threads_identity');
    const rows = store
      .prepare(
        "SELECT id, json_extract(row_json, '$[3]') AS role, json_extract(row_json, '$[4]') AS text FROM threads",
      )
      .all() as { id: number; role: string; text: string }[];
    for (const r of rows) {
      store
        .prepare('UPDATE threads SET base_key = ?, occurrence = 1 WHERE id = ?')
        .run(oldKey('c1', AT, r.role, r.text), r.id);
    }
    store.setMeta('schema_version', '4');
    store.close();

    const reopened = keepAlive(StateStore.open(path));
    assert.equal(reopened.getMeta('schema_version'), '5');
    assert.deepEqual(reopened.prepare('SELECT base_key, occurrence FROM threads ORDER BY id').all(), [
      { base_key: `c1\u001ft:${AT}\u001fcustomer`, occurrence: 1 },
      { base_key: `c1\u001ft:${AT}\u001fcustomer`, occurrence: 2 },
      { base_key: `c1\u001ft:${AT}\u001fagent`, occurrence: 1 },
    ]);
    assert.equal((await stageSource(reopened, exportOf(repaired), 4)).newThreads, 0);
    assert.equal(readProgress(reopened).changedSinceImport, 1);
    reopened.close();
  });
});

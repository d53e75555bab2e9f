// The reader thread runs the compiled code: everything here comes from dist/ (see test/support/built.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SourceBatch } from '../../src/source/row-batch.js';
import type { SourceItem } from '../../src/source/types.js';
import { built } from '../support/built.js';
import { keepAlive } from '../support/keep-alive.js';

const { sourceSchema } = await built<typeof import('../../src/config/schema.js')>('config/schema.js');
const { readSource } = await built<typeof import('../../src/source/index.js')>('source/index.js');
const { readSourceInWorker } =
  await built<typeof import('../../src/source/read-in-worker.js')>('source/read-in-worker.js');
const { ROW_FIELDS, rawValuesAt, rowAt, SourceBatcher } =
  await built<typeof import('../../src/source/row-batch.js')>('source/row-batch.js');
const { stageExport, stageSource } =
  await built<typeof import('../../src/state/staging.js')>('state/staging.js');
const { StateStore } = await built<typeof import('../../src/state/store.js')>('state/store.js');
const { FatalError } = await built<typeof import('../../src/util/errors.js')>('util/errors.js');

const memoryStore = () => keepAlive(StateStore.memory());

const dir = mkdtempSync(path.join(os.tmpdir(), 'hs-import-read-worker-'));
writeFileSync(path.join(dir, 'hello.txt'), 'hello');
const HEADER =
  'conversation_id,thread_id,created_at,text,author_role,author_email,customer_email,first_name,subject,tags,status,attachments';
const lines = [HEADER];
for (let i = 0; i < 700; i++) {
  const c = `c${i % 7}`;
  lines.push(
    [
      c,
      i % 5 === 0 ? '' : String(i),
      `2024-01-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      i % 9 === 0 ? '"two\nlines, quoted"' : `message ${i}`,
      i % 3 === 0 ? 'agent' : 'customer',
      i % 3 === 0 ? 'Ana@Example.com' : '',
      i % 4 === 0 ? '' : `${c}@example.com`,
      i % 6 === 0 ? 'Zoé' : '',
      i === 1 ? 'Order' : '',
      i % 8 === 0 ? 'vip;late' : '',
      i === 2 ? 'active' : '',
      i % 50 === 0 ? 'hello.txt' : '',
    ].join(','),
  );
}
lines.push('c1,,not a date,bad row,customer,,a@example.com,,,,,');
writeFileSync(path.join(dir, 'chats.csv'), `${lines.join('\n')}\n`);
const config = sourceSchema.parse({ files: ['chats.csv'] });

/** Every item of a batch, rebuilt as readSource yields it (rows in order, then the rejects by position). */
function itemsOf(batches: SourceBatch[]): SourceItem[] {
  const items: SourceItem[] = [];
  let headers: string[] = [];
  for (const batch of batches) {
    headers = batch.headers['chats.csv'] ?? headers;
    for (let at = 0; at < batch.rows.length; at += ROW_FIELDS.length) {
      const values = rawValuesAt(batch.rows, at);
      const raw: Record<string, string> = {};
      headers.forEach((h, i) => {
        if (values !== null) raw[h] = values[i] as string;
      });
      items.push({ kind: 'row', row: { ...rowAt(batch, at), raw } });
    }
    for (const reject of batch.rejects) items.push({ kind: 'reject', reject });
  }
  const seq = (item: SourceItem) => (item.kind === 'row' ? item.row.pos.seq : item.reject.pos.seq);
  return items.sort((a, b) => seq(a) - seq(b));
}

/**
 * What readSource yields, as a batch carries it: a row's cells are passed on only while no row of its
 * conversation so far has named the customer.
 */
function asBatched(items: SourceItem[]): SourceItem[] {
  const named = new Set<string>();
  return items.map((item) => {
    if (item.kind === 'reject') return item;
    const { row } = item;
    if (row.customer.email !== undefined || row.customer.id !== undefined) named.add(row.conversationId);
    const kept = !named.has(row.conversationId);
    return kept ? item : { kind: 'row', row: { ...row, raw: {} } };
  });
}

describe('reading in a worker thread', () => {
  it('yields, batch after batch, exactly what readSource yields', async () => {
    const direct: SourceItem[] = [];
    for await (const item of readSource(config, { baseDir: dir })) direct.push(item);
    const batches: SourceBatch[] = [];
    for await (const batch of readSourceInWorker(config, dir, { batchRows: 64, batchesAhead: 2 })) {
      batches.push(batch);
    }
    assert.ok(batches.length > 10, 'several batches');
    assert.equal(direct.length, 701);
    assert.deepEqual(itemsOf(batches), asBatched(direct));
  });

  it('SourceBatcher and rowAt give back the rows they were given', async () => {
    const batcher = new SourceBatcher();
    const direct: SourceItem[] = [];
    for await (const item of readSource(config, { baseDir: dir })) {
      direct.push(item);
      batcher.add(item);
    }
    assert.equal(batcher.size, 701);
    const batched = itemsOf([batcher.take()]);
    assert.deepEqual(batched, asBatched(direct));
    const kept = batched.filter((item) => item.kind === 'row' && Object.keys(item.row.raw).length > 0);
    assert.ok(
      kept.length > 0 && kept.length < 50,
      `some rows keep their cells, most do not (${kept.length})`,
    );
    assert.equal(batcher.size, 0);
  });

  it("throws the reader's run-fatal error as it was thrown there, and staging keeps nothing", async () => {
    writeFileSync(
      path.join(dir, 'broken.csv'),
      `${HEADER}\nc1,1,2024-01-01T10:00:00Z,hi,customer,,a@example.com,,,,,\nc1,2,2024-01-01T10:00:01Z,"never closed\n`,
    );
    const broken = sourceSchema.parse({ files: ['broken.csv'] });
    const store = memoryStore();
    const error = await stageExport(store, broken, dir, 1).then(
      () => assert.fail('expected a FatalError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof FatalError);
    assert.equal(error.code, 'SOURCE_CSV_MALFORMED');
    assert.match(
      error.message,
      /^broken\.csv: malformed CSV in the record starting on line \d+: Quote Not Closed/,
    );
    assert.equal(store.prepare('SELECT count(*) FROM threads').pluck().get(), 0);
    const missing = await stageExport(store, sourceSchema.parse({ files: ['nope.csv'] }), dir, 1).then(
      () => assert.fail('expected a FatalError'),
      (e: unknown) => e as InstanceType<typeof FatalError>,
    );
    assert.equal(missing.code, 'SOURCE_FILE_UNREADABLE');
  });

  it('stages the same threads whether read here or in the worker', async () => {
    const here = memoryStore();
    const a = await stageSource(here, readSource(config, { baseDir: dir }), 1);
    const there = memoryStore();
    const b = await stageExport(there, config, dir, 1);
    assert.deepEqual(a, b);
    const dump = (store: typeof here) =>
      store
        .prepare(
          `SELECT t.base_key, t.occurrence, t.conversation_key, t.seq, t.created_at, t.bytes, t.profile_json,
                  t.agent_email, t.row_json, t.raw_json
           FROM threads t ORDER BY t.seq`,
        )
        .all();
    assert.deepEqual(dump(there), dump(here));
  });
});

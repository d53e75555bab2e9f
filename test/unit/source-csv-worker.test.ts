// The parsing thread runs the compiled code: everything here comes from dist/ (see test/support/built.ts).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CsvRecord } from '../../src/source/csv-file.js';
import { built } from '../support/built.js';
import { keepAlive } from '../support/keep-alive.js';
import { tempDir } from '../support/temp-dir.js';

const { sourceSchema } = await built<typeof import('../../src/config/schema.js')>('config/schema.js');
const { readSource } = await built<typeof import('../../src/source/index.js')>('source/index.js');
const { readCsvRecords } = await built<typeof import('../../src/source/csv-file.js')>('source/csv-file.js');
const { chunkOf, readCsvRecordsInWorker, recordsOf } =
  await built<typeof import('../../src/source/csv-in-worker.js')>('source/csv-in-worker.js');
const { readSourceChunks } =
  await built<typeof import('../../src/source/read-source.js')>('source/read-source.js');
const { stageExport, stageSource } = await built<typeof import('../../src/run/stage.js')>('run/stage.js');
const { StateStore } = await built<typeof import('../../src/state/store.js')>('state/store.js');
const { FatalError } = await built<typeof import('../../src/util/errors.js')>('util/errors.js');

const memoryStore = () => keepAlive(StateStore.memory());

const dir = tempDir('csv-worker');
writeFileSync(path.join(dir, 'hello.txt'), 'hello');
const HEADER =
  'conversation_id,thread_id,created_at,text,author_role,author_email,customer_email,first_name,subject,tags,status,attachments';
const lines = [HEADER];
for (let i = 0; i < 3000; i++) {
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

async function all<T>(chunks: AsyncIterable<T[]>): Promise<{ items: T[]; chunks: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const chunk of chunks) {
    items.push(...chunk);
    count += 1;
  }
  return { items, chunks: count };
}

describe('parsing in a worker thread', () => {
  const options = { delimiter: ',', encoding: 'utf8' as const };
  const chats = path.join(dir, 'chats.csv');

  it('yields the records readCsvRecords yields, in the same chunks', async () => {
    const here = await all(readCsvRecords(chats, 'chats.csv', options));
    const there = await all(readCsvRecordsInWorker(chats, 'chats.csv', options, 2));
    assert.ok(here.chunks > 3, `several chunks (${here.chunks})`);
    assert.equal(there.chunks, here.chunks);
    assert.equal(here.items.length, 3002);
    assert.deepEqual(there.items, here.items);
  });

  it('lays records end to end and back as they were', () => {
    const records: CsvRecord[] = [
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: [''], line: 2 },
      { fields: ['x', 'two\nlines', 'z', 'extra'], line: 3 },
      { fields: ['p', 'q'], line: 5 },
    ];
    assert.deepEqual(recordsOf(chunkOf(records)), records);
    assert.deepEqual(recordsOf(chunkOf([])), []);
  });

  it('gives readSource the same items, read here or parsed there', async () => {
    const here = await all(readSourceChunks(config, { baseDir: dir }));
    const there = await all(readSourceChunks(config, { baseDir: dir, records: readCsvRecordsInWorker }));
    assert.equal(here.items.length, 3001);
    assert.ok(here.items.some((item) => item.kind === 'reject'));
    assert.deepEqual(there.items, here.items);
  });

  it("throws the parser's run-fatal error as it was thrown there, and staging keeps nothing", async () => {
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

  it('stages the same threads whether parsed here or in the worker', async () => {
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

  it("keeps a row's cells only until a row of its conversation names the customer", async () => {
    const store = memoryStore();
    await stageExport(store, config, dir, 1);
    const rows = store
      .prepare('SELECT conversation_key AS c, profile_json AS p, raw_json AS raw FROM threads ORDER BY seq')
      .all() as { c: string; p: string | null; raw: string | null }[];
    // Restated: a conversation is known to name its customer from its first row that does.
    const named = new Set<string>();
    const expected = rows.map(({ c, p }) => {
      const customer = p === null ? {} : (JSON.parse(p) as { customer: Record<string, unknown> }).customer;
      if (customer.email !== undefined || customer.id !== undefined) named.add(c);
      return !named.has(c);
    });
    assert.deepEqual(
      rows.map((r) => r.raw !== null),
      expected,
    );
    const kept = expected.filter(Boolean).length;
    assert.ok(kept > 0 && kept < 100, `some rows keep their cells, most do not (${kept})`);
  });
});

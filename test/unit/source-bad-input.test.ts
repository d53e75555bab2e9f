import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type SourceConfig, sourceSchema } from '../../src/config/schema.js';
import { readSource, type SourceItem } from '../../src/source/index.js';
import { HsImportError } from '../../src/util/errors.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('source-bad');
let counter = 0;
const NOW = Date.parse('2025-06-01T12:00:00Z');

async function read(content: string | Buffer, config: Partial<SourceConfig> = {}): Promise<SourceItem[]> {
  const name = `file-${counter++}.csv`;
  writeFileSync(path.join(dir, name), content);
  const items: SourceItem[] = [];
  const source = sourceSchema.parse({ files: [name], ...config });
  for await (const item of readSource(source, { baseDir: dir, now: NOW })) items.push(item);
  return items;
}

async function fatal(content: string | Buffer, message: RegExp, config: Partial<SourceConfig> = {}) {
  await assert.rejects(read(content, config), (error: unknown) => {
    assert.ok(error instanceof HsImportError);
    assert.match(error.message, message);
    return true;
  });
}

const HEADER = 'conversation_id,created_at,text';

function rejectsOf(items: SourceItem[]): { row: number; field: string; reason: string }[] {
  return items.flatMap((item) =>
    item.kind === 'reject'
      ? [{ row: item.reject.pos.row, field: item.reject.field, reason: item.reject.reason }]
      : [],
  );
}

test('an empty, BOM-only or header-only file is a reject naming the file: no rows', async () => {
  for (const content of ['', '\ufeff', '\n\n', `${HEADER}\n`]) {
    const items = await read(content);
    assert.equal(items.length, 1, JSON.stringify(content));
    const [reject] = rejectsOf(items);
    assert.equal(reject?.field, '(file)');
    assert.match(reject?.reason ?? '', /file-\d+\.csv has no rows/);
  }
});

test('a header naming a column twice names both positions', async () => {
  await fatal(`${HEADER},text\nc1,2024-01-01T00:00:00Z,a,b\n`, /"text" twice, in columns 3 and 4/);
  // Unnamed columns (trailing commas) are harmless.
  const items = await read(`${HEADER},,\nc1,2024-01-01T00:00:00Z,a,,\n`);
  assert.equal(items[0]?.kind, 'row');
});

test('another delimiter or a binary file is named as such', async () => {
  await fatal('conversation_id;created_at;text\nc1;2024-01-01T00:00:00Z;hi\n', /source\.delimiter to ";"/);
  await fatal('conversation_id\tcreated_at\ttext\n', /source\.delimiter to "\\t"/);
  await fatal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x0a]), /not a CSV file/);
  // Right delimiter configured: read.
  const items = await read('conversation_id;created_at;text\nc1;2024-01-01T00:00:00Z;hi\n', {
    delimiter: ';',
  });
  assert.equal(items[0]?.kind, 'row');
});

test('a NUL byte or invalid UTF-8 rejects its row only, naming source.encoding', async () => {
  const bad = Buffer.concat([
    Buffer.from(`${HEADER}\nc1,2024-01-01T00:00:00Z,ok\nc1,2024-01-01T00:00:01Z,caf`),
    Buffer.from([0xe9]),
    Buffer.from('\nc1,2024-01-01T00:00:02Z,a\0b\nc1,2024-01-01T00:00:03Z,fine\n'),
  ]);
  const items = await read(bad);
  assert.deepEqual(
    items.map((item) => item.kind),
    ['row', 'reject', 'reject', 'row'],
  );
  const [utf8, nul] = rejectsOf(items);
  assert.equal(utf8?.field, 'text');
  assert.match(utf8?.reason ?? '', /not valid UTF-8.*source\.encoding/);
  assert.match(nul?.reason ?? '', /NUL byte/);
  // The same bytes read as Latin-1 are text.
  const latin = await read(bad.subarray(0, bad.indexOf('\nc1,2024-01-01T00:00:02Z')), { encoding: 'latin1' });
  assert.deepEqual(
    latin.map((item) => item.kind),
    ['row', 'row'],
  );
});

test('dates before 1990 or more than a day after now are rejected unless source.dateRange allows them', async () => {
  const csv = `${HEADER}\nc1,1970-01-01T00:00:00Z,epoch\nc1,1990-01-01T00:00:00Z,ok\nc1,2025-06-02T11:59:00Z,soon\nc1,2025-06-03T00:00:00Z,future\n`;
  const items = await read(csv);
  assert.deepEqual(
    rejectsOf(items).map((r) => [r.row, r.field]),
    [
      [1, 'created_at'],
      [4, 'created_at'],
    ],
  );
  assert.match(rejectsOf(items)[0]?.reason ?? '', /before 1990-01-01.*source\.dateRange\.from/);
  assert.match(rejectsOf(items)[1]?.reason ?? '', /future.*source\.dateRange\.to/);
  const allowed = await read(csv, { dateRange: { from: '1970-01-01', to: '2100-01-01' } });
  assert.equal(rejectsOf(allowed).length, 0);
  await fatal(csv, /source\.dateRange from "yesterday" is not a date/, { dateRange: { from: 'yesterday' } });
});

test('age must be a number and phone a plausible phone', async () => {
  const csv =
    `${HEADER},age,phone\n` +
    'c1,2024-01-01T00:00:00Z,a,34,+1 (555) 010-2030 ext. 12\n' +
    'c1,2024-01-01T00:00:01Z,b,thirty,\n' +
    'c1,2024-01-01T00:00:02Z,c,,call me maybe\n' +
    'c1,2024-01-01T00:00:03Z,d,,12\n' +
    `c1,2024-01-01T00:00:04Z,e,,${'1'.repeat(41)}\n` +
    'c1,2024-01-01T00:00:05Z,f,,555.010.2030 x7\n';
  const items = await read(csv);
  assert.deepEqual(
    rejectsOf(items).map((r) => [r.row, r.field]),
    [
      [2, 'age'],
      [3, 'phone'],
      [4, 'phone'],
      [5, 'phone'],
    ],
  );
});

test('a text too large for any request is refused as a text', async () => {
  const items = await read(`${HEADER}\nc1,2024-01-01T00:00:00Z,${'x'.repeat(10 * 1024 * 1024)}\n`);
  const [reject] = rejectsOf(items);
  assert.equal(reject?.field, 'text');
  assert.match(reject?.reason ?? '', /text needs \d+ KiB/);
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type SourceConfig, sourceSchema } from '../../src/config/schema.js';
import { readSource, type SourceItem, WHOLE_ROW_FIELD } from '../../src/source/index.js';
import { FatalError } from '../../src/util/errors.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('source-csv');
function file(name: string, content: string | Buffer): string {
  writeFileSync(path.join(dir, name), content);
  return name;
}
async function read(config: Partial<SourceConfig>): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSource(sourceSchema.parse(config), { baseDir: dir })) items.push(item);
  return items;
}
function rows(items: SourceItem[]) {
  return items.flatMap((item) => (item.kind === 'row' ? [item.row] : []));
}
function rejects(items: SourceItem[]) {
  return items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));
}
async function fatal(config: Partial<SourceConfig>): Promise<FatalError> {
  try {
    await read(config);
  } catch (error) {
    assert.ok(error instanceof FatalError);
    return error;
  }
  assert.fail('expected a FatalError');
}

test('BOM, CRLF and quoted newlines: values intact, positions count lines where records start', async () => {
  const name = file(
    'crlf.csv',
    '\ufeffconversation_id,created_at,text\r\nc1,2024-01-01T10:00:00Z,"two\r\nlines"\r\n\r\nc1,2024-01-01T10:01:00Z,"a\nb\nc"\r\nc2,2024-01-01T10:02:00Z,plain\r\n',
  );
  const items = await read({ files: [name] });
  const read_ = rows(items);
  assert.equal(read_.length, 3);
  assert.equal(read_[0]?.conversationId, 'c1', 'the BOM is not part of the first header');
  assert.equal(read_[0]?.text, 'two<br>lines');
  assert.deepEqual(
    read_.map((row) => [row.pos.row, row.pos.line, row.pos.seq]),
    [
      [1, 2, 0],
      [2, 5, 1],
      [3, 8, 2],
    ],
  );
  assert.deepEqual(read_[2]?.raw, {
    conversation_id: 'c2',
    created_at: '2024-01-01T10:02:00Z',
    text: 'plain',
  });
});

test('a row with more or fewer fields than the header is a reject naming the row, and reading goes on', async () => {
  const name = file(
    'count.csv',
    'conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,hello, world\nc1,2024-01-01T10:00:00Z\nc1,2024-01-01T10:05:00Z,ok\n',
  );
  const items = await read({ files: [name] });
  const [extra, missing] = rejects(items);
  assert.equal(extra?.field, WHOLE_ROW_FIELD);
  assert.match(extra?.reason ?? '', /row 1 \(line 2\) has 4 fields for 3 columns/);
  assert.equal(extra?.raw['(field 4)'], ' world');
  assert.deepEqual(extra?.headers, ['conversation_id', 'created_at', 'text']);
  assert.match(missing?.reason ?? '', /row 2 \(line 3\) has 2 fields for 3 columns/);
  assert.equal(rows(items)[0]?.text, 'ok');
});

test('latin1 files are decoded as latin1', async () => {
  const name = file(
    'latin1.csv',
    Buffer.from('conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,Café Müller\n', 'latin1'),
  );
  assert.equal(rows(await read({ files: [name], encoding: 'latin1' }))[0]?.text, 'Café Müller');
});

test('rows span files: seq runs across them, row and line restart per file', async () => {
  const a = file('a.csv', 'conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,one\n');
  const b = file('b.csv', 'conversation_id,created_at,text\nc1,2024-01-01T09:00:00Z,zero\n');
  const read_ = rows(await read({ files: [a, b] }));
  assert.deepEqual(
    read_.map((row) => [row.pos.file, row.pos.row, row.pos.seq]),
    [
      ['a.csv', 1, 0],
      ['b.csv', 1, 1],
    ],
  );
});

test('source.columns maps headers; headers match case-insensitively; a delimiter can be set', async () => {
  const name = file('mapped.csv', 'Chat;When;Body;Email\nc1;2024-01-01T10:00:00Z;hi;a@b.example\n');
  const config = {
    files: [name],
    delimiter: ';',
    columns: { conversation_id: 'chat', created_at: 'When', text: 'Body', customer_email: 'Email' },
  };
  const [row] = rows(await read(config));
  assert.equal(row?.conversationId, 'c1');
  assert.equal(row?.customer.email, 'a@b.example');
});

test('run-fatal problems throw FatalError with a stable code', async () => {
  assert.equal((await fatal({ files: ['nope.csv'] })).code, 'SOURCE_FILE_UNREADABLE');
  assert.equal((await fatal({ files: ['.'] })).code, 'SOURCE_FILE_UNREADABLE');
  const noText = file('no-text.csv', 'conversation_id,created_at,body\nc1,2024-01-01T10:00:00Z,hi\n');
  const missing = await fatal({ files: [noText] });
  assert.equal(missing.code, 'SOURCE_MISSING_COLUMN');
  assert.match(missing.message, /text \("text"\)/);
  const typo = file('typo.csv', 'conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,hi\n');
  assert.equal(
    (await fatal({ files: [typo], columns: { customer_email: 'E-mail' } })).code,
    'SOURCE_MISSING_COLUMN',
  );
  assert.equal((await fatal({ files: [typo], timezone: 'Mars/Olympus' })).code, 'SOURCE_BAD_CONFIG');
  assert.equal((await fatal({ files: [] })).code, 'SOURCE_BAD_CONFIG');
  const broken = file(
    'broken.csv',
    'conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,"never closed\nc2,x,y\n',
  );
  const malformed = await fatal({ files: [broken] });
  assert.equal(malformed.code, 'SOURCE_CSV_MALFORMED');
  assert.match(malformed.message, /line 2/);
});

test('stray quotes inside an unquoted value are kept, not fatal', async () => {
  const name = file('quotes.csv', 'conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,he said "hi"\n');
  assert.equal(rows(await read({ files: [name], textFormat: 'html' }))[0]?.text, 'he said "hi"');
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type JsonRecord, readJsonLines } from '../../src/source/json/records.js';
import { mulberry32 } from '../../src/util/prng.js';
import { tempDir } from '../support/fixtures.js';

const CHUNK = 256 * 1024;

async function readLines(bytes: Buffer): Promise<JsonRecord[]> {
  const file = join(tempDir('json-lines'), 'lines.jsonl');
  writeFileSync(file, bytes);
  const records: JsonRecord[] = [];
  for await (const chunk of readJsonLines(file, 'lines.jsonl')) records.push(...chunk);
  return records;
}

/** What the reader must give: the whole file decoded at once, then cut at each LF (lines are read by bytes). */
function reference(bytes: Buffer): JsonRecord[] {
  const records: JsonRecord[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((lineText, index) => {
      const line = index + 1;
      const text = lineText.endsWith('\r') ? lineText.slice(0, -1) : lineText;
      const trimmed = (line === 1 && text.startsWith('\ufeff') ? text.slice(1) : text).trim();
      if (trimmed === '') return;
      const row = records.length + 1;
      try {
        records.push({ row, line, at: '$', value: JSON.parse(trimmed) });
      } catch (error) {
        records.push({ row, line, at: '$', invalid: { reason: (error as Error).message, text } });
      }
    });
  return records;
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('readJsonLines', () => {
  it('numbers lines and records apart: blank lines, CRLF, a BOM, no newline at the end', async () => {
    const records = await readLines(bytes([0xef, 0xbb, 0xbf], '{"a":1}\r\n\r\n  \n[2]\n{bad\n"x"'));
    assert.deepEqual(
      records.map((r) => [r.row, r.line, r.value ?? r.invalid?.text]),
      [
        [1, 1, { a: 1 }],
        [2, 4, [2]],
        [3, 5, '{bad'],
        [4, 6, 'x'],
      ],
    );
  });

  it('keeps a lone CR inside its line', async () => {
    const [record] = await readLines(bytes('x\ry\r\r\n'));
    assert.equal(record?.invalid?.text, 'x\ry\r', 'only the last CR of a line is its ending');
  });

  it('decodes broken UTF-8 as the whole file would, even cut at a line end or at the end of the file', async () => {
    const broken = bytes(
      '"a',
      [0xe2, 0x82],
      '"\n"b',
      [0xe2, 0x82],
      '\n"',
      [0xff, 0xc3],
      '"\n"',
      [0xf0, 0x9f],
    );
    const records = await readLines(broken);
    assert.deepEqual(records, reference(broken));
    assert.equal(records[0]?.value, 'a\ufffd');
    assert.equal(records[1]?.invalid?.text, '"b\ufffd');
  });

  it('agrees with decoding the whole file on random bytes, lines crossing the 256 KiB read chunks', async () => {
    const random = mulberry32(20261130);
    const pieces = [[0x0a], [0x0d], [0x0d, 0x0a], [0xe2, 0x82], [0xe2, 0x82, 0xac], [0xc3], [0x80], [0xff]]
      .map((p) => Buffer.from(p))
      .concat(['{}', '"a"', '1', ' ', '[', ']'].map((p) => Buffer.from(p)));
    for (let n = 0; n < 12; n++) {
      const parts: Buffer[] = [Buffer.alloc(CHUNK - 8 + Math.floor(random() * 16), 0x20)];
      for (let i = 0; i < 40; i++) parts.push(pieces[Math.floor(random() * pieces.length)] as Buffer);
      if (n % 3 === 0) parts.push(Buffer.alloc(CHUNK + 1000, 0x61), Buffer.from([0xe2, 0x82, 0x0a]));
      const file = Buffer.concat(parts);
      assert.deepEqual(await readLines(file), reference(file));
    }
  });
});

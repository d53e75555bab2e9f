import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type JsonRecord, lineRanges, readJsonLines } from '../../src/source/json/records.js';
import { tempDir } from '../support/fixtures.js';

async function recordsOf(path: string, range?: Parameters<typeof readJsonLines>[2]): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  for await (const chunk of readJsonLines(path, 'x.jsonl', range)) out.push(...chunk);
  return out;
}

/** Each range's records, numbered on by the lines and records of the ranges before it. */
async function byRanges(path: string, parts: number): Promise<JsonRecord[]> {
  const out: JsonRecord[] = [];
  let lines = 0;
  let records = 0;
  for (const range of await lineRanges(path, parts)) {
    for (const r of await recordsOf(path, range))
      out.push({ ...r, line: r.line + lines, row: r.row + records });
    lines += range.read.lines;
    records += range.read.records;
  }
  return out;
}

describe('a JSONL file cut into ranges of lines', () => {
  const long = JSON.stringify({ text: 'x'.repeat(150_000) });
  const cases: [string, string][] = [
    ['short lines', Array.from({ length: 40 }, (_, i) => JSON.stringify({ i })).join('\n')],
    [
      'a BOM, CRLF, blank lines, no final line feed',
      `\ufeff{"a":1}\r\n\r\n{"a":2}\r\n  \n{"a":3}\n[1\n{"a":4}`,
    ],
    ['lines longer than a read window', [long, '{"b":1}', long, long, '{"b":2}', ''].join('\n')],
    ['one line', '{"only":true}\n'],
    [
      'multi-byte characters across the cuts',
      Array.from({ length: 30 }, (_, i) => JSON.stringify({ t: 'é🙂'.repeat(i) })).join('\n'),
    ],
  ];
  for (const [name, text] of cases) {
    it(`${name}: the ranges give the whole file's records, numbered the same`, async () => {
      const path = join(tempDir('line-ranges'), 'x.jsonl');
      writeFileSync(path, text);
      const bytes = Buffer.from(text);
      const whole = await recordsOf(path);
      assert.ok(whole.length > 0);
      for (const parts of [1, 2, 3, 7, 50]) {
        const ranges = await lineRanges(path, parts);
        assert.ok(ranges.length >= 1 && ranges.length <= parts);
        assert.equal(ranges[0]?.start, 0);
        ranges.forEach((r, i) => {
          assert.ok(r.end > r.start);
          if (i > 0) assert.equal(r.start, ranges[i - 1]?.end);
          if (i > 0) assert.equal(bytes[r.start - 1], 0x0a, 'a range starts on a line');
        });
        assert.equal(ranges.at(-1)?.end, Buffer.byteLength(text));
        assert.deepEqual(await byRanges(path, parts), whole, `${parts} parts`);
      }
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeItems, encodeItems } from '../../src/source/json/item-chunk.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';

function row(n: number, extra: Partial<ThreadRow> = {}): SourceItem {
  return {
    kind: 'row',
    row: {
      pos: { file: 'a.jsonl', row: n, line: n + 1, seq: 100 + n },
      conversationId: `c${n}`,
      createdAt: '2024-03-05T14:07:09Z',
      text: `text ${n}`,
      role: 'customer',
      customer: { email: `c${n}@example.com` },
      tags: [],
      attachments: [],
      raw: { conversation_id: `c${n}`, text: `text ${n}` },
      ...extra,
    },
  };
}

describe('JSON items crossing threads (item-chunk)', () => {
  it('gives back the same items, numbered in order, whatever fields each carries', () => {
    const reject: SourceItem = {
      kind: 'reject',
      reject: {
        pos: { file: 'a.jsonl', row: 3, line: 4, seq: 0 },
        field: '(record)',
        reason: 'not JSON',
        raw: { '(record)': '{"x": ' },
        headers: ['(record)'],
      },
    };
    const items: SourceItem[] = [
      row(1),
      row(2, {
        threadId: 't2',
        authorEmail: 'agent@acme.example',
        authorName: 'Agent Smith',
        subject: 'Where is my parcel?',
        status: 'closed',
        role: 'agent',
        tags: ['vip', 'refund'],
        customer: { id: 42, email: 'x@example.com', firstName: 'Ann', lastName: 'Lee', phone: '+1 555' },
      }),
      reject,
      row(4, { raw: { text: 'other headers', author_role: 'user' } }),
      row(5, { attachments: [{ path: '/f', relPath: 'f', fileName: 'f', mimeType: 'text/plain', size: 1 }] }),
      row(6, { pos: { file: 'b.jsonl', row: 6, line: 7, seq: 0 } }),
      row(7, { customer: {}, tags: ['one'] }),
    ];
    let seq = 10;
    const decoded = decodeItems(structuredClone(encodeItems(items)), () => seq++);
    const expected = structuredClone(items);
    expected.forEach((item, i) => {
      (item.kind === 'row' ? item.row.pos : item.reject.pos).seq = 10 + i;
    });
    assert.deepEqual(decoded, expected);
  });

  it('an empty chunk and a chunk of rejects only', () => {
    assert.deepEqual(
      decodeItems(encodeItems([]), () => 0),
      [],
    );
    const reject: SourceItem = {
      kind: 'reject',
      reject: { pos: { file: 'a', row: 1, line: 1, seq: 0 }, field: 'f', reason: 'r', raw: {}, headers: [] },
    };
    assert.deepEqual(
      decodeItems(encodeItems([reject]), () => 5),
      [{ ...reject, reject: { ...reject.reject, pos: { file: 'a', row: 1, line: 1, seq: 5 } } }],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StagedRow } from '../../src/source/types.js';
import { profileOf } from '../../src/state/prepare-row.js';
import { decodeRowBody, encodeRowBody } from '../../src/state/row-body.js';

const files = ['first.csv', 'chats.csv'];
const minimal: StagedRow = {
  pos: { file: 'chats.csv', row: 4, line: 6, seq: 3 },
  conversationId: 'c1',
  createdAt: '2024-01-01T10:00:00Z',
  text: 'hello',
  role: 'customer',
  customer: {},
  tags: [],
  attachments: [],
};
const full: StagedRow = {
  ...minimal,
  threadId: 't9',
  role: 'agent',
  authorEmail: 'ana@example.com',
  authorName: 'Ana',
  customer: { email: 'bob@example.com', firstName: 'Bob' },
  subject: 'Order',
  tags: ['vip'],
  status: 'active',
  attachments: [{ path: '/x/a.png', relPath: 'a.png', fileName: 'a.png', mimeType: 'image/png', size: 10 }],
};
// Each optional field of the body alone, and the profile's fields alone.
const variants: StagedRow[] = [
  minimal,
  full,
  { ...minimal, authorEmail: 'ana@example.com' },
  { ...minimal, authorName: 'Ana' },
  { ...minimal, attachments: full.attachments },
  { ...minimal, authorName: 'Ana', attachments: full.attachments },
  { ...minimal, customer: { id: 7 } },
  { ...minimal, subject: 'Order' },
  { ...minimal, tags: ['a', 'b'] },
  { ...minimal, status: 'pending' },
];
const columnsOf = (row: StagedRow) => ({
  conversation_key: row.conversationId,
  created_at: row.createdAt,
  source_thread_id: row.threadId ?? null,
  seq: row.pos.seq,
  profile_json: profileOf(row),
});

describe('row bodies', () => {
  it('profiles: each row gets the JSON of its own fields, whatever row came before it', () => {
    const rows: StagedRow[] = [
      full,
      { ...full },
      { ...full, customer: { firstName: 'Bob', email: 'bob@example.com' } },
      { ...full, customer: { email: 'bob@example.com' } },
      { ...full, tags: ['vip', 'new'] },
      { ...full, tags: ['new'] },
      { ...full, subject: undefined },
      { ...full, status: undefined },
      minimal,
      full,
    ];
    const fresh = (row: StagedRow) => {
      const profile: Record<string, unknown> = { customer: row.customer, tags: row.tags };
      if (row.subject !== undefined) profile.subject = row.subject;
      if (row.status !== undefined) profile.status = row.status;
      return profile;
    };
    for (const row of rows) {
      const json = profileOf(row);
      if (row === minimal) assert.equal(json, null);
      else assert.equal(json, JSON.stringify(fresh(row)));
    }
  });

  it('give back the row they were made of, with what the columns and the profile hold', () => {
    for (const row of variants)
      assert.deepEqual(decodeRowBody(encodeRowBody(row, 1), columnsOf(row), files), row);
  });

  it('leave out what the columns and the profile hold, and name the file by number', () => {
    assert.deepEqual(JSON.parse(encodeRowBody(minimal, 1)), [1, 4, 6, 'customer', 'hello']);
    assert.deepEqual(JSON.parse(encodeRowBody(full, 1)), [
      1,
      4,
      6,
      'agent',
      'hello',
      'ana@example.com',
      'Ana',
      full.attachments,
    ]);
  });

  it('refuse a file number that is not recorded', () => {
    assert.throws(() => decodeRowBody(encodeRowBody(minimal, 5), columnsOf(minimal), files), /file number 5/);
  });

  it('read bodies written before as they are: an object, or a row staged whole (schemas 1 and 2)', () => {
    assert.deepEqual(decodeRowBody(JSON.stringify(full), columnsOf(minimal), []), full);
    const { pos, conversationId, createdAt, threadId, ...rest } = full;
    const object = { file: pos.file, row: pos.row, line: pos.line, ...rest };
    assert.deepEqual(decodeRowBody(JSON.stringify(object), columnsOf(full), []), full);
  });
});

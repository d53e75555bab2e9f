import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StagedRow } from '../../src/source/types.js';
import { decodeRowBody, encodeRowBody } from '../../src/state/row-body.js';

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
const columnsOf = (row: StagedRow) => ({
  conversation_key: row.conversationId,
  created_at: row.createdAt,
  source_thread_id: row.threadId ?? null,
  seq: row.pos.seq,
});

describe('row bodies', () => {
  it('give back the row they were made of, with what the columns hold', () => {
    for (const row of [minimal, full])
      assert.deepEqual(decodeRowBody(encodeRowBody(row), columnsOf(row)), row);
  });

  it('leave out what the columns hold and empty fields', () => {
    const body = JSON.parse(encodeRowBody(minimal)) as Record<string, unknown>;
    assert.deepEqual(body, { file: 'chats.csv', row: 4, line: 6, text: 'hello', role: 'customer' });
  });

  it('read a row staged whole (schema 1 and 2) as it is', () => {
    assert.deepEqual(decodeRowBody(JSON.stringify(full), columnsOf(minimal)), full);
  });
});

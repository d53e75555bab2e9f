import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendedThread, inlineThread, threadShape } from '../../src/run/payload.js';
import type { StagedRow } from '../../src/source/types.js';

const agentLine = (extra: Partial<StagedRow> = {}): StagedRow => ({
  pos: { file: 'a.csv', row: 1, line: 2, seq: 0 },
  conversationId: 'c1',
  createdAt: '2024-01-01T10:00:00Z',
  text: 'Your refund is on its way.',
  role: 'agent',
  customer: { email: 'ana@example.com' },
  tags: [],
  attachments: [],
  authorEmail: 'sam@oldtool.example',
  authorName: 'Sam <Support>',
  ...extra,
});
const customer = { email: 'ana@example.com' };

describe('source.unknownAgents', () => {
  it('as-owner-with-name: a reply as the token owner, the name at the head of the text', async () => {
    const row = agentLine();
    const shape = threadShape(row, 'reply', undefined, 'as-owner-with-name');
    const inline = await inlineThread(row, shape, customer);
    assert.equal(inline.type, 'reply');
    assert.equal(inline.user, undefined);
    assert.equal(inline.text, 'Sam &lt;Support&gt;: Your refund is on its way.');
    const appended = await appendedThread(row, shape, { customer, status: 'closed' });
    assert.equal(appended.text, inline.text);
  });

  it('note: the line goes as a note, with the name', async () => {
    const row = agentLine({ authorName: undefined });
    const shape = threadShape(row, 'reply', undefined, 'note');
    const inline = await inlineThread(row, shape, customer);
    assert.equal(inline.type, 'note');
    assert.equal(inline.text, 'sam@oldtool.example: Your refund is on its way.');
  });

  it('an author who is a Help Scout user writes it as is', async () => {
    const row = agentLine();
    for (const mode of ['as-owner-with-name', 'note'] as const) {
      const inline = await inlineThread(row, threadShape(row, 'reply', 7, mode), customer);
      assert.deepEqual([inline.type, inline.user, inline.text], ['reply', 7, row.text]);
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { readSource, type ThreadRow } from '../../src/source/index.js';
import { DEMO_DIR, demoFacts } from '../support/fixtures.js';

const demo = DEMO_DIR;
const expected = demoFacts;

test('the demo export reads as its README says', async () => {
  const want = expected();
  assert.equal(want.timezone, 'Europe/Paris');
  const config = sourceSchema.parse({ files: want.files, timezone: 'Europe/Paris' });
  const rows: ThreadRow[] = [];
  const rejectsByField: Record<string, number> = {};
  for await (const item of readSource(config, { baseDir: demo })) {
    if (item.kind === 'row') rows.push(item.row);
    else rejectsByField[item.reject.field] = (rejectsByField[item.reject.field] ?? 0) + 1;
  }
  assert.equal(rows.length, want.validRows);
  assert.deepEqual(rejectsByField, want.rejectsByField);
  assert.equal(rows.length + want.rejectedRows, want.rows);

  const threads: Record<string, number> = {};
  for (const row of rows) threads[row.conversationId] = (threads[row.conversationId] ?? 0) + 1;
  assert.equal(Object.keys(threads).length, want.conversations);
  assert.deepEqual(threads, want.threadsByConversation);

  // What the README promises beyond counts.
  const byConversation = (id: string) => rows.filter((row) => row.conversationId === id);
  assert.ok(want.conversations >= 40);
  assert.ok(new Set(byConversation('conv-1032').map((row) => row.pos.file)).size === 2);
  const photos = byConversation('conv-1003').flatMap((row) => row.attachments);
  assert.equal(photos.length, 3);
  assert.ok(photos.every((photo) => photo.size > 100 * 1024 && photo.mimeType === 'image/png'));
  assert.deepEqual(
    byConversation('conv-1005')
      .flatMap((row) => (row.customer.id ? [row.customer.id] : []))
      .slice(0, 1),
    [501],
  );
  assert.ok(rows.some((row) => row.authorEmail === 'emma@example.com'));
  for (const role of ['customer', 'agent', 'note', 'system'] as const)
    assert.ok(rows.some((row) => row.role === role));
  for (const id of Object.keys(threads)) {
    const customers = byConversation(id).filter((row) => row.customer.id !== undefined || row.customer.email);
    assert.ok(customers.length > 0, `${id} names its customer on a valid row`);
  }
});

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fieldPathsIn, formatFieldErrors, inlineThreadOf } from '../../src/api/field-errors.js';
import { writeFailures } from '../../src/report/failures-report.js';
import type { FailedThread } from '../../src/state/failures.js';
import { tempDir } from '../support/temp-dir.js';

const failed = (text: string, reason: string): FailedThread => ({
  row: {
    pos: { file: 'chats.csv', row: 4, line: 5, seq: 3 },
    conversationId: '=c1',
    createdAt: '2024-03-01T10:00:00Z',
    text,
    role: 'customer',
    customer: { email: 'ana@example.com' },
    tags: ['a', 'b'],
    attachments: [],
  },
  hsConversationId: null,
  status: 400,
  fields: ['text'],
  reason,
});

test('failures.csv is private, and no cell of it runs as a formula', () => {
  const dir = path.join(tempDir('failures'), 'report');
  const file = writeFailures([failed('=HYPERLINK("http://evil")', '@refused')], dir);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const [row] = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
  assert.equal(row?.text, `'=HYPERLINK("http://evil")`);
  assert.equal(row?.conversation_id, "'=c1");
  assert.equal(row?.failure_reason, "'@refused");
  assert.deepEqual(
    [row?.tags, row?.source_file, row?.source_row, row?.source_line, row?.failure_status, row?.failure_field],
    ['a;b', 'chats.csv', '4', '5', '400', 'text'],
  );
});

test('the fields a refusal names are read back from the message that carries them', () => {
  const message = `Create Conversation failed: POST /v2/conversations answered 400 Bad request (${formatFieldErrors(
    [
      { path: 'threads[3].attachments[0].data', message: 'may not be empty' },
      { path: 'customer.email', message: 'not a well-formed email address' },
    ],
  )})`;
  assert.deepEqual(fieldPathsIn(message), ['threads[3].attachments[0].data', 'customer.email']);
  assert.deepEqual(inlineThreadOf('threads[3].attachments[0].data'), {
    index: 3,
    field: 'attachments[0].data',
  });
  assert.equal(inlineThreadOf('customer.email'), undefined);
  assert.deepEqual(fieldPathsIn('attachment a.png: POST /x answered 413'), []);
});

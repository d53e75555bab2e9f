import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { readSource } from '../../src/source/read-source.js';
import type { RejectedRow } from '../../src/source/types.js';
import { tempDir } from '../support/fixtures.js';

// A reject names the path its field was read from, found again when the reject is made (fields.ts).
const shapes = [
  {
    messages: 'comments',
    conversation: { conversation_id: 'id', customer_email: 'email' },
    message: {
      fields: { created_at: ['at', '$.created_at'], text: ['plain', 'body'], author_role: 'who' },
    },
  },
];

async function rejectsOf(record: unknown): Promise<RejectedRow[]> {
  const dir = tempDir('json-fields');
  writeFileSync(join(dir, 'x.jsonl'), `${JSON.stringify(record)}\n`);
  const rejects: RejectedRow[] = [];
  for await (const item of readSource(sourceSchema.parse({ files: ['x.jsonl'], shapes }), { baseDir: dir }))
    if (item.kind === 'reject') rejects.push(item.reject);
  return rejects;
}

describe('where a rejected field came from', () => {
  it('the path that had the value: the message’s own, or the record’s it fell back to', async () => {
    const rejects = await rejectsOf({
      id: 1,
      email: 'c@x.co',
      created_at: 'never',
      comments: [
        { at: 'soon', body: 'a', who: 'customer' },
        { body: 'b', who: 'customer' },
        { at: '2024-01-01T00:00:00Z', plain: '  ', body: 'c', who: 'robot' },
      ],
    });
    assert.deepEqual(
      rejects.map((r) => r.field),
      ['$.comments[0].at', '$.created_at', '$.comments[2].who'],
    );
  });

  it('the first path looked at, when no path had a value', async () => {
    const rejects = await rejectsOf({
      id: 1,
      email: 'c@x.co',
      comments: [{ at: '2024-01-01T00:00:00Z', plain: '', who: 'agent' }, { who: 'agent' }],
    });
    assert.deepEqual(
      rejects.map((r) => r.field),
      ['$.comments[0].plain', '$.comments[1].at'],
    );
  });

  it('a record’s field by the record’s path, not under the message', async () => {
    const rejects = await rejectsOf({
      id: 1,
      email: 'not an address',
      comments: [{ at: '2024-01-01T00:00:00Z', body: 'a', who: 'customer' }],
    });
    assert.deepEqual(
      rejects.map((r) => r.field),
      ['$.email'],
    );
  });

  it('a message’s own value before the record’s, and its path named when it is at fault', async () => {
    const shape = shapes[0] as (typeof shapes)[number];
    const both = [
      {
        ...shape,
        conversation: { ...shape.conversation, subject: 'title' },
        message: { fields: { ...shape.message.fields, subject: 'topic', customer_email: 'from' } },
      },
    ];
    const dir = tempDir('json-fields-both');
    const record = {
      id: 1,
      email: 'c@x.co',
      title: 'Ticket',
      created_at: '2024-01-01T00:00:00Z',
      comments: [
        { body: 'a', who: 'customer', topic: 'Own subject' },
        { body: 'b', who: 'customer' },
        { body: 'c', who: 'customer', from: 'not an address' },
      ],
    };
    writeFileSync(join(dir, 'x.jsonl'), `${JSON.stringify(record)}\n`);
    const items = [];
    for await (const item of readSource(sourceSchema.parse({ files: ['x.jsonl'], shapes: both }), {
      baseDir: dir,
    }))
      items.push(item);
    assert.deepEqual(
      items.map((i) => (i.kind === 'row' ? [i.row.subject, i.row.customer.email] : [i.reject.field])),
      [['Own subject', 'c@x.co'], ['Ticket', 'c@x.co'], ['$.comments[2].from']],
    );
  });
});

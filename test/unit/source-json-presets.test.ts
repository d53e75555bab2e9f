import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { resolveSource } from '../../src/source/detect.js';
import { readSource } from '../../src/source/read-source.js';
import type { RejectedRow, ThreadRow } from '../../src/source/types.js';
import { REPO_ROOT } from '../support/cli.js';

const REAL = join(REPO_ROOT, 'fixtures', 'real-exports');

async function read(files: string[], extra: Record<string, unknown> = {}) {
  const config = sourceSchema.parse({ files, ...extra });
  const { recognised } = await resolveSource(config, REAL);
  const rows: ThreadRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const item of readSource(config, { baseDir: REAL })) {
    if (item.kind === 'row') rows.push(item.row);
    else rejects.push(item.reject);
  }
  return { recognised, rows, rejects };
}

/** Rows in the order planning sends them: by time, then by position in the export. */
const inOrder = (rows: ThreadRow[]) =>
  [...rows].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.pos.seq - b.pos.seq);

describe('JSON presets on real exports', () => {
  it('zendesk: recognised; requester → customer, public:false → note, plain_body then body, entities decoded', async () => {
    const { recognised, rows, rejects } = await read(['zendesk/tickets-dated.jsonl']);
    assert.equal(recognised, 'zendesk');
    assert.deepEqual(rejects, []);
    assert.deepEqual(
      inOrder(rows).map((r) => r.role),
      ['customer', 'agent', 'note'],
    );
    const [first, , note] = inOrder(rows) as [ThreadRow, ThreadRow, ThreadRow];
    assert.equal(first.text, 'Hello, I need help');
    assert.match(note.text, /^Next steps &gt;&gt;<br>\u00a0<br>/);
    assert.equal(first.conversationId, '5');
    assert.equal(first.threadId, '603439493499');
    assert.deepEqual(first.customer, { email: 'john.doe@gmail.com' });
    assert.equal(first.subject, 'I have an order issue');
    assert.deepEqual(first.tags, ['approved', 'order_issue']);
    assert.equal(first.status, 'closed');
  });

  it('zendesk: the trimmed sample has no dates; every comment is rejected with the JSON path of the field', async () => {
    const { recognised, rows, rejects } = await read(['zendesk/tickets.json']);
    assert.equal(recognised, 'zendesk');
    assert.equal(rows.length, 0);
    assert.deepEqual(
      rejects.map((r) => [r.pos.row, r.field]),
      [
        [1, '$[0].comments[0].created_at'],
        [1, '$[0].comments[1].created_at'],
        [1, '$[0].comments[2].created_at'],
      ],
    );
    // The reject's cells are canonical columns: rejects.csv can be fixed and fed back as a CSV.
    assert.equal(rejects[0]?.raw.conversation_id, '5');
    assert.equal(rejects[0]?.raw.author_role, 'customer');
  });

  it('intercom: Airbyte envelopes; source is the first message; epoch seconds; user/lead → customer, bot → system', async () => {
    const { recognised, rows, rejects } = await read(['intercom/records.jsonl']);
    assert.equal(recognised, 'intercom');
    assert.deepEqual(rejects, []);
    const one = inOrder(rows.filter((r) => r.conversationId === '1'));
    assert.deepEqual(
      one.map((r) => [r.createdAt, r.role]),
      [
        ['2020-12-09T22:34:03Z', 'customer'],
        ['2020-12-09T22:34:06Z', 'customer'],
        ['2020-12-09T22:34:09Z', 'system'],
        ['2020-12-09T22:34:10Z', 'system'],
      ],
    );
    assert.equal(one[0]?.text, '<p>hey there</p>');
    assert.equal(one[0]?.status, 'active');
    const sixty = rows.filter((r) => r.conversationId === '60');
    assert.deepEqual(
      sixty.map((r) => [r.role, r.authorEmail]),
      [['agent', 'integration-test@airbyte.io']],
    );
  });

  it('freshdesk: the ticket description first, then its conversations; private → note; numeric status', async () => {
    const { recognised, rows, rejects } = await read([
      'freshdesk/ticket_1.json',
      'freshdesk/conversations.json',
    ]);
    assert.equal(recognised, 'freshdesk');
    assert.deepEqual(rejects, []);
    assert.deepEqual(
      inOrder(rows).map((r) => [r.role, r.text]),
      [
        ['customer', '<div>This is a sample ticket, feel free to delete it.</div>'],
        ['note', '<div>This is a private note</div>'],
        ['agent', '<div>This is a reply</div>'],
      ],
    );
    const ticket = rows[0] as ThreadRow;
    assert.deepEqual(ticket.customer, { email: 'dummyname@example.com' });
    assert.equal(ticket.subject, 'This is a sample ticket');
    assert.deepEqual(ticket.tags, ['foo', 'bar']);
    assert.equal(ticket.status, 'active');
    assert.ok(rows.every((r) => r.conversationId === '1'));
    // Its files are URLs: left out unless source.attachments.fetch downloads them.
    assert.ok(rows.every((r) => r.attachments.length === 0));
  });

  it('freshdesk: the files of a ticket, named by URL, are kept with source.attachments.fetch', async () => {
    const attachments = { fetch: true, allowHosts: ['cdn.freshdesk.com'] };
    const { rows, rejects } = await read(['freshdesk/ticket_1.json', 'freshdesk/conversations.json'], {
      attachments,
    });
    assert.deepEqual(rejects, []);
    assert.deepEqual(
      inOrder(rows).map((r) => r.attachments.map((a) => [a.url, a.fileName])),
      [
        [
          [
            'https://cdn.freshdesk.com/data/helpdesk/attachments/production/4004881085/original/attachment.txt',
            'attachment.txt',
          ],
        ],
        [],
        [],
      ],
    );
  });

  it('helpscout: threads listed newest first come out oldest first; customer/message/note', async () => {
    const { recognised, rows, rejects } = await read(['helpscout/conversations.json']);
    assert.equal(recognised, 'helpscout');
    assert.deepEqual(rejects, []);
    assert.deepEqual(
      inOrder(rows).map((r) => r.role),
      ['customer', 'agent', 'customer', 'note', 'agent'],
    );
    assert.equal(rows[0]?.pos.seq, 0);
    assert.equal(rows[0]?.createdAt, '2022-12-27T08:58:55Z');
    assert.deepEqual(rows[0]?.customer, {
      email: 'contact.bessie@gmail.com',
      firstName: 'Bessie',
      lastName: 'BERRY',
    });
    assert.equal(rows[0]?.subject, 'Delayed production');
    assert.equal(rows[0]?.status, 'closed');
  });

  it('groove: only Message actions; actor.type gives the role; HTML kept', async () => {
    const { recognised, rows, rejects } = await read(['groove/tickets.json']);
    assert.equal(recognised, 'groove');
    assert.deepEqual(rejects, []);
    assert.deepEqual(
      inOrder(rows).map((r) => [r.role, r.authorEmail]),
      [
        ['customer', 'contact.bessie@gmail.com'],
        ['agent', 'john@acme.com'],
      ],
    );
    assert.match(rows[0]?.text ?? '', /^<div>\n<div>/);
    assert.equal(rows[0]?.conversationId, '14565');
    assert.equal(rows[0]?.customer.email, 'contact.bessie@gmail.com');
    assert.equal(rows[0]?.status, 'closed');
    assert.match(rows[0]?.subject ?? '', /^RE: Comments on task/);
  });

  it('a named preset wins over recognition, and a CSV preset refuses a JSON file', async () => {
    const named = await read(['groove/tickets.json'], { preset: 'groove' });
    assert.equal(named.recognised, undefined);
    assert.equal(named.rows.length, 2);
    await assert.rejects(read(['groove/tickets.json'], { preset: 'tidio' }), /tidio preset reads CSV/);
  });
});

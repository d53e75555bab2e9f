import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configSchema, sourceSchema } from '../../src/config/schema.js';
import { decodeEntities, sanitizeHtml } from '../../src/source/json/html.js';
import { jsonTime } from '../../src/source/json/time.js';
import { readSource } from '../../src/source/read-source.js';
import type { RejectedRow, ThreadRow } from '../../src/source/types.js';
import { tempDir } from '../support/fixtures.js';

async function readText(name: string, text: string, extra: Record<string, unknown>) {
  const dir = tempDir('json-reader');
  writeFileSync(join(dir, name), text);
  const rows: ThreadRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const item of readSource(sourceSchema.parse({ files: [name], ...extra }), { baseDir: dir })) {
    if (item.kind === 'row') rows.push(item.row);
    else rejects.push(item.reject);
  }
  return { rows, rejects };
}

const flat = {
  shapes: [
    {
      message: {
        fields: {
          conversation_id: 'conv',
          created_at: 'at',
          text: ['plain', 'body'],
          author_role: 'who',
          customer_email: 'email',
        },
      },
    },
  ],
  roles: { user: 'customer', admin: 'agent' },
};

describe('JSON reader', () => {
  it('times: ISO 8601, epoch s, epoch ms, epoch seconds string with a fraction, RFC 2822', () => {
    assert.equal(jsonTime('2024-03-05T14:07:09.123+01:00'), '2024-03-05T14:07:09.123+01:00');
    assert.equal(jsonTime(1709647629), '2024-03-05T14:07:09Z');
    assert.equal(jsonTime(1709647629999), '2024-03-05T14:07:09Z');
    assert.equal(jsonTime('1709647629.987654'), '2024-03-05T14:07:09Z');
    assert.equal(jsonTime('Tue, 05 Mar 2024 15:07:09 +0100'), '2024-03-05T14:07:09Z');
  });

  it('HTML is kept but loses scripts, styles, event handlers and javascript: links', () => {
    const dirty =
      '<p onclick="x()">Hi <b>there</b></p><script>alert(1)</script><style>p{}</style><a href="javascript:evil()">x</a>';
    assert.equal(sanitizeHtml(dirty), '<p>Hi <b>there</b></p><a href="#">x</a>');
    assert.equal(decodeEntities('a &gt; b&nbsp;&#233;&#x41;'), 'a > b\u00a0éA');
  });

  it('JSONL: a bad line is rejected with its line, the rest is read; ids normalised to strings', async () => {
    const lines = [
      JSON.stringify({ conv: 7, at: 1709647629, body: 'hi <there>', who: 'user', email: 'a@b.co' }),
      '{"conv": 7, "at": ',
      '',
      JSON.stringify({ conv: 7, at: 'soon', body: 'x', who: 'admin' }),
      JSON.stringify({ conv: 7, at: 1709647700, plain: 'reply', who: 'robot' }),
    ];
    const { rows, rejects } = await readText('x.jsonl', `${lines.join('\r\n')}\r\n`, flat);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.conversationId, '7');
    assert.equal(rows[0]?.text, 'hi &lt;there&gt;');
    assert.deepEqual(
      rejects.map((r) => [r.pos.line, r.field]),
      [
        [2, '(record)'],
        [4, '$.at'],
        [5, '$.who'],
      ],
    );
    assert.match(rejects[0]?.reason ?? '', /^not JSON/);
    assert.equal(rejects[0]?.raw['(record)'], '{"conv": 7, "at": ');
  });

  it('JSON: the array inside an object (records), authors looked up in a users list, path equality', async () => {
    const doc = {
      meta: { count: 1 },
      tickets: [
        {
          id: 1,
          requester: { id: 10 },
          users: [
            { id: 10, email: 'c@x.co' },
            { id: 20, email: 'agent@x.co' },
          ],
          comments: [
            { id: 100, author_id: 10, at: '2024-01-01T00:00:00Z', body: 'q' },
            { id: 101, author_id: 20, at: '2024-01-01T00:01:00Z', body: 'a' },
          ],
        },
        'not a ticket',
      ],
    };
    const { rows, rejects } = await readText('t.json', JSON.stringify(doc), {
      records: 'tickets',
      shapes: [
        {
          when: { path: 'comments' },
          messages: 'comments',
          conversation: { conversation_id: 'id' },
          message: {
            fields: { created_at: 'at', text: 'body', author_email: '@user.email' },
            roleRules: [
              { path: 'author_id', equalsPath: '$.requester.id', role: 'customer' },
              { role: 'agent' },
            ],
          },
          users: { list: '$.users', id: 'id', by: 'author_id' },
          customerFromAuthor: true,
        },
      ],
    });
    assert.deepEqual(
      rows.map((r) => [r.role, r.authorEmail, r.customer.email]),
      [
        ['customer', 'c@x.co', 'c@x.co'],
        ['agent', 'agent@x.co', undefined],
      ],
    );
    assert.deepEqual(
      rejects.map((r) => [r.pos.row, r.field]),
      [[2, '(record)']],
    );
  });

  it('files named by URL are kept with fetch on, left out with it off, and an entry that is no URL is a reject', async () => {
    const shapes = [
      {
        message: {
          fields: { ...flat.shapes[0]?.message.fields, attachments: 'files.content_url' },
        },
      },
    ];
    const line = (files: string[]) =>
      `${JSON.stringify({ conv: 'c1', at: '2024-05-01T10:00:00Z', plain: 'hi', who: 'user', email: 'a@x.test', files: files.map((u) => ({ content_url: u })) })}\n`;
    const text = line(['https://files.example.com/a%20b.png', 'https://files.example.com/c.pdf']);
    const on = await readText('a.jsonl', text, {
      shapes,
      roles: flat.roles,
      attachments: { fetch: true, allowHosts: ['files.example.com'] },
    });
    assert.deepEqual(
      on.rows[0]?.attachments.map((a) => [a.url, a.fileName, a.mimeType, a.path]),
      [
        ['https://files.example.com/a%20b.png', 'a b.png', 'image/png', ''],
        ['https://files.example.com/c.pdf', 'c.pdf', 'application/pdf', ''],
      ],
    );
    const off = await readText('a.jsonl', text, { shapes, roles: flat.roles });
    assert.deepEqual(off.rows[0]?.attachments, []);
    const local = await readText('a.jsonl', line(['files/a.png']), { shapes, roles: flat.roles });
    assert.equal(local.rows.length, 0);
    assert.match(local.rejects[0]?.reason ?? '', /"files\/a.png" is not a URL/);
    assert.match(local.rejects[0]?.field ?? '', /files\.content_url/);
  });

  it('the config refuses unknown keys in a shape', () => {
    const bad = configSchema.safeParse({ source: { shapes: [{ mesages: 'comments' }] } });
    assert.equal(bad.success, false);
  });
});

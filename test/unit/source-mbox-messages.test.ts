import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, test } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { type RejectedRow, readSource, type ThreadRow } from '../../src/source/index.js';
import { tempDir } from '../support/temp-dir.js';

const AGENTS = ['@support.example'];

function message(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `From sender@example.com Mon Jan  1 10:00:00 2024\n${lines.join('\n')}\n\n${body}\n`;
}

async function readMbox(content: string, extra: Record<string, unknown> = {}) {
  const dir = tempDir('mbox');
  writeFileSync(join(dir, 'inbox.mbox'), content);
  const attachmentsDir = join(dir, 'files');
  const config = sourceSchema.parse({
    format: 'mbox',
    files: ['inbox.mbox'],
    agentAddresses: AGENTS,
    ...extra,
  });
  const rows: ThreadRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const item of readSource(config, { baseDir: dir, attachmentsDir })) {
    if (item.kind === 'row') rows.push(item.row);
    else rejects.push(item.reject);
  }
  return { rows, rejects, attachmentsDir };
}

const base = (n: number, more: Record<string, string> = {}) => ({
  From: 'Ada Lovelace <ada@customer.example>',
  To: 'help@support.example',
  Date: `Mon, 1 Jan 2024 10:0${n}:00 +0000`,
  'Message-ID': `<m${n}@customer.example>`,
  Subject: `subject ${n}`,
  ...more,
});

describe('mbox messages', () => {
  test('">From " lines are unescaped once; a "From " inside a paragraph is body text', async () => {
    const body = 'Hello\nFrom the start, it failed.\n\n>From here on\n>>From there\nbye';
    const { rows, rejects } = await readMbox(`${message(base(1), body)}\n${message(base(2), 'second')}`);
    assert.deepEqual(rejects, []);
    assert.equal(rows.length, 2);
    assert.equal(
      rows[0]?.text,
      'Hello<br>From the start, it failed.<br><br>From here on<br>&gt;From there<br>bye',
    );
    assert.equal(rows[1]?.pos.line, 15);
  });

  test("Gmail's thread id groups messages whatever their References say", async () => {
    const content = [
      message(base(1, { 'X-GM-THRID': '1700000000000000001' }), 'a'),
      message(base(2, { 'X-GM-THRID': '1700000000000000002' }), 'b'),
      message(base(3, { 'X-GM-THRID': '1700000000000000001', References: '<elsewhere@x>' }), 'c'),
    ].join('\n');
    const { rows } = await readMbox(content);
    assert.equal(rows[0]?.conversationId, rows[2]?.conversationId);
    assert.notEqual(rows[0]?.conversationId, rows[1]?.conversationId);
  });

  test('a reply read before its root joins it through References', async () => {
    const content = [
      message(base(2, { References: '<m1@customer.example>', 'In-Reply-To': '<m1@customer.example>' }), 'b'),
      message(base(3), 'unrelated'),
      message(base(1), 'root'),
    ].join('\n');
    const { rows } = await readMbox(content);
    assert.equal(rows[0]?.conversationId, rows[2]?.conversationId);
    assert.notEqual(rows[0]?.conversationId, rows[1]?.conversationId);
  });

  test('quoted-printable, base64, charsets and encoded subjects are decoded', async () => {
    const qp = message(
      base(1, {
        Subject: '=?ISO-8859-1?Q?Caf=E9_cr=E8me?=',
        'Content-Type': 'text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding': 'quoted-printable',
      }),
      'Un caf=E9 tr=E8s =\nlong',
    );
    const b64 = message(
      base(2, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': 'base64' }),
      Buffer.from('Grüße 🙂 <b>').toString('base64'),
    );
    const { rows } = await readMbox(`${qp}\n${b64}`);
    assert.equal(rows[0]?.subject, 'Café crème');
    assert.equal(rows[0]?.text, 'Un café très long');
    assert.equal(rows[1]?.text, 'Grüße 🙂 &lt;b&gt;');
  });

  test('the plain part is preferred; an HTML-only message keeps its body without head, styles, scripts', async () => {
    const alternative = message(
      base(1, { 'Content-Type': 'multipart/alternative; boundary="b"' }),
      '--b\nContent-Type: text/plain\n\nplain words\n--b\nContent-Type: text/html\n\n<p>html words</p>\n--b--',
    );
    const htmlOnly = message(
      base(2, { 'Content-Type': 'text/html; charset=utf-8' }),
      '<html><head><title>t</title><style>p{color:red}</style></head><body><p onclick="x()">Hi <b>there</b></p><script>alert(1)</script></body></html>',
    );
    const { rows } = await readMbox(`${alternative}\n${htmlOnly}`);
    assert.equal(rows[0]?.text, 'plain words');
    assert.equal(rows[1]?.text, '<p>Hi <b>there</b></p>');
  });

  test('files are written once by content, under safe names, and named in a message without text', async () => {
    const file = (name: string) =>
      `--b\nContent-Type: application/pdf; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${Buffer.from('%PDF-1.4 same').toString('base64')}\n`;
    const one = message(
      base(1, { 'Content-Type': 'multipart/mixed; boundary="b"' }),
      `${file('../../evil.pdf')}--b--`,
    );
    const two = message(
      base(2, { 'Content-Type': 'multipart/mixed; boundary="b"' }),
      `--b\nContent-Type: text/plain\n\nsee attached\n${file('../../evil.pdf')}--b--`,
    );
    const { rows, attachmentsDir } = await readMbox(`${one}\n${two}`);
    assert.equal(rows[0]?.text, '(attached: ../../evil.pdf)');
    const [first] = rows[0]?.attachments ?? [];
    const [second] = rows[1]?.attachments ?? [];
    assert.ok(first && second);
    assert.equal(first.path, second.path);
    assert.ok(first.path.startsWith(attachmentsDir + sep));
    assert.equal(first.fileName, '_.._evil.pdf');
    assert.equal(first.mimeType, 'application/pdf');
    assert.equal(readFileSync(first.path, 'latin1'), '%PDF-1.4 same');
    assert.equal(readdirSync(attachmentsDir).length, 1);
  });

  test("an agent's message names its first non-agent recipient as the customer", async () => {
    const reply = base(2, {
      From: 'Grace <grace@support.example>',
      To: 'help@support.example, Ada Lovelace <ada@customer.example>',
    });
    const { rows } = await readMbox(message(reply, 'answer'));
    assert.equal(rows[0]?.role, 'agent');
    assert.equal(rows[0]?.authorName, 'Grace');
    assert.deepEqual(rows[0]?.customer, {
      email: 'ada@customer.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  });

  test('bad messages are rejects naming the message and the reason; the others are rows', async () => {
    const noDate = base(2);
    delete (noDate as Record<string, string>).Date;
    const content = [
      message(base(1), 'fine'),
      message(noDate, 'no date').replace('Mon Jan  1 10:00:00 2024', 'whenever'),
      message(base(3, { Date: 'the day after tomorrow' }), 'bad date'),
      message(base(4, { From: 'nobody' }), 'no address'),
      message(base(1), 'the same message again'),
      message(base(6), ''),
    ].join('\n');
    const { rows, rejects } = await readMbox(content);
    assert.deepEqual(
      rows.map((r) => r.pos.row),
      [1],
    );
    assert.deepEqual(
      rejects.map((r) => [r.pos.file, r.pos.row, r.field]),
      [
        ['inbox.mbox', 2, 'Date'],
        ['inbox.mbox', 3, 'Date'],
        ['inbox.mbox', 4, 'From'],
        ['inbox.mbox', 5, 'Message-ID'],
        ['inbox.mbox', 6, 'text'],
      ],
    );
    assert.match(rejects[1]?.reason ?? '', /"the day after tomorrow" is not a date/);
    assert.match(
      rejects[3]?.reason ?? '',
      /message 5 \(line \d+\) repeats an earlier message's id <m1@customer\.example>/,
    );
    assert.equal(rejects[0]?.raw.From_, 'From sender@example.com whenever');
    assert.equal(rejects[1]?.raw.Subject, 'subject 3');
    assert.deepEqual(rejects[0]?.headers, ['From_', 'Message-ID', 'Date', 'From', 'Subject']);
  });

  test("a message without Date takes the separator line's date", async () => {
    const noDate = base(1);
    delete (noDate as Record<string, string>).Date;
    const { rows } = await readMbox(message(noDate, 'x'), { timezone: 'Europe/Paris' });
    assert.equal(rows[0]?.createdAt, '2024-01-01T09:00:00Z');
  });

  test('a file that is not an mbox, and a config without agents, are run-fatal', async () => {
    await assert.rejects(readMbox('Subject: hello\n\nbody\n'), {
      code: 'SOURCE_MBOX_MALFORMED',
      message: /inbox\.mbox: not an mbox file: line 1/,
    });
    await assert.rejects(readMbox(message(base(1), 'x'), { agentAddresses: [] }), {
      code: 'SOURCE_BAD_CONFIG',
      message: /source\.agentAddresses/,
    });
  });
});

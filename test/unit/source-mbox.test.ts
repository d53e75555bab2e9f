import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sourceSchema } from '../../src/config/schema.js';
import { conversationProfile } from '../../src/plan/profile.js';
import { type RejectedRow, readSource, type ThreadRow } from '../../src/source/index.js';
import { tempDir } from '../support/temp-dir.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../fixtures/real-exports/mbox/', import.meta.url));
const SAMPLE = 'list-archive.mbox';
/** Mark Overmeer answered on this list as the agents of a shared inbox would; Cristy by his domain. */
const AGENTS = ['MARKOV@atcomputing.nl', '@mystic.es.dupont.com'];

/** The messages of the sample as the mbox convention delimits them, counted apart from the reader. */
function separatorLines(content: string): number[] {
  const lines = content.split(/\r?\n/);
  const found: number[] = [];
  lines.forEach((line, n) => {
    if (line.startsWith('From ') && (n === 0 || lines[n - 1] === '')) found.push(n + 1);
  });
  return found;
}

async function read(dir: string, file: string) {
  const config = sourceSchema.parse({ format: 'mbox', files: [file], agentAddresses: AGENTS });
  const attachmentsDir = tempDir('mbox-files');
  const rows: ThreadRow[] = [];
  const rejects: RejectedRow[] = [];
  for await (const item of readSource(config, { baseDir: dir, attachmentsDir })) {
    if (item.kind === 'row') rows.push(item.row);
    else rejects.push(item.reject);
  }
  return { rows, rejects, attachmentsDir };
}

function conversationOf(rows: ThreadRow[], messageId: string): ThreadRow[] {
  const row = rows.find((r) => r.threadId === messageId);
  assert.ok(row, `message <${messageId}> is a row`);
  return rows
    .filter((r) => r.conversationId === row.conversationId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.pos.seq - b.pos.seq);
}

function checkSample(rows: ThreadRow[], rejects: RejectedRow[], content: string, file: string): void {
  // Every message is a row or a reject, at its separator line, in file order.
  const separators = separatorLines(content);
  assert.equal(separators.length, 45);
  const items = [...rows.map((r) => r.pos), ...rejects.map((r) => r.pos)].sort((a, b) => a.seq - b.seq);
  assert.deepEqual(
    items.map((pos) => [pos.file, pos.row, pos.line]),
    separators.map((line, n) => [file, n + 1, line]),
  );
  assert.deepEqual(rejects, []);

  // A thread through References: three replies to a root that is not in the file.
  const conversion = conversationOf(rows, '20000209154405.C265@better.net');
  assert.deepEqual(
    conversion.map((r) => r.authorEmail),
    ['parkw@better.net', 'dlincol1@ford.com', 'steve@websidestory.com'],
  );

  // The agent's reply comes first in the file but second by date; the subject is the first message's.
  const resizing = conversationOf(rows, 'NDBBJJFDMKFOAIFBEPPJIELLCBAA.cknoos@atg.com');
  assert.deepEqual(
    resizing.map((r) => [r.authorEmail, r.role, r.pos.row]),
    [
      ['cknoos@atg.com', 'customer', 12],
      ['leonardr@lazerware.com', 'customer', 13],
      ['markov@ATComputing.nl', 'agent', 11],
      ['cknoos@atg.com', 'customer', 15],
      ['markov@ATComputing.nl', 'agent', 14],
    ],
  );
  const profile = conversationProfile(resizing);
  assert.equal(profile.subject, 'Problem resizing images through perl script');
  assert.equal(profile.customer?.email, 'cknoos@atg.com');
  // The agent's message names the customer it wrote to, not the list in Cc.
  assert.equal(resizing[2]?.customer.email, 'cknoos@atg.com');
  assert.deepEqual([resizing[0]?.customer.firstName, resizing[0]?.customer.lastName], ['Carl', 'Knoos']);

  // Only In-Reply-To (no References): the reply still joins its root, read after it.
  const symbol = conversationOf(rows, '3917FC90.8B8B0CF@gmx.net');
  assert.deepEqual(
    symbol.map((r) => [r.role, r.subject]),
    [
      ['customer', 'Undefined Symbol: SetWarningHandler'],
      ['agent', 'Re: Undefined Symbol: SetWarningHandler'],
    ],
  );

  // A message without From (its Reply-To speaks for it) and without Message-ID stands alone.
  const resize = rows.find((r) => r.pos.row === 9);
  assert.equal(resize?.authorEmail, 'markov@ATComputing.nl');
  assert.equal(resize?.role, 'agent');
  assert.equal(resize?.createdAt, '1999-08-08T08:04:17Z');
  assert.equal(rows.filter((r) => r.conversationId === resize?.conversationId).length, 1);

  // `Content-Type: text` (no subtype) is the message's text, not a nameless file.
  const bugReport = rows.find((r) => r.threadId === '200006141454.JAA14556@ns.simplesystems.org');
  assert.match(bugReport?.text ?? '', /^Thank you for submitting an ImageMagick bug report/);
  assert.deepEqual(bugReport?.attachments, []);

  // A base64 GIF is written out and comes back byte for byte.
  const gif = rows.flatMap((r) => r.attachments).find((a) => a.fileName === 'test.gif');
  assert.ok(gif);
  assert.equal(gif.mimeType, 'image/gif');
  const bytes = readFileSync(gif.path);
  assert.equal(bytes.length, gif.size);
  assert.equal(bytes.subarray(0, 6).toString('latin1'), 'GIF89a');

  // Plain text is escaped HTML with its line breaks kept.
  assert.ok(rows.every((r) => !/\r|\n/.test(r.text)));
  assert.ok(rows.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(r.createdAt)));
}

describe('mbox: the real list archive', () => {
  const lf = readFileSync(join(SAMPLE_DIR, SAMPLE), 'latin1');

  test('LF: conversations, order, roles, subjects, customers, files', async () => {
    assert.ok(!lf.includes('\r'));
    const { rows, rejects } = await read(SAMPLE_DIR, SAMPLE);
    checkSample(rows, rejects, lf, SAMPLE);
  });

  test('CRLF: the same file with CRLF line ends reads the same', async () => {
    const dir = tempDir('mbox-crlf');
    const crlf = lf.replace(/\n/g, '\r\n');
    writeFileSync(join(dir, 'crlf.mbox'), crlf, 'latin1');
    const fromCrlf = await read(dir, 'crlf.mbox');
    checkSample(fromCrlf.rows, fromCrlf.rejects, crlf, 'crlf.mbox');
    const fromLf = await read(SAMPLE_DIR, SAMPLE);
    const comparable = (rows: ThreadRow[]) =>
      rows.map(({ pos, raw, attachments, ...row }) => ({
        ...row,
        // A message with no ids is a conversation of its own, named by its file and number.
        conversationId: row.conversationId.replace(`${pos.file}#`, '#'),
        row: pos.row,
        line: pos.line,
        files: attachments.map((a) => [a.fileName, a.size]),
      }));
    assert.deepEqual(comparable(fromCrlf.rows), comparable(fromLf.rows));
  });
});

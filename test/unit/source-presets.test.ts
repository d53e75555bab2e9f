import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type SourceConfig, sourceSchema } from '../../src/config/schema.js';
import { readSource, type SourceItem, type ThreadRow, WHOLE_ROW_FIELD } from '../../src/source/index.js';
import { FatalError } from '../../src/util/errors.js';

// The real sample exports, copied byte for byte into fixtures/real-exports (its README says what is odd).
const realExports = fileURLToPath(new URL('../../fixtures/real-exports/', import.meta.url));

async function read(config: Partial<SourceConfig>): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSource(sourceSchema.parse(config), { baseDir: realExports })) items.push(item);
  return items;
}
const rowsOf = (items: SourceItem[]): ThreadRow[] =>
  items.flatMap((item) => (item.kind === 'row' ? [item.row] : []));

test('tidio: sender words, mojibake repaired, the unquoted-comma row rejected, constant THREAD_ID ignored', async () => {
  const items = await read({ files: ['tidio-messages.csv'], preset: 'tidio', repairMojibake: true });
  assert.equal(items.length, 10);
  const rejects = items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0]?.field, WHOLE_ROW_FIELD);
  assert.match(rejects[0]?.reason ?? '', /row 5 \(line 6\) has 14 fields for 13 columns/);
  assert.equal(rejects[0]?.raw.CONVERSATION_ID, '958740115');

  const rows = rowsOf(items);
  assert.equal(rows.length, 9);
  assert.ok(
    rows.every((row) => row.threadId === undefined),
    'THREAD_ID is one constant: it must not break ties',
  );
  assert.deepEqual(
    rows.filter((row) => row.conversationId === '958725163').map((row) => row.role),
    ['system', 'customer'],
  );
  assert.equal(rows.filter((row) => row.role === 'agent').length, 3);
  assert.equal(
    rows[0]?.text,
    'Bonjour à tous ! Je suis là si vous avez besoin de quelque aide que ce soit 👋',
  );
  assert.equal(rows[3]?.text, "Bonjour je serais intéressé par le Sigma l'avez vous en stock ?");
  assert.equal(rows[1]?.customer.email, 'alan@acme.com');
  assert.equal(rows[6]?.text, 'Bonjour,', 'trailing space trimmed');
  assert.equal(rows[0]?.createdAt, '2024-04-17T15:19:13Z');
});

test('tidio without repairMojibake keeps the text as it is in the file', async () => {
  const rows = rowsOf(await read({ files: ['tidio-messages.csv'], preset: 'tidio' }));
  assert.match(rows[0]?.text ?? '', /Bonjour Ã\u00a0 tous/);
});

test('gorgias: roles from sender_info and agentAddresses, customer email, naive microsecond timestamps', async () => {
  const rows = rowsOf(
    await read({ files: ['gorgias-messages.csv'], preset: 'gorgias', agentAddresses: ['@smallworlds.fr'] }),
  );
  assert.equal(rows.length, 5);
  assert.deepEqual(
    rows.map((row) => [row.conversationId, row.role, row.createdAt, row.customer.email]),
    [
      ['94595944', 'agent', '2022-10-05T15:38:40Z', undefined],
      ['94595944', 'customer', '2022-10-05T14:19:04Z', 'contact.bessie@gmail.com'],
      ['56939495', 'customer', '2022-09-28T10:15:21Z', 'p.muler@gmail.com'],
      ['56939495', 'agent', '2022-09-28T10:32:48Z', undefined],
      ['56939495', 'customer', '2022-09-28T10:37:18Z', 'p.muler@gmail.com'],
    ],
  );
  assert.equal(rows[0]?.authorEmail, 'contact@smallworlds.fr');
  assert.equal(rows[0]?.authorName, 'Small Worlds Team');
  assert.equal(rows[2]?.authorName, 'MÜLER Patrick');
  assert.equal(rows[0]?.subject, 'Where is my order?');
  assert.ok(
    rows.every((row) => row.customer.id === undefined),
    "Gorgias' customer_id is not a Help Scout id",
  );
  assert.match(rows[1]?.text ?? '', /^Hello,<br><br>I would like/);
  assert.equal(rows[1]?.pos.line, 24, 'lines count the quoted reply chains');
});

test('gorgias timestamps are read in source.timezone', async () => {
  const rows = rowsOf(
    await read({
      files: ['gorgias-messages.csv'],
      preset: 'gorgias',
      agentAddresses: ['contact@smallworlds.fr'],
      timezone: 'Europe/Paris',
    }),
  );
  assert.equal(rows[1]?.createdAt, '2022-10-05T12:19:04Z');
  assert.equal(rows[0]?.role, 'agent');
});

test('gorgias without agentAddresses, or its ticket list instead of its messages, is run-fatal', async () => {
  await assert.rejects(read({ files: ['gorgias-messages.csv'], preset: 'gorgias' }), (error: unknown) => {
    assert.ok(error instanceof FatalError);
    assert.equal(error.code, 'SOURCE_BAD_CONFIG');
    assert.match(error.message, /agentAddresses/);
    return true;
  });
  const config = {
    files: ['gorgias-conversations.csv'],
    preset: 'gorgias' as const,
    agentAddresses: ['@smallworlds.fr'],
  };
  await assert.rejects(read(config), (error: unknown) => {
    assert.ok(error instanceof FatalError);
    assert.equal(error.code, 'SOURCE_MISSING_COLUMN');
    assert.match(error.message, /body_text/);
    return true;
  });
});

test('explicit columns override the preset', async () => {
  const rows = rowsOf(
    await read({
      files: ['tidio-messages.csv'],
      preset: 'tidio',
      columns: { thread_id: 'THREAD_ID', author_name: 'BROWSER' },
    }),
  );
  assert.equal(rows[0]?.threadId, '1579680000');
  assert.equal(rows[1]?.authorName, 'Chrome');
  assert.equal(path.basename(rows[1]?.pos.file ?? ''), 'tidio-messages.csv');
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type SourceConfig, sourceSchema } from '../../src/config/schema.js';
import { readSource, type SourceItem, type ThreadRow } from '../../src/source/index.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('source-validation');
let counter = 0;

/** Reads one row made of the required cells plus `cells`. */
async function readRow(
  cells: Record<string, string>,
  config: Partial<SourceConfig> = {},
): Promise<SourceItem> {
  const all: Record<string, string> = {
    conversation_id: 'c1',
    created_at: '2024-01-01T10:00:00Z',
    text: 'hi',
    ...cells,
  };
  const headers = Object.keys(all);
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const name = `row-${counter++}.csv`;
  writeFileSync(
    path.join(dir, name),
    `${headers.join(',')}\n${headers.map((h) => quote(all[h] as string)).join(',')}\n`,
  );
  const items: SourceItem[] = [];
  for await (const item of readSource(sourceSchema.parse({ files: [name], ...config }), { baseDir: dir }))
    items.push(item);
  assert.equal(items.length, 1);
  return items[0] as SourceItem;
}
async function valid(cells: Record<string, string>, config: Partial<SourceConfig> = {}): Promise<ThreadRow> {
  const item = await readRow(cells, config);
  assert.equal(item.kind, 'row', item.kind === 'reject' ? `${item.reject.field}: ${item.reject.reason}` : '');
  return (item as { row: ThreadRow }).row;
}
async function rejected(
  cells: Record<string, string>,
  field: string,
  reason: RegExp,
  config: Partial<SourceConfig> = {},
) {
  const item = await readRow(cells, config);
  assert.equal(item.kind, 'reject', `${JSON.stringify(cells)} should be rejected`);
  if (item.kind !== 'reject') return;
  assert.equal(item.reject.field, field);
  assert.match(item.reject.reason, reason);
  assert.deepEqual(Object.keys(item.reject.raw), item.reject.headers, 'the reject keeps the raw row');
  assert.equal(item.reject.pos.row, 1);
}

test('roles: trimmed and case-insensitive, empty means customer, source.roles maps other words', async () => {
  assert.equal((await valid({ author_role: ' Agent ' })).role, 'agent');
  assert.equal((await valid({ author_role: 'NOTE' })).role, 'note');
  assert.equal((await valid({ author_role: 'system' })).role, 'system');
  assert.equal((await valid({ author_role: '' })).role, 'customer');
  assert.equal((await valid({})).role, 'customer', 'no role column at all');
  assert.equal((await valid({ author_role: 'Operator' }, { roles: { operator: 'agent' } })).role, 'agent');
  await rejected({ author_role: 'bot' }, 'author_role', /unknown role "bot".*customer, agent, note, system/);
});

test('required cells: conversation_id, created_at and text', async () => {
  await rejected({ conversation_id: ' ' }, 'conversation_id', /empty/);
  await rejected({ created_at: '' }, 'created_at', /empty/);
  await rejected({ created_at: '2023-02-30 10:00' }, 'created_at', /not a calendar date/);
  const row = await valid({ thread_id: ' m-1 ', conversation_id: ' c1 ' });
  assert.equal(row.threadId, 'm-1');
  assert.equal(row.conversationId, 'c1');
});

test('customer fields follow the API rules; empty cells are absent, never empty strings', async () => {
  const row = await valid({
    customer_id: '501',
    customer_email: '  Jess@SmallWorlds.com ',
    first_name: 'Zoë',
    last_name: 'x'.repeat(40),
    phone: '+33 6 12 34 56 78',
    photo_url: 'https://example.com/a.png',
    photo_type: 'Gravatar',
    job_title: 'j'.repeat(60),
    location: 'Lyon',
    organization: '',
    background: 'b'.repeat(200),
    gender: 'FEMALE',
    age: '34',
  });
  assert.deepEqual(row.customer, {
    id: 501,
    email: 'Jess@SmallWorlds.com',
    firstName: 'Zoë',
    lastName: 'x'.repeat(40),
    phone: '+33 6 12 34 56 78',
    photoUrl: 'https://example.com/a.png',
    photoType: 'gravatar',
    jobTitle: 'j'.repeat(60),
    location: 'Lyon',
    background: 'b'.repeat(200),
    gender: 'female',
    age: '34',
  });
  assert.deepEqual((await valid({ customer_email: '', first_name: '  ' })).customer, {});
});

test('a bad customer value is a reject naming the field and the rule', async () => {
  await rejected({ customer_id: '0' }, 'customer_id', /positive integer/);
  await rejected({ customer_id: '12a' }, 'customer_id', /positive integer/);
  await rejected({ customer_id: '99999999999999999999' }, 'customer_id', /positive integer/);
  await rejected({ customer_email: 'not-an-email' }, 'customer_email', /not an email/);
  await rejected({ customer_email: 'a b@c.com' }, 'customer_email', /not an email/);
  await rejected({ author_email: 'anna@' }, 'author_email', /not an email/);
  await rejected({ first_name: 'x'.repeat(41) }, 'first_name', /1–40 characters \(has 41\)/);
  await rejected({ last_name: 'x'.repeat(41) }, 'last_name', /1–40/);
  await rejected({ job_title: 'x'.repeat(61) }, 'job_title', /60/);
  await rejected({ location: 'x'.repeat(61) }, 'location', /60/);
  await rejected({ organization: 'x'.repeat(61) }, 'organization', /60/);
  await rejected({ photo_url: 'x'.repeat(201) }, 'photo_url', /200/);
  await rejected({ background: 'x'.repeat(201) }, 'background', /200/);
  await rejected({ photo_type: 'myspace' }, 'photo_type', /unknown, gravatar/);
  await rejected({ gender: 'other' }, 'gender', /male, female, unknown/);
});

test('no customer on a row is fine: another row of the conversation may carry it', async () => {
  const row = await valid({ author_role: 'agent', author_email: 'anna@example.com', author_name: 'Anna' });
  assert.deepEqual(row.customer, {});
  assert.equal(row.authorEmail, 'anna@example.com');
  assert.equal(row.authorName, 'Anna');
});

test('tags, status and subject', async () => {
  const row = await valid({
    tags: ' vip ;; billing;vip; ',
    status: 'Closed',
    subject: '  Where is my order?  ',
  });
  assert.deepEqual(row.tags, ['vip', 'billing']);
  assert.equal(row.status, 'closed');
  assert.equal(row.subject, 'Where is my order?');
  const bare = await valid({ tags: '', status: '' });
  assert.deepEqual(bare.tags, []);
  assert.equal(bare.status, undefined);
  await rejected({ status: 'spam' }, 'status', /active, pending, closed/);
});

test('without a role column, source.agentAddresses tells agents by address', async () => {
  const config = { agentAddresses: ['anna@example.com', '@support.example'] };
  assert.equal((await valid({ author_email: 'ANNA@example.com' }, config)).role, 'agent');
  assert.equal((await valid({ author_email: 'bob@support.example' }, config)).role, 'agent');
  assert.equal((await valid({ author_email: 'bob@example.org' }, config)).role, 'customer');
  assert.equal((await valid({ author_email: 'bob@example.org', author_role: 'note' }, config)).role, 'note');
});

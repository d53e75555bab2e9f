import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { formatOf, recognisedMessage, resolveSource } from '../../src/source/detect.js';
import { readSource } from '../../src/source/read-source.js';
import type { ThreadRow } from '../../src/source/types.js';
import { REPO_ROOT } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';

const REAL = join(REPO_ROOT, 'fixtures', 'real-exports');

async function recognised(files: string[], baseDir = REAL, extra: Record<string, unknown> = {}) {
  return (await resolveSource(sourceSchema.parse({ files, ...extra }), baseDir)).recognised;
}

describe('recognising an export', () => {
  it('by the CSV header: tidio, gorgias', async () => {
    assert.equal(await recognised(['tidio-messages.csv']), 'tidio');
    assert.equal(await recognised(['gorgias-messages.csv']), 'gorgias');
  });

  it('by the first record: each JSON platform, whatever the file is called', async () => {
    assert.equal(await recognised(['zendesk/tickets.json']), 'zendesk');
    assert.equal(await recognised(['zendesk/tickets-dated.jsonl']), 'zendesk');
    assert.equal(await recognised(['intercom/records.jsonl']), 'intercom');
    assert.equal(await recognised(['freshdesk/conversations.json']), 'freshdesk');
    assert.equal(await recognised(['helpscout/conversations.json']), 'helpscout');
    assert.equal(await recognised(['groove/tickets.json']), 'groove');
  });

  it('not when the config names a preset, maps columns or describes shapes; not for the default CSV', async () => {
    assert.equal(await recognised(['tidio-messages.csv'], REAL, { preset: 'tidio' }), undefined);
    assert.equal(
      await recognised(['tidio-messages.csv'], REAL, { columns: { text: 'MESSAGE_CONTENT' } }),
      undefined,
    );
    assert.equal(await recognised(['groove/tickets.json'], REAL, { shapes: [{}] }), undefined);
    assert.equal(await recognised(['../demo/chats-2024.csv']), undefined);
  });

  it('says which preset it chose and how to override it', () => {
    assert.equal(recognisedMessage('zendesk'), 'recognised a Zendesk export; set source.preset to override');
  });

  it('format auto: an mbox by its From line, read whole as an mbox', async () => {
    const config = sourceSchema.parse({
      files: ['mbox/list-archive.mbox'],
      agentAddresses: ['@atcomputing.nl'],
    });
    assert.equal(await formatOf(config, join(REAL, 'mbox/list-archive.mbox'), 'x'), 'mbox');
    const { source, recognised: preset } = await resolveSource(config, REAL);
    assert.equal(source.format, 'mbox');
    assert.equal(preset, undefined);
    let rows = 0;
    const attachmentsDir = tempDir('mbox-auto');
    for await (const item of readSource(config, { baseDir: REAL, attachmentsDir }))
      if (item.kind === 'row') rows += 1;
    assert.ok(rows > 40, `${rows} messages read as mail`);
  });

  it('format auto: JSON Lines from a document by the first line, CSV otherwise', async () => {
    const config = sourceSchema.parse({ files: ['x'] });
    assert.equal(await formatOf(config, join(REAL, 'zendesk/tickets.json'), 'x'), 'json');
    assert.equal(await formatOf(config, join(REAL, 'zendesk/tickets-dated.jsonl'), 'x'), 'jsonl');
    assert.equal(await formatOf(config, join(REAL, 'freshdesk/ticket_1.json'), 'x'), 'json');
    assert.equal(await formatOf(config, join(REAL, 'tidio-messages.csv'), 'x'), 'csv');
  });

  it('intercom-csv: recognised by its header; author types to roles', async () => {
    const dir = tempDir('intercom-csv');
    writeFileSync(
      join(dir, 'intercom.csv'),
      [
        'conversation_id,message_id,message_created_at,message_author_type,message_author_email,message_body,contact_email',
        '215,1,2024-03-05T14:07:09Z,lead,,Hello,ann@example.com',
        '215,2,2024-03-05T14:08:00Z,bot,,We reply soon,',
        '215,3,2024-03-05T14:09:00Z,admin,bo@acme.example,Hi Ann,',
      ].join('\n'),
    );
    assert.equal(await recognised(['intercom.csv'], dir), 'intercom-csv');
    const rows: ThreadRow[] = [];
    for await (const item of readSource(sourceSchema.parse({ files: ['intercom.csv'] }), { baseDir: dir }))
      if (item.kind === 'row') rows.push(item.row);
    assert.deepEqual(
      rows.map((r) => [r.role, r.threadId]),
      [
        ['customer', '1'],
        ['system', '2'],
        ['agent', '3'],
      ],
    );
    assert.equal(rows[0]?.customer.email, 'ann@example.com');
  });
});

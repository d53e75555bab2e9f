import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type SourceConfig, sourceSchema } from '../../src/config/schema.js';
import { plainTextToHtml, readSource, repairMojibake, type SourceItem } from '../../src/source/index.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('source-text');
async function readOne(text: string, config: Partial<SourceConfig> = {}): Promise<SourceItem> {
  const quoted = `"${text.replace(/"/g, '""')}"`;
  writeFileSync(
    path.join(dir, 'text.csv'),
    `conversation_id,created_at,text\nc1,2024-01-01T10:00:00Z,${quoted}\n`,
  );
  const items: SourceItem[] = [];
  for await (const item of readSource(sourceSchema.parse({ files: ['text.csv'], ...config }), {
    baseDir: dir,
  }))
    items.push(item);
  assert.equal(items.length, 1);
  return items[0] as SourceItem;
}

test('plain text: only &, < and > escaped (quotes as they are), every kind of line break becomes <br>', () => {
  assert.equal(plainTextToHtml(`a & b < c > d "e" 'f'`), `a &amp; b &lt; c &gt; d "e" 'f'`);
  assert.equal(plainTextToHtml('one\r\ntwo\nthree\rfour'), 'one<br>two<br>three<br>four');
  assert.equal(plainTextToHtml('no specials 🙂 مرحبا'), 'no specials 🙂 مرحبا');
  assert.equal(
    plainTextToHtml('&amp;'),
    '&amp;amp;',
    'plain text is not HTML: an entity is shown as written',
  );
});

test('text is trimmed and required; html passes through untouched', async () => {
  const plain = await readOne('  <b>hi</b>\nthere  ');
  assert.equal(plain.kind === 'row' && plain.row.text, '&lt;b&gt;hi&lt;/b&gt;<br>there');
  const html = await readOne('<p>hi<br>there</p>', { textFormat: 'html' });
  assert.equal(html.kind === 'row' && html.row.text, '<p>hi<br>there</p>');
  for (const empty of ['', '   ', '\n\t ']) {
    const item = await readOne(empty);
    assert.equal(item.kind, 'reject');
    assert.equal(item.kind === 'reject' && item.reject.field, 'text');
  }
});

test('mojibake: UTF-8 read as Latin-1 is repaired; real Latin-1 text and clean text are left alone', () => {
  const broken = Buffer.from('Bonjour à tous 🙂 intéressé', 'utf8').toString('latin1');
  assert.notEqual(broken, 'Bonjour à tous 🙂 intéressé');
  assert.equal(repairMojibake(broken), 'Bonjour à tous 🙂 intéressé');
  for (const clean of [
    'café',
    'Müller',
    'naïve façade',
    'Ã alone',
    'plain ascii',
    '日本語',
    'Ã© but also €',
  ]) {
    assert.equal(repairMojibake(clean), clean);
  }
});

test('source.repairMojibake applies the repair to every cell; off by default', async () => {
  const broken = Buffer.from('Merci de nous avoir contacté', 'utf8').toString('latin1');
  const off = await readOne(broken);
  assert.equal(off.kind === 'row' && off.row.text, broken);
  const on = await readOne(broken, { repairMojibake: true });
  assert.equal(on.kind === 'row' && on.row.text, 'Merci de nous avoir contacté');
});

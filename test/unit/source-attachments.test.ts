import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sourceSchema } from '../../src/config/schema.js';
import { MAX_URL_FILE_BYTES } from '../../src/source/attachments.js';
import { mimeTypeOf, readSource, type SourceItem } from '../../src/source/index.js';
import { tempDir } from '../support/temp-dir.js';

const root = tempDir('source-attachments');
const exportDir = path.join(root, 'export');
mkdirSync(path.join(exportDir, 'files', 'sub'), { recursive: true });
writeFileSync(path.join(exportDir, 'files', 'note.txt'), 'hello');
writeFileSync(path.join(exportDir, 'files', 'sub', 'Photo 1.PNG'), Buffer.alloc(1234));
// 8 MiB: 10.7 MiB once in base64, more than any Help Scout request body.
writeFileSync(path.join(exportDir, 'files', 'huge.bin'), Buffer.alloc(8 * 1024 * 1024));
writeFileSync(path.join(root, 'secret.txt'), 'outside');
symlinkSync(path.join(root, 'secret.txt'), path.join(exportDir, 'files', 'link-out.txt'));
symlinkSync(path.join(exportDir, 'files', 'note.txt'), path.join(exportDir, 'files', 'link-in.txt'));

async function readWith(attachments: string, extra: Record<string, unknown> = {}): Promise<SourceItem> {
  writeFileSync(
    path.join(exportDir, 'chats.csv'),
    `conversation_id,created_at,text,attachments\nc1,2024-01-01T10:00:00Z,hi,"${attachments}"\n`,
  );
  const items: SourceItem[] = [];
  // The CSV is given with a folder: attachments are relative to the CSV's folder, not to baseDir.
  for await (const item of readSource(sourceSchema.parse({ files: ['export/chats.csv'], ...extra }), {
    baseDir: root,
  }))
    items.push(item);
  return items[0] as SourceItem;
}
async function refused(attachments: string, reason: RegExp): Promise<void> {
  const item = await readWith(attachments);
  assert.equal(item.kind, 'reject', `${attachments} should be refused`);
  if (item.kind !== 'reject') return;
  assert.equal(item.reject.field, 'attachments');
  assert.match(item.reject.reason, reason);
}

test('attachments inside the CSV folder are resolved with name, type and size, never read', async () => {
  const item = await readWith(' files/note.txt ; files/sub/Photo 1.PNG;; files/link-in.txt');
  assert.equal(item.kind, 'row');
  if (item.kind !== 'row') return;
  assert.deepEqual(
    item.row.attachments.map(({ relPath, fileName, mimeType, size }) => ({
      relPath,
      fileName,
      mimeType,
      size,
    })),
    [
      { relPath: 'files/note.txt', fileName: 'note.txt', mimeType: 'text/plain', size: 5 },
      { relPath: 'files/sub/Photo 1.PNG', fileName: 'Photo 1.PNG', mimeType: 'image/png', size: 1234 },
      { relPath: 'files/link-in.txt', fileName: 'link-in.txt', mimeType: 'text/plain', size: 5 },
    ],
  );
  assert.ok(path.isAbsolute(item.row.attachments[0]?.path ?? ''));
});

test('paths that lead out of the CSV folder are refused: .., absolute, symlinks', async () => {
  await refused('../secret.txt', /outside the CSV's folder/);
  await refused('files/../../secret.txt', /outside the CSV's folder/);
  await refused('../../../../../etc/passwd', /outside the CSV's folder/);
  await refused(path.join(root, 'secret.txt'), /absolute path/);
  await refused('files/link-out.txt', /outside the CSV's folder/);
  await refused('../nothing-here.txt', /outside the CSV's folder/);
});

test('a missing file or a folder is refused; one bad path rejects the row', async () => {
  await refused('files/missing.pdf', /does not exist/);
  await refused('files/sub', /not a file/);
  await refused('files/note.txt;files/missing.pdf', /missing\.pdf" does not exist/);
});

test('a message whose files exceed what any Help Scout request accepts (10 MiB) is refused', async () => {
  await refused('files/huge.bin', /needs 109\d\d KiB, more than the 10 MiB a Help Scout request accepts/);
  await refused('files/note.txt;files/huge.bin', /more than the 10 MiB/);
  assert.equal((await readWith('files/note.txt')).kind, 'row');
});

test('a URL is refused without source.attachments.fetch, kept as a URL file with it (several per message)', async () => {
  const urls = 'https://files.example.com/a/shot%201.png; https://files.example.com/b.pdf';
  await refused(urls, /is a URL: set source\.attachments\.fetch/);
  const item = await readWith(urls, { attachments: { fetch: true, allowHosts: ['files.example.com'] } });
  assert.equal(item.kind, 'row', JSON.stringify(item));
  if (item.kind !== 'row') return;
  assert.deepEqual(
    item.row.attachments.map((a) => [a.url, a.relPath, a.fileName, a.mimeType, a.path, a.size]),
    [
      [
        'https://files.example.com/a/shot%201.png',
        'https://files.example.com/a/shot%201.png',
        'shot 1.png',
        'image/png',
        '',
        MAX_URL_FILE_BYTES,
      ],
      [
        'https://files.example.com/b.pdf',
        'https://files.example.com/b.pdf',
        'b.pdf',
        'application/pdf',
        '',
        MAX_URL_FILE_BYTES,
      ],
    ],
  );
  // What the downloader would refuse is refused when read, so `validate` says it first.
  const only = { attachments: { fetch: true, allowHosts: ['files.example.com'] } };
  const elsewhere = await readWith('https://elsewhere.example.org/a.png', only);
  assert.match(
    elsewhere.kind === 'reject' ? elsewhere.reject.reason : '',
    /host elsewhere\.example\.org is not in/,
  );
  const plain = await readWith('http://files.example.com/a.png', only);
  assert.match(plain.kind === 'reject' ? plain.reject.reason : '', /over https only/);
  // Zendesk names the file in the query: /attachments/token/…/?name=…
  const zendesk = await readWith(
    'https://files.example.com/attachments/token/Xy1/?name=screen%20shot.png',
    only,
  );
  assert.deepEqual(
    zendesk.kind === 'row' ? zendesk.row.attachments.map((a) => [a.fileName, a.mimeType]) : zendesk,
    [['screen shot.png', 'image/png']],
  );
  // Each fits one upload request of 10 MiB once in base64.
  assert.ok((MAX_URL_FILE_BYTES / 3) * 4 + 1024 <= 10 * 1024 * 1024);
});

test('mime types come from the extension, octet-stream otherwise', () => {
  assert.equal(mimeTypeOf('a.PDF'), 'application/pdf');
  assert.equal(mimeTypeOf('a.jpeg'), 'image/jpeg');
  assert.equal(mimeTypeOf('archive.tar.xz'), 'application/octet-stream');
  assert.equal(mimeTypeOf('README'), 'application/octet-stream');
});

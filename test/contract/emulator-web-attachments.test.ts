import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createConversation, openSession } from './emulator-helpers.js';
import { links, web } from './emulator-web-helpers.js';

test('attachments download with the bytes, type and name they were uploaded with', async () => {
  const s = await openSession();
  try {
    // Every byte value, so a text decoding anywhere on the way would show.
    const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(5000)]);
    const text = Buffer.from('reçu n° 42\r\n');
    const id = await createConversation(s, {
      threads: [
        {
          type: 'chat',
          customer: { id: 501 },
          text: 'two files',
          attachments: [
            { fileName: 'photo (1).png', mimeType: 'image/png', data: binary.toString('base64') },
            { fileName: 'reçu "final".txt', mimeType: 'text/plain', data: text.toString('base64') },
          ],
        },
      ],
    });
    const threadId = s.emu.state().conversations[0]?.threads[0]?.id;
    const html = Buffer.from('<script>alert(1)</script>');
    const appended = await s.call('POST', `conversations/${id}/threads/${threadId}/attachments`, {
      fileName: 'page.html',
      mimeType: 'text/html',
      data: html.toString('base64'),
    });
    assert.equal(appended.status, 201);

    const page = (await web(s.emu, `/conversations/${id}`)).text;
    const files = links(page).filter((href) => href.includes('/attachments/'));
    assert.equal(files.length, 3);
    assert.ok(page.includes('>photo (1).png</a>'));
    assert.ok(page.includes('download="reçu &quot;final&quot;.txt"'));

    const [png, txt, htm] = await Promise.all(files.map((href) => web(s.emu, href)));
    assert.ok(png && txt && htm);
    assert.equal(png.status, 200);
    assert.ok(png.bytes.equals(binary), 'the PNG’s bytes');
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(png.headers['content-length'], String(binary.length));
    assert.equal(
      png.headers['content-disposition'],
      `attachment; filename="photo (1).png"; filename*=UTF-8''photo%20%281%29.png`,
    );
    assert.ok(txt.bytes.equals(text));
    assert.equal(txt.headers['content-type'], 'text/plain');
    assert.equal(
      txt.headers['content-disposition'],
      `attachment; filename="re_u _final_.txt"; filename*=UTF-8''re%C3%A7u%20%22final%22.txt`,
    );
    assert.ok(htm.bytes.equals(html));
    assert.match(
      String(htm.headers['content-disposition']),
      /^attachment;/,
      'an HTML file is downloaded, not shown',
    );
    assert.match(String(htm.headers['content-security-policy']), /sandbox/);
    assert.equal(htm.headers['x-content-type-options'], 'nosniff');

    const other = await createConversation(s);
    const elsewhere = files[0]?.replace(`/conversations/${id}/`, `/conversations/${other}/`) as string;
    assert.equal(
      (await web(s.emu, elsewhere)).status,
      404,
      'an attachment is found under its own conversation only',
    );
  } finally {
    await s.close();
  }
});

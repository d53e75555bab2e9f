import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStrictBase64 } from '../../src/emulator/validation/attachments.js';
import { createConversation, openSession } from './emulator-helpers.js';

const MiB = 1024 * 1024;

/** A chat with one attachment whose JSON is exactly `size` bytes (the data as long as the size allows). */
function chatWithAttachmentOf(size: number): Record<string, unknown> {
  const body = (data: string, text: string) => ({
    customer: { id: 501 },
    text,
    attachments: [{ fileName: 'big.bin', mimeType: 'application/octet-stream', data }],
  });
  const empty = Buffer.byteLength(JSON.stringify(body('', 'x')));
  const dataLength = Math.floor((size - empty) / 4) * 4;
  const out = body('A'.repeat(dataLength), 'x'.repeat(1 + size - empty - dataLength));
  assert.equal(Buffer.byteLength(JSON.stringify(out)), size);
  return out;
}

test('base64 check: strict padding and alphabet, linear on large input', () => {
  for (const ok of ['', 'QQ==', 'QUI=', 'QUJD', 'a+/9']) assert.equal(isStrictBase64(ok), true, ok);
  for (const bad of ['Q', 'QQ=', 'Q===', '====', 'QU I', 'QUJD\n', 'QU=D', 'QUJ-', 'QUJ_']) {
    assert.equal(isStrictBase64(bad), false, bad);
  }
  assert.equal(isStrictBase64(Buffer.alloc(8 * MiB).toString('base64')), true);
});

test('a 4 MiB attachment is stored (the regex check overflowed its stack and answered 500)', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    const file = Buffer.alloc(4 * MiB, 7);
    const attachment = {
      fileName: 'four.bin',
      mimeType: 'application/octet-stream',
      data: file.toString('base64'),
    };
    const res = await s.call('POST', `conversations/${id}/chats`, {
      customer: { id: 501 },
      text: 'f',
      attachments: [attachment],
    });
    assert.equal(res.status, 201, res.text);
    const bad = { ...attachment, data: `${attachment.data.slice(0, -4)}AA!=` };
    const refused = await s.call('POST', `conversations/${id}/chats`, {
      customer: { id: 501 },
      text: 'f',
      attachments: [bad],
    });
    assert.equal(refused.status, 400, 'invalid base64 of that size is a 400, not a 500');
    const threads = (await s.call('GET', `conversations/${id}/threads`)).json._embedded.threads;
    assert.equal(threads[0]._embedded.attachments[0].size, 4 * MiB);
  } finally {
    await s.close();
  }
});

test('10 MiB request limit: a body of exactly 10 MiB with its attachment is stored, one byte more is 413', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    const atLimit = await s.call('POST', `conversations/${id}/chats`, chatWithAttachmentOf(10 * MiB));
    assert.equal(atLimit.status, 201, atLimit.text);
    const over = await s.call('POST', `conversations/${id}/chats`, chatWithAttachmentOf(10 * MiB + 1));
    assert.equal(over.status, 413);
    const conv = s.emu.state().conversations[0];
    assert.equal(conv?.threads.length, 2, 'the first thread and the one at the limit');
    assert.ok((conv?.threads[1]?.attachments[0]?.size ?? 0) > 7 * MiB);
  } finally {
    await s.close();
  }
});

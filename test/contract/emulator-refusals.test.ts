import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chatThreads,
  conversationBody,
  createConversation,
  errorPaths,
  openSession,
} from './emulator-helpers.js';

test('refuseText: a thread whose text holds the marker is a 400 naming its field, and nothing is done', async () => {
  const s = await openSession({ faults: { refuseText: 'BAD' } });
  try {
    const threads = chatThreads(3);
    threads[1] = { type: 'chat', text: 'a BAD line' };
    const refused = await s.call('POST', 'conversations', conversationBody({ threads }));
    assert.equal(refused.status, 400);
    assert.deepEqual(errorPaths(refused), ['threads[1].text']);
    assert.equal(s.emu.state().conversations.length, 0);

    const id = await createConversation(s);
    const append = await s.call('POST', `conversations/${id}/chats`, {
      text: 'BAD again',
      customer: { id: 501 },
    });
    assert.equal(append.status, 400);
    assert.deepEqual(errorPaths(append), ['text']);
    assert.equal(s.emu.state().conversations[0]?.threads.length, 1);

    // Switched off, the same requests are accepted.
    s.emu.setFaults(undefined);
    assert.equal((await s.call('POST', 'conversations', conversationBody({ threads }))).status, 201);
  } finally {
    await s.close();
  }
});

test('errorsWithoutPath: a 400 names no field; other answers are as before', async () => {
  const s = await openSession({ faults: { errorsWithoutPath: true } });
  try {
    const threads = chatThreads(2);
    threads[0] = {
      type: 'chat',
      text: 'with an empty file',
      attachments: [{ fileName: 'a.txt', mimeType: 'text/plain', data: '' }],
    };
    const refused = await s.call('POST', 'conversations', conversationBody({ threads }));
    assert.equal(refused.status, 400);
    assert.deepEqual(errorPaths(refused), []);
    assert.equal(refused.json._embedded, undefined);
    assert.equal(typeof refused.json.message, 'string');
    assert.equal((await s.call('POST', 'conversations', conversationBody())).status, 201);

    s.emu.setFaults(undefined);
    const named = await s.call('POST', 'conversations', conversationBody({ threads }));
    assert.deepEqual(errorPaths(named), ['threads[0].attachments[0].data']);
  } finally {
    await s.close();
  }
});

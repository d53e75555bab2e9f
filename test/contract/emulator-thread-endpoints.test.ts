import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { chatThreads, createConversation, errorPaths, openSession } from './emulator-helpers.js';

test('each thread endpoint stores its type and answers 201 with an empty body and Resource-ID', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    const cases: [string, string, Record<string, unknown>][] = [
      ['chats', 'chat', { customer: { id: 501 }, text: 'c' }],
      ['customer', 'customer', { customer: { id: 501 }, text: 'q' }],
      ['reply', 'message', { customer: { id: 501 }, text: 'r', user: 2 }],
      ['notes', 'note', { text: 'n' }],
      ['phones', 'phone', { customer: { email: 'maria.rossi@example.org' }, text: 'p' }],
    ];
    for (const [path, stored, body] of cases) {
      const res = await s.call('POST', `conversations/${id}/${path}`, body);
      assert.equal(res.status, 201, path);
      assert.equal(res.text, '');
      const threads = s.emu.state().conversations[0]?.threads ?? [];
      const last = threads[threads.length - 1];
      assert.equal(String(last?.id), res.headers['resource-id'], path);
      assert.equal(last?.type, stored);
    }
    const threads = s.emu.state().conversations[0]?.threads ?? [];
    assert.deepEqual(threads[3]?.createdBy, { type: 'user', id: 2 });
    assert.deepEqual(threads[4]?.createdBy, { type: 'user', id: 1 }, 'a note without user is the owner’s');
  } finally {
    await s.close();
  }
});

test('threadIdHeader: false reproduces the 2019 answers without an id header', async () => {
  const s = await openSession({ threadIdHeader: false });
  try {
    const id = await createConversation(s);
    const res = await s.call('POST', `conversations/${id}/notes`, { text: 'n' });
    assert.equal(res.status, 201);
    assert.equal(res.headers['resource-id'], undefined);
    assert.equal(res.headers.location, undefined);
  } finally {
    await s.close();
  }
});

test('text is required everywhere; customer is required except on notes; user must exist', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    const chat = await s.call('POST', `conversations/${id}/chats`, { text: 'no customer' });
    assert.equal(chat.status, 400);
    assert.deepEqual(errorPaths(chat), ['customer']);
    const empty = await s.call('POST', `conversations/${id}/notes`, { text: '' });
    assert.deepEqual(errorPaths(empty), ['text']);
    const user = await s.call('POST', `conversations/${id}/reply`, {
      text: 'r',
      customer: { id: 501 },
      user: 55,
    });
    assert.deepEqual(errorPaths(user), ['user']);
    const cust = await s.call('POST', `conversations/${id}/chats`, { text: 'c', customer: { id: 1 } });
    assert.deepEqual(errorPaths(cust), ['customer.id']);
    assert.equal(s.emu.state().conversations[0]?.threads.length, 1);
  } finally {
    await s.close();
  }
});

test('unknown and merged conversations are 404 on thread writes', async () => {
  const s = await openSession();
  try {
    const a = await createConversation(s);
    const b = await createConversation(s);
    assert.equal((await s.call('POST', 'conversations/123/notes', { text: 'n' })).status, 404);
    assert.equal((await s.call('POST', `conversations/${a}/notes`, { text: 'n' })).status, 201);
    s.emu.merge(a, b);
    assert.equal((await s.call('POST', `conversations/${a}/notes`, { text: 'n' })).status, 404);
    assert.equal((await s.call('POST', `conversations/${b}/notes`, { text: 'n' })).status, 201);
  } finally {
    await s.close();
  }
});

test('a conversation that holds 99 or more threads refuses appends with 412', async () => {
  const s = await openSession();
  try {
    const grown = await createConversation(s, { threads: chatThreads(98) });
    assert.equal((await s.call('POST', `conversations/${grown}/notes`, { text: '99th' })).status, 201);
    assert.equal((await s.call('POST', `conversations/${grown}/notes`, { text: '100th' })).status, 412);
    const full = await createConversation(s, { threads: chatThreads(100) });
    assert.equal((await s.call('POST', `conversations/${full}/notes`, { text: 'x' })).status, 412);
    assert.equal(s.emu.state().conversations.find((c) => c.id === grown)?.threads.length, 99);
  } finally {
    await s.close();
  }
});

test('the tooOldBefore lock answers 412 for conversations created before it', async () => {
  const s = await openSession({ tooOldBefore: '2020-01-01T00:00:00Z' });
  try {
    const old = await createConversation(s, { imported: true, createdAt: '2018-05-01T00:00:00Z' });
    const recent = await createConversation(s, { imported: true, createdAt: '2021-05-01T00:00:00Z' });
    assert.equal((await s.call('POST', `conversations/${old}/notes`, { text: 'x' })).status, 412);
    assert.equal((await s.call('POST', `conversations/${recent}/notes`, { text: 'x' })).status, 201);
  } finally {
    await s.close();
  }
});

test('createdAt is honoured only with imported: true; the conversation’s modifiedAt and count follow', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 9, 0, 0));
  const s = await openSession({ clock });
  try {
    const id = await createConversation(s, {
      imported: true,
      createdAt: '2019-03-01T00:00:00Z',
      status: 'closed',
    });
    clock.advance(5_000);
    const body = { customer: { id: 501 }, text: 'x', createdAt: '2019-03-01T00:05:00Z' };
    assert.equal(
      (await s.call('POST', `conversations/${id}/chats`, { ...body, imported: true })).status,
      201,
    );
    const conv = s.emu.state().conversations[0];
    assert.equal(conv?.threads[1]?.createdAt, '2019-03-01T00:05:00Z');
    assert.equal(conv?.status, 'closed', 'an imported thread does not re-open the conversation');
    assert.equal(conv?.modifiedAt, '2026-01-01T09:00:05Z');
    assert.equal((await s.call('POST', `conversations/${id}/chats`, body)).status, 201);
    const after = s.emu.state().conversations[0];
    assert.equal(after?.threads[2]?.createdAt, '2026-01-01T09:00:05Z');
    assert.equal(after?.status, 'active', 'a live customer line re-opens it');
    assert.equal((await s.call('GET', `conversations/${id}`)).json.threads, 3);
    const ms = await s.call('POST', `conversations/${id}/chats`, {
      ...body,
      createdAt: '2019-03-01T00:05:00.5Z',
    });
    assert.deepEqual(errorPaths(ms), ['createdAt']);
  } finally {
    await s.close();
  }
});

test('attachments on thread endpoints are validated; the attachment endpoint adds to a thread', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    const att = { fileName: 'file.txt', mimeType: 'plain/text', data: 'ZmlsZQ==' };
    const ok = await s.call('POST', `conversations/${id}/chats`, {
      customer: { id: 456 },
      text: 'Buy more pens',
    });
    assert.deepEqual(errorPaths(ok), ['customer.id'], 'the seed example with an unknown customer id');
    const res = await s.call('POST', `conversations/${id}/chats`, {
      customer: { id: 501 },
      text: 'x',
      attachments: [att],
    });
    assert.equal(res.status, 201);
    const bad = await s.call('POST', `conversations/${id}/chats`, {
      customer: { id: 501 },
      text: 'x',
      attachments: [{ ...att, data: '%%%' }],
    });
    assert.deepEqual(errorPaths(bad), ['attachments[0].data']);
    const threadId = res.headers['resource-id'];
    const added = await s.call('POST', `conversations/${id}/threads/${threadId}/attachments`, att);
    assert.equal(added.status, 201);
    assert.equal(added.headers['resource-id'], undefined);
    assert.equal(s.emu.state().conversations[0]?.threads[1]?.attachments.length, 2);
    const noThread = await s.call('POST', `conversations/${id}/threads/1/attachments`, att);
    assert.equal(noThread.status, 404);
  } finally {
    await s.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationBody, createConversation, openSession, send } from './emulator-helpers.js';

test('malformed JSON is 400 "Error parsing request body into JSON" as vnd.error', async () => {
  const s = await openSession();
  try {
    const bad = await s.call('POST', 'conversations', '{"subject": ', { 'content-type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.headers['content-type']), /^application\/vnd\.error\+json/);
    assert.equal(bad.json.message, 'Error parsing request body into JSON');
    assert.equal(typeof bad.json.logRef, 'string');
    assert.equal((await s.call('POST', 'conversations', conversationBody())).status, 201);
  } finally {
    await s.close();
  }
});

test('a validation error has the vnd.error shape with path, message, rejectedValue and source', async () => {
  const s = await openSession();
  try {
    const res = await s.call('POST', 'conversations', conversationBody({ status: 'open' }));
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'Bad request');
    const [err] = res.json._embedded.errors;
    assert.equal(err.path, 'status');
    assert.equal(err.rejectedValue, 'open');
    assert.equal(err.source, 'JSON');
    assert.equal(typeof err.message, 'string');
  } finally {
    await s.close();
  }
});

test('unknown request fields are ignored', async () => {
  const s = await openSession();
  try {
    const res = await s.call(
      'POST',
      'conversations',
      conversationBody({ somethingNew: { a: 1 }, autoReply: false }),
    );
    assert.equal(res.status, 201);
  } finally {
    await s.close();
  }
});

test('bodies over the size limits are 413: Create Conversation and the thread endpoints have their own limits', async () => {
  const s = await openSession({ maxCreateConversationBytes: 2000, maxThreadRequestBytes: 1000 });
  try {
    const small = conversationBody({ threads: [{ type: 'chat', text: 'x'.repeat(1500) }] });
    assert.equal((await s.call('POST', 'conversations', small)).status, 201);
    const big = conversationBody({
      customer: { email: 'never.created@example.com' },
      threads: [{ type: 'chat', text: 'x'.repeat(2100) }],
    });
    const tooBig = await s.call('POST', 'conversations', big);
    assert.equal(tooBig.status, 413);
    // A 413 did nothing, so it may be sent again (smaller): no conversation, no customer.
    assert.equal(s.emu.state().conversations.length, 1);
    const named = () => s.emu.state().customers.some((c) => JSON.stringify(c).includes('never.created@'));
    assert.equal(named(), false);
    const smaller = { ...big, threads: [{ type: 'chat', text: 'x'.repeat(100) }] };
    assert.equal((await s.call('POST', 'conversations', smaller)).status, 201);
    assert.equal(named(), true);
    const id = await createConversation(s);
    const note = (n: number) => s.call('POST', `conversations/${id}/notes`, { text: 'y'.repeat(n) });
    assert.equal((await note(900)).status, 201);
    assert.equal((await note(1100)).status, 413);
  } finally {
    await s.close();
  }
});

test('an unknown route is a loud 404 naming the method and path', async () => {
  const s = await openSession();
  try {
    const res = await s.call('GET', 'conversation/1');
    assert.equal(res.status, 404);
    assert.match(res.json.message, /GET \/v2\/conversation\/1/);
    const wrongMethod = await s.call('PATCH', 'mailboxes');
    assert.equal(wrongMethod.status, 404);
    assert.match(wrongMethod.json.message, /PATCH \/v2\/mailboxes/);
    const outside = await send(`${s.emu.url.replace('/v2/', '/')}v1/conversations`);
    assert.equal(outside.status, 404);
    assert.equal((await s.call('GET', 'mailboxes')).status, 200);
  } finally {
    await s.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConversation, openSession, send } from './emulator-helpers.js';

test('/_emulator/state and /_emulator/stats answer without auth or rate limit', async () => {
  const s = await openSession({ rateLimitPerMinute: 2 });
  try {
    const id = await createConversation(s);
    const admin = s.emu.url.replace(/\/v2\/$/, '/_emulator/');
    const state = await send(`${admin}state`);
    assert.equal(state.status, 200);
    assert.equal(state.json.conversations[0].id, id);
    assert.equal(state.json.conversations[0].threads[0].body, 'Hello');
    const stats = await send(`${admin}stats`);
    assert.equal(stats.json.requests['POST /v2/conversations']['201'], 1);
    assert.equal(stats.json.pointsSpent, 2);
    assert.equal(
      (await s.call('GET', 'mailboxes')).status,
      429,
      'the API budget is spent, admin still answers',
    );
    assert.equal((await send(`${admin}state`)).status, 200);
    assert.equal((await send(`${admin}nothing`)).status, 404);
  } finally {
    await s.close();
  }
});

test('PUT /_emulator/faults sets and clears faults; POST /_emulator/merge merges', async () => {
  const s = await openSession();
  try {
    const admin = s.emu.url.replace(/\/v2\/$/, '/_emulator/');
    const a = await createConversation(s);
    const b = await createConversation(s);
    const put = await send(`${admin}faults`, { method: 'PUT', body: { serverErrorBeforeCommit: 1 } });
    assert.equal(put.status, 204);
    assert.ok((await s.call('POST', `conversations/${a}/notes`, { text: 'x' })).status >= 500);
    await send(`${admin}faults`, {
      method: 'PUT',
      body: 'null',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal((await s.call('POST', `conversations/${a}/notes`, { text: 'x' })).status, 201);
    const merge = await send(`${admin}merge`, { method: 'POST', body: { from: a, into: b } });
    assert.equal(merge.status, 204);
    assert.equal((await s.call('GET', `conversations/${a}`)).status, 301);
    const again = await send(`${admin}merge`, { method: 'POST', body: { from: a, into: b } });
    assert.equal(again.status, 404);
    assert.equal((await send(`${admin}merge`, { method: 'POST', body: { from: 'x' } })).status, 400);
  } finally {
    await s.close();
  }
});

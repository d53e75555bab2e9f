import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { chatThreads, createConversation, openSession, send } from './emulator-helpers.js';

test('GET /conversations/{id} has the recorded shape: HAL JSON, threads as a count, tags as objects', async () => {
  const s = await openSession();
  try {
    // `assignTo: null`: an omitted one assigns by the inbox default (documented).
    const id = await createConversation(s, {
      tags: ['vip', 'pro'],
      threads: chatThreads(2),
      assignTo: null,
    });
    const res = await s.call('GET', `conversations/${id}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/hal+json;charset=UTF-8');
    const c = res.json;
    assert.equal(c.id, id);
    assert.equal(c.threads, 2);
    assert.equal(c.mailboxId, 1);
    assert.equal(c.status, 'active');
    assert.equal(c.assignee, undefined, 'unassigned conversations omit assignee');
    assert.deepEqual(
      c.tags.map((t: { tag: string }) => t.tag),
      ['pro', 'vip'],
    );
    assert.equal(typeof c.tags[0].id, 'number');
    assert.equal(c.primaryCustomer.id, 501);
    assert.equal(c.primaryCustomer.email, 'maria.rossi@example.org');
    assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(c._links.threads.href, `${s.emu.url}conversations/${id}/threads/`);
    assert.equal((await s.call('GET', 'conversations/4242')).status, 404);
  } finally {
    await s.close();
  }
});

test('a merged conversation answers 301 with Location to the surviving one', async () => {
  const s = await openSession();
  try {
    const a = await createConversation(s);
    const b = await createConversation(s);
    assert.equal((await s.call('GET', `conversations/${a}`)).status, 200);
    s.emu.merge(a, b);
    const moved = await s.call('GET', `conversations/${a}`);
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, `${s.emu.url}conversations/${b}`);
    assert.equal(
      (await s.call('GET', `conversations/${b}`)).json.threads,
      2,
      'threads moved into the survivor',
    );
    const movedThreads = await s.call('GET', `conversations/${a}/threads`);
    assert.equal(movedThreads.status, 301);
    assert.equal(movedThreads.headers.location, `${s.emu.url}conversations/${b}/threads`);
  } finally {
    await s.close();
  }
});

test('the thread list is newest first, 25 a page, with _links.next only before the last page', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const s = await openSession({ clock });
  try {
    const threads = chatThreads(30).map((t, i) => ({
      ...t,
      createdAt: `2019-01-01T10:${String(i).padStart(2, '0')}:00Z`,
    }));
    const id = await createConversation(s, { imported: true, threads });
    const first = await s.call('GET', `conversations/${id}/threads`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.json.page, { size: 25, totalElements: 30, totalPages: 2, number: 1 });
    const items = first.json._embedded.threads;
    assert.equal(items.length, 25);
    assert.equal(items[0].body, 'line 30');
    assert.equal(items[0].createdAt, '2019-01-01T10:29:00Z');
    assert.equal(items[0].type, 'chat');
    assert.equal(items[0].customer.id, 501);
    assert.equal(items[0].createdBy.type, 'customer');
    assert.deepEqual(items[0]._embedded.attachments, []);
    assert.ok(first.json._links.next, 'next on page 1');
    const second = await send(first.json._links.next.href, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    assert.equal(second.status, 200);
    assert.equal(second.json._embedded.threads.length, 5);
    assert.equal(second.json._embedded.threads[4].body, 'line 1');
    assert.equal(second.json._links.next, undefined, 'no next on the last page');
    const bad = await s.call('GET', `conversations/${id}/threads?page=0`);
    assert.equal(bad.status, 400);
  } finally {
    await s.close();
  }
});

test('thread attachments read back as filename, mimeType, decoded size, width/height 0 and _links', async () => {
  const s = await openSession({ threadPageSize: 50 });
  try {
    const data = Buffer.from('This is an attachment.').toString('base64');
    const attachments = [{ fileName: 'file.txt', mimeType: 'file/txt', data }];
    const id = await createConversation(s, { threads: [{ type: 'chat', text: 'x', attachments }] });
    const res = await s.call('GET', `conversations/${id}/threads`);
    assert.equal(res.json.page.size, 50);
    const [att] = res.json._embedded.threads[0]._embedded.attachments;
    assert.equal(att.filename, 'file.txt');
    assert.equal(att.fileName, undefined);
    assert.equal(att.mimeType, 'file/txt');
    assert.equal(att.size, 22);
    assert.equal(att.width, 0);
    assert.equal(att.height, 0);
    assert.ok(att._links.data.href);
  } finally {
    await s.close();
  }
});

test('PUT /conversations/{id}/tags replaces the tag set (204); a body without tags is 400', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s, { tags: ['old'] });
    const put = await s.call('PUT', `conversations/${id}/tags`, { tags: ['vip', 'pro'] });
    assert.equal(put.status, 204);
    assert.equal(put.text, '');
    const tags = (await s.call('GET', `conversations/${id}`)).json.tags.map((t: { tag: string }) => t.tag);
    assert.deepEqual(tags, ['pro', 'vip']);
    assert.equal((await s.call('PUT', `conversations/${id}/tags`, { labels: ['x'] })).status, 400);
    assert.equal((await s.call('PUT', 'conversations/99/tags', { tags: ['x'] })).status, 404);
  } finally {
    await s.close();
  }
});

test('DELETE /conversations/{id} answers 204; the conversation is gone, a second delete is 404', async () => {
  const s = await openSession();
  try {
    const id = await createConversation(s);
    assert.equal((await s.call('DELETE', `conversations/${id}`)).status, 204);
    assert.equal(s.emu.state().conversations.length, 0);
    assert.equal((await s.call('GET', `conversations/${id}`)).status, 404);
    assert.equal((await s.call('DELETE', `conversations/${id}`)).status, 404);
  } finally {
    await s.close();
  }
});

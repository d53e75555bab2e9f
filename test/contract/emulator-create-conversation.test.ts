import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { chatThreads, conversationBody, errorPaths, openSession } from './emulator-helpers.js';

test('201 with an empty text/plain body, Resource-ID and Location; the conversation is stored', async () => {
  const s = await openSession();
  try {
    const res = await s.call('POST', 'conversations', conversationBody({ tags: ['vip'] }));
    assert.equal(res.status, 201);
    assert.equal(res.text, '');
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const id = Number(res.headers['resource-id']);
    assert.ok(id >= 100001);
    assert.equal(res.headers.location, `${s.emu.url}conversations/${id}`);
    const [conv] = s.emu.state().conversations;
    assert.equal(conv?.id, id);
    assert.equal(conv?.subject, 'Order 1234');
    assert.deepEqual(conv?.tags, ['vip']);
    assert.equal(conv?.threads[0]?.body, 'Hello');
    assert.equal(conv?.threads[0]?.customerId, 501, 'a thread without customer inherits the conversation’s');
  } finally {
    await s.close();
  }
});

test('required fields: subject, type, mailboxId, status, customer, threads each give a 400 with its path', async () => {
  const s = await openSession();
  try {
    const res = await s.call('POST', 'conversations', { type: 'fax', mailboxId: 1 });
    assert.equal(res.status, 400);
    assert.deepEqual(errorPaths(res).sort(), ['customer', 'status', 'subject', 'threads', 'type']);
    assert.equal(s.emu.state().conversations.length, 0);
  } finally {
    await s.close();
  }
});

test('mailboxId may be a numeric string; an unknown mailbox is 400 mailboxId', async () => {
  const s = await openSession();
  try {
    assert.equal((await s.call('POST', 'conversations', conversationBody({ mailboxId: '1' }))).status, 201);
    const unknown = await s.call('POST', 'conversations', conversationBody({ mailboxId: 77 }));
    assert.equal(unknown.status, 400);
    assert.deepEqual(errorPaths(unknown), ['mailboxId']);
  } finally {
    await s.close();
  }
});

test('1 to 100 threads: 0 is 400, 100 is 201, 101 is 412', async () => {
  const s = await openSession();
  try {
    const none = await s.call('POST', 'conversations', conversationBody({ threads: [] }));
    assert.equal(none.status, 400);
    assert.deepEqual(errorPaths(none), ['threads']);
    assert.equal(
      (await s.call('POST', 'conversations', conversationBody({ threads: chatThreads(100) }))).status,
      201,
    );
    const over = await s.call('POST', 'conversations', conversationBody({ threads: chatThreads(101) }));
    assert.equal(over.status, 412);
    assert.equal(s.emu.state().conversations.length, 1);
  } finally {
    await s.close();
  }
});

test('createdAt and closedAt are honoured only with imported: true; otherwise the clock’s now is stored', async () => {
  const clock = new FakeClock(Date.UTC(2026, 2, 3, 4, 5, 6));
  const s = await openSession({ clock });
  try {
    const dated = {
      status: 'closed',
      createdAt: '2019-01-01T10:00:00Z',
      closedAt: '2019-01-02T10:00:00Z',
      threads: [{ type: 'chat', text: 'old', createdAt: '2019-01-01T10:00:00Z' }],
    };
    await s.call('POST', 'conversations', conversationBody({ ...dated, imported: true }));
    await s.call('POST', 'conversations', conversationBody(dated));
    const [imported, live] = s.emu.state().conversations;
    assert.equal(imported?.createdAt, '2019-01-01T10:00:00Z');
    assert.equal(imported?.closedAt, '2019-01-02T10:00:00Z');
    assert.equal(imported?.threads[0]?.createdAt, '2019-01-01T10:00:00Z');
    assert.equal(imported?.threads[0]?.imported, true);
    assert.equal(live?.createdAt, '2026-03-03T04:05:06Z');
    assert.equal(live?.closedAt, '2026-03-03T04:05:06Z');
    assert.equal(live?.threads[0]?.createdAt, '2026-03-03T04:05:06Z');
    assert.equal(live?.threads[0]?.imported, false);
  } finally {
    await s.close();
  }
});

test('dates must be yyyy-MM-ddTHH:mm:ssZ exactly: milliseconds are a 400 with the path', async () => {
  const s = await openSession();
  try {
    const ms = await s.call(
      'POST',
      'conversations',
      conversationBody({
        imported: true,
        createdAt: '2019-01-01T10:00:00.000Z',
        threads: [
          { type: 'chat', text: 'a', createdAt: '2019-01-01T10:00:00Z' },
          { type: 'chat', text: 'b', createdAt: '2019-01-01T10:00:01.123Z' },
        ],
      }),
    );
    assert.equal(ms.status, 400);
    assert.deepEqual(errorPaths(ms).sort(), ['createdAt', 'threads[1].createdAt']);
    const offset = await s.call(
      'POST',
      'conversations',
      conversationBody({ threads: [{ type: 'chat', text: 'a', createdAt: '2019-01-01T10:00:00+01:00' }] }),
    );
    assert.deepEqual(errorPaths(offset), ['threads[0].createdAt']);
  } finally {
    await s.close();
  }
});

test('inline thread types: reply is stored as message by its user; unknown type, missing text, bad user → 400', async () => {
  const s = await openSession();
  try {
    const threads = [
      { type: 'customer', text: 'q' },
      { type: 'reply', text: 'a', user: 2 },
      { type: 'note', text: 'n' },
      { type: 'phone', text: 'p' },
      { type: 'chat', text: 'c' },
    ];
    assert.equal((await s.call('POST', 'conversations', conversationBody({ threads }))).status, 201);
    const stored = s.emu.state().conversations[0]?.threads ?? [];
    assert.deepEqual(
      stored.map((t) => t.type),
      ['customer', 'message', 'note', 'phone', 'chat'],
    );
    assert.deepEqual(stored[1]?.createdBy, { type: 'user', id: 2 });
    assert.deepEqual(
      stored[2]?.createdBy,
      { type: 'user', id: 1 },
      'a note without user is the token owner’s',
    );
    assert.deepEqual(stored[0]?.createdBy, { type: 'customer', id: 501 });
    const bad = await s.call(
      'POST',
      'conversations',
      conversationBody({
        threads: [
          { type: 'email', text: 'x' },
          { type: 'chat', text: '' },
          { type: 'reply', text: 'r', user: 99 },
          { type: 'note', text: 'r', user: 4 },
        ],
      }),
    );
    assert.equal(bad.status, 400);
    assert.deepEqual(errorPaths(bad), [
      'threads[0].type',
      'threads[1].text',
      'threads[2].user',
      'threads[3].user',
    ]);
  } finally {
    await s.close();
  }
});

test('assignTo names an existing user (or null); tags must be names', async () => {
  const s = await openSession();
  try {
    assert.equal((await s.call('POST', 'conversations', conversationBody({ assignTo: 3 }))).status, 201);
    assert.equal((await s.call('POST', 'conversations', conversationBody({ assignTo: null }))).status, 201);
    assert.deepEqual(
      s.emu.state().conversations.map((c) => c.assigneeId),
      [3, null],
    );
    const bad = await s.call('POST', 'conversations', conversationBody({ assignTo: 42, tags: [7] }));
    assert.deepEqual(errorPaths(bad).sort(), ['assignTo', 'tags']);
  } finally {
    await s.close();
  }
});

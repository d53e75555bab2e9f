import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { createConversation, openSession, type Session } from './emulator-helpers.js';

const pessimistic = (o: EmulatorOptions = {}): EmulatorOptions => ({
  profile: 'pessimistic',
  tokenFaults: {},
  searchLagMs: 0,
  ...o,
});

interface ThreadRead {
  id: number;
  body: string;
  createdAt: string;
  _embedded: { attachments: unknown[] };
}

const threadsOf = async (s: Session, id: number): Promise<ThreadRead[]> => {
  const res = await s.call('GET', `conversations/${id}/threads`);
  assert.equal(res.status, 200, res.text);
  return res.json._embedded.threads;
};

const statusOf = async (s: Session, id: number): Promise<string> =>
  (await s.call('GET', `conversations/${id}`)).json.status;

test('replyReactivates (documented, default on): an imported reply or note without status makes the conversation active', async () => {
  const on = await openSession();
  const off = await openSession({ replyReactivates: false });
  try {
    const closed = { imported: true, status: 'closed' };
    const reply = { customer: { id: 501 }, text: 'r', imported: true };
    const a = await createConversation(on, closed);
    assert.equal((await on.call('POST', `conversations/${a}/reply`, reply)).status, 201);
    assert.equal(await statusOf(on, a), 'active');
    const b = await createConversation(on, closed);
    assert.equal(
      (await on.call('POST', `conversations/${b}/notes`, { text: 'n', imported: true })).status,
      201,
    );
    assert.equal(await statusOf(on, b), 'active');
    const c = await createConversation(on, closed);
    await on.call('POST', `conversations/${c}/reply`, { ...reply, status: 'closed' });
    await on.call('POST', `conversations/${c}/chats`, { customer: { id: 501 }, text: 'c', imported: true });
    assert.equal(await statusOf(on, c), 'closed', 'status sent, and imported chat lines, change nothing');
    assert.deepEqual(
      on.emu.audit().reopenedByAppend.map((r) => [r.conversationId, r.from]),
      [
        [a, 'closed'],
        [b, 'closed'],
      ],
    );

    const d = await createConversation(off, closed);
    await off.call('POST', `conversations/${d}/reply`, reply);
    await off.call('POST', `conversations/${d}/notes`, { text: 'n', imported: true });
    assert.equal(await statusOf(off, d), 'closed');
    assert.deepEqual(off.emu.audit().reopenedByAppend, []);
  } finally {
    await Promise.all([on.close(), off.close()]);
  }
});

test('autoAssign (documented, default on): an omitted assignTo assigns the inbox default; null leaves it unassigned', async () => {
  const on = await openSession();
  const off = await openSession({ autoAssign: false });
  try {
    const omitted = await createConversation(on);
    const none = await createConversation(on, { assignTo: null });
    const ben = await createConversation(on, { assignTo: 2 });
    assert.equal((await on.call('GET', `conversations/${omitted}`)).json.assignee.id, 1);
    assert.equal((await on.call('GET', `conversations/${none}`)).json.assignee, undefined);
    assert.equal((await on.call('GET', `conversations/${ben}`)).json.assignee.id, 2);
    assert.deepEqual(on.emu.audit().autoAssigned, [{ conversationId: omitted, userId: 1 }]);
    const unassigned = await createConversation(off);
    assert.equal((await off.call('GET', `conversations/${unassigned}`)).json.assignee, undefined);
    assert.deepEqual(off.emu.audit().autoAssigned, []);
  } finally {
    await Promise.all([on.close(), off.close()]);
  }
});

test('rewriteBodies: friendly stores the text as sent; worse reads it back rewritten', async () => {
  const text = 'Hi &quot;Ann&quot;,<br>it&#39;s <b>done</b> &amp; paid.  \r\nBye<BR/>';
  const friendly = await openSession();
  const worse = await openSession(pessimistic());
  try {
    const a = await createConversation(friendly, { threads: [{ type: 'chat', text }] });
    assert.equal((await threadsOf(friendly, a))[0]?.body, text);
    const b = await createConversation(worse, { threads: [{ type: 'chat', text }] });
    const rewritten = 'Hi "Ann",<br />it\'s <b>done</b> &amp; paid.\nBye<br />';
    assert.equal((await threadsOf(worse, b))[0]?.body, rewritten);
    assert.equal(
      (await worse.call('POST', `conversations/${b}/notes`, { text, status: 'active' })).status,
      201,
    );
    assert.equal((await threadsOf(worse, b))[0]?.body, rewritten);
    assert.equal(worse.emu.audit().bodiesRewritten.length, 2);
    assert.equal(friendly.emu.audit().bodiesRewritten.length, 0);
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

test('inlineCreatedAtNeedsThreadImported: worse keeps an inline createdAt only with the thread own imported: true', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const body = {
    imported: true,
    threads: [
      { type: 'chat', text: 'top-level imported only', createdAt: '2019-05-01T10:00:00Z' },
      { type: 'chat', text: 'own flag', createdAt: '2019-05-01T10:05:00Z', imported: true },
    ],
  };
  const friendly = await openSession({ clock });
  const worse = await openSession(pessimistic({ clock }));
  try {
    const a = await createConversation(friendly, body);
    const times = (await threadsOf(friendly, a)).map((t) => t.createdAt).sort();
    assert.deepEqual(times, ['2019-05-01T10:00:00Z', '2019-05-01T10:05:00Z']);
    const b = await createConversation(worse, body);
    const worseTimes = (await threadsOf(worse, b)).map((t) => t.createdAt).sort();
    assert.deepEqual(worseTimes, ['2019-05-01T10:05:00Z', '2026-01-01T12:00:00Z']);
    const ignored = worse.emu.audit().createdAtIgnored;
    assert.deepEqual(
      ignored.map((i) => [i.conversationId, i.sent, i.stored]),
      [[b, '2019-05-01T10:00:00Z', '2026-01-01T12:00:00Z']],
    );
    assert.deepEqual(friendly.emu.audit().createdAtIgnored, []);
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

test('dropInlineAttachments: worse answers 201 and keeps no file of a Create Conversation thread', async () => {
  const attachment = {
    fileName: 'a.txt',
    mimeType: 'text/plain',
    data: Buffer.from('file').toString('base64'),
  };
  const body = { threads: [{ type: 'chat', text: 'see file', attachments: [attachment] }] };
  const friendly = await openSession();
  const worse = await openSession(pessimistic());
  try {
    const a = await createConversation(friendly, body);
    assert.equal((await threadsOf(friendly, a))[0]?._embedded.attachments.length, 1);
    const b = await createConversation(worse, body);
    const [thread] = await threadsOf(worse, b);
    assert.deepEqual(thread?._embedded.attachments, []);
    assert.deepEqual(worse.emu.audit().attachmentsDropped, [
      { conversationId: b, threadId: thread?.id, fileName: 'a.txt' },
    ]);
    // Appended threads keep theirs.
    const chat = { customer: { id: 501 }, text: 'again', attachments: [attachment] };
    assert.equal((await worse.call('POST', `conversations/${b}/chats`, chat)).status, 201);
    assert.equal((await threadsOf(worse, b))[0]?._embedded.attachments.length, 1);
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

test('threadIdHeader: friendly thread creates send Resource-ID; worse send none', async () => {
  const friendly = await openSession();
  const worse = await openSession(pessimistic());
  try {
    const chat = { customer: { id: 501 }, text: 'x' };
    const a = await createConversation(friendly);
    const b = await createConversation(worse);
    assert.match(
      String((await friendly.call('POST', `conversations/${a}/chats`, chat)).headers['resource-id']),
      /^\d+$/,
    );
    const res = await worse.call('POST', `conversations/${b}/chats`, chat);
    assert.equal(res.status, 201);
    assert.equal(res.headers['resource-id'], undefined);
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

test('customers with several emails: seeded extras are matched; otherPrimaryEmail gives new customers primary.<sent>', async () => {
  const seed = {
    customers: [{ id: 501, email: 'maria@example.org', emails: ['m.rossi@example.com'], firstName: 'Maria' }],
  };
  const friendly = await openSession({ seed });
  const worse = await openSession(pessimistic({ seed }));
  try {
    for (const s of [friendly, worse]) {
      const id = await createConversation(s, { customer: { email: 'm.rossi@example.com' } });
      const c = (await s.call('GET', `conversations/${id}`)).json;
      assert.equal(c.primaryCustomer.id, 501, 'any of its emails finds the customer');
      assert.equal(c.primaryCustomer.email, 'maria@example.org', 'lists show the primary');
      const found = await s.call('GET', 'conversations?query=(email:"m.rossi@example.com")');
      assert.deepEqual(
        found.json._embedded.conversations.map((x: { id: number }) => x.id),
        [id],
      );
    }
    const sent = { email: 'new.person@example.net', firstName: 'New' };
    const a = await createConversation(friendly, { customer: sent });
    assert.equal((await friendly.call('GET', `conversations/${a}`)).json.primaryCustomer.email, sent.email);

    const b = await createConversation(worse, { customer: sent });
    const primary = (await worse.call('GET', `conversations/${b}`)).json.primaryCustomer;
    assert.equal(primary.email, 'primary.new.person@example.net');
    const customer = (await worse.call('GET', `customers/${primary.id}`)).json;
    assert.deepEqual(
      customer._embedded.emails.map((e: { value: string }) => e.value),
      ['primary.new.person@example.net', 'new.person@example.net'],
    );
    const again = await createConversation(worse, { customer: sent });
    assert.equal((await worse.call('GET', `conversations/${again}`)).json.primaryCustomer.id, primary.id);
    const search = await worse.call('GET', `customers?query=(email:"${sent.email}")`);
    assert.deepEqual(
      search.json._embedded.customers.map((x: { id: number }) => x.id),
      [primary.id],
    );
    assert.deepEqual(worse.emu.audit().primaryEmailChanged, [
      { customerId: primary.id, sent: sent.email, primary: 'primary.new.person@example.net' },
    ]);
    assert.deepEqual(friendly.emu.audit().primaryEmailChanged, []);
  } finally {
    await Promise.all([friendly.close(), worse.close()]);
  }
});

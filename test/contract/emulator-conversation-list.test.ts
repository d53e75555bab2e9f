import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../src/util/clock.js';
import { createConversation, openSession, type Session } from './emulator-helpers.js';

const ids = async (s: Session, query: string): Promise<number[]> => {
  const res = await s.call('GET', `conversations${query}`);
  assert.equal(res.status, 200, res.text);
  return (res.json._embedded?.conversations ?? []).map((c: { id: number }) => c.id);
};

test('status defaults to active; status=all lists every status; an unknown status is 400', async () => {
  const s = await openSession();
  try {
    const active = await createConversation(s);
    const closed = await createConversation(s, { status: 'closed' });
    const pending = await createConversation(s, { status: 'pending' });
    assert.deepEqual(await ids(s, ''), [active]);
    assert.deepEqual(await ids(s, '?status=all'), [pending, closed, active]);
    assert.deepEqual(await ids(s, '?status=closed'), [closed]);
    assert.equal((await s.call('GET', 'conversations?status=open')).status, 400);
  } finally {
    await s.close();
  }
});

test('mailbox, tag and modifiedSince filter the list', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 10, 0, 0));
  const s = await openSession({
    clock,
    seed: {
      mailboxes: [
        { id: 1, name: 'Support', slug: 's', email: 's@example.com' },
        { id: 2, name: 'B', slug: 'b', email: 'b@example.com' },
      ],
    },
  });
  try {
    const one = await createConversation(s, { tags: ['migrated'] });
    clock.advance(60_000);
    const two = await createConversation(s, { mailboxId: 2 });
    assert.deepEqual(await ids(s, '?mailbox=2'), [two]);
    assert.deepEqual(await ids(s, '?tag=migrated'), [one]);
    assert.deepEqual(await ids(s, '?modifiedSince=2026-01-01T10:00:30Z'), [two]);
    assert.equal((await s.call('GET', 'conversations?modifiedSince=2026-01-01T10:00:30.000Z')).status, 400);
  } finally {
    await s.close();
  }
});

test('sortField and sortOrder order the list; default is newest createdAt first; bad values are 400', async () => {
  const s = await openSession();
  try {
    const a = await createConversation(s, {
      imported: true,
      createdAt: '2019-01-02T00:00:00Z',
      subject: 'b',
    });
    const b = await createConversation(s, {
      imported: true,
      createdAt: '2019-01-01T00:00:00Z',
      subject: 'c',
    });
    const c = await createConversation(s, {
      imported: true,
      createdAt: '2019-01-03T00:00:00Z',
      subject: 'a',
    });
    assert.deepEqual(await ids(s, ''), [c, a, b]);
    assert.deepEqual(await ids(s, '?sortField=createdAt&sortOrder=asc'), [b, a, c]);
    assert.deepEqual(await ids(s, '?sortField=number&sortOrder=asc'), [a, b, c]);
    assert.deepEqual(await ids(s, '?sortField=subject&sortOrder=asc'), [c, a, b]);
    assert.equal((await s.call('GET', 'conversations?sortField=colour')).status, 400);
    assert.equal((await s.call('GET', 'conversations?sortOrder=up')).status, 400);
  } finally {
    await s.close();
  }
});

test('pages of listPageSize with _links.next until the last page', async () => {
  const s = await openSession({ listPageSize: 2 });
  try {
    for (let i = 0; i < 3; i++) await createConversation(s);
    const p1 = await s.call('GET', 'conversations?status=all');
    assert.deepEqual(p1.json.page, { size: 2, totalElements: 3, totalPages: 2, number: 1 });
    assert.match(p1.json._links.next.href, /page=2/);
    const p2 = await s.call('GET', 'conversations?status=all&page=2');
    assert.equal(p2.json._embedded.conversations.length, 1);
    assert.equal(p2.json._links.next, undefined);
  } finally {
    await s.close();
  }
});

test('query supports (email:"x"), (subject:"…") and both joined with AND; other syntax is 400', async () => {
  const s = await openSession();
  try {
    const maria = await createConversation(s, { subject: 'Refund for order 77' });
    const kenji = await createConversation(s, { subject: 'Refund please', customer: { id: 502 } });
    const q = (text: string) => `?query=${encodeURIComponent(text)}`;
    assert.deepEqual(await ids(s, q('(email:"maria.rossi@example.org")')), [maria]);
    assert.deepEqual(await ids(s, q('(subject:"refund")')), [kenji, maria]);
    assert.deepEqual(await ids(s, q('(subject:"refund") AND (email:"kenji.sato@example.jp")')), [kenji]);
    assert.deepEqual(await ids(s, q('(email:"nobody@example.org")')), []);
    assert.equal((await s.call('GET', `conversations${q('(body:"x")')}`)).status, 400);
  } finally {
    await s.close();
  }
});

test('searchLagMs: a new conversation is listed only once the lag has passed', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const s = await openSession({ clock, searchLagMs: 30_000 });
  try {
    const id = await createConversation(s);
    assert.deepEqual(await ids(s, '?query=(subject:"Order")'), []);
    clock.advance(29_999);
    assert.deepEqual(await ids(s, ''), []);
    clock.advance(1);
    assert.deepEqual(await ids(s, ''), [id]);
    assert.deepEqual(await ids(s, '?query=(subject:"Order")'), [id]);
    assert.equal((await s.call('GET', `conversations/${id}`)).status, 200, 'a direct read does not lag');
  } finally {
    await s.close();
  }
});

test('an empty page has _embedded present but empty by default, absent with emptyPageEmbedded: absent', async () => {
  const present = await openSession();
  const absent = await openSession({ emptyPageEmbedded: 'absent' });
  try {
    const a = await present.call('GET', 'conversations');
    assert.deepEqual(a.json._embedded, { conversations: [] });
    assert.deepEqual(a.json.page, { size: 50, totalElements: 0, totalPages: 0, number: 1 });
    const b = await absent.call('GET', 'conversations');
    assert.equal(b.json._embedded, undefined);
    assert.ok(b.json.page);
  } finally {
    await present.close();
    await absent.close();
  }
});

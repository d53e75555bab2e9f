import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type EmulatorOptions, PROFILES } from '../../src/emulator/index.js';
import { FakeClock } from '../../src/util/clock.js';
import { createConversation, openSession, type Session } from './emulator-helpers.js';

/** The pessimistic profile with a token endpoint that never fails, so the session can start. */
const pessimistic = (o: EmulatorOptions = {}): EmulatorOptions => ({
  profile: 'pessimistic',
  tokenFaults: {},
  ...o,
});

const ids = async (s: Session, query: string): Promise<number[]> => {
  const res = await s.call('GET', `conversations${query}`);
  assert.equal(res.status, 200, res.text);
  return (res.json._embedded?.conversations ?? []).map((c: { id: number }) => c.id);
};

test('profiles: documented behaviour on in both, every open question friendly or worse', () => {
  const { optimistic: o, pessimistic: p } = PROFILES;
  assert.equal(o.replyReactivates && p.replyReactivates, true);
  assert.equal(o.autoAssign && p.autoAssign, true);
  assert.deepEqual(
    [o.searchLagMs, o.maxThreadRequestBytes, o.maxCreateConversationBytes, o.threadIdHeader],
    [0, 10 * 1024 * 1024, 256 * 1024, true],
  );
  assert.deepEqual(
    [p.searchLagMs, p.maxThreadRequestBytes, p.maxCreateConversationBytes, p.threadIdHeader],
    [75_000, 102_400, 256_000, false],
  );
  for (const key of [
    'historicModifiedAt',
    'rewriteBodies',
    'inlineCreatedAtNeedsThreadImported',
    'dropInlineAttachments',
    'otherPrimaryEmail',
    'listDeleted',
  ] as const) {
    assert.equal(o[key], false, key);
    assert.equal(p[key], true, key);
  }
  assert.equal(o.tokenFaults, undefined);
  assert.ok(p.tokenFaults);
});

test('search lag: friendly lists at once; pessimistic after 75 s of the injected clock; an explicit option wins', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const friendly = await openSession({ clock });
  const worse = await openSession(pessimistic({ clock }));
  const overridden = await openSession(pessimistic({ clock, searchLagMs: 0 }));
  try {
    const a = await createConversation(friendly);
    const b = await createConversation(worse);
    const c = await createConversation(overridden);
    assert.deepEqual(await ids(friendly, ''), [a]);
    assert.deepEqual(await ids(overridden, ''), [c]);
    assert.deepEqual(await ids(worse, ''), []);
    assert.deepEqual(await ids(worse, '?query=(subject:"Order")'), []);
    clock.advance(74_999);
    assert.deepEqual(await ids(worse, '?status=all'), []);
    clock.advance(1);
    assert.deepEqual(await ids(worse, ''), [b]);
    assert.deepEqual(await ids(worse, '?query=(subject:"Order")'), [b]);
  } finally {
    await Promise.all([friendly.close(), worse.close(), overridden.close()]);
  }
});

test('historicModifiedAt: an imported conversation is modified at its newest imported time, which modifiedSince sees', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const imported = {
    imported: true,
    status: 'closed',
    createdAt: '2019-03-01T10:00:00Z',
    closedAt: '2019-03-01T11:00:00Z',
    threads: [
      { type: 'chat', text: 'a', createdAt: '2019-03-01T10:00:00Z', imported: true },
      { type: 'chat', text: 'b', createdAt: '2019-03-01T10:30:00Z', imported: true },
    ],
  };
  const friendly = await openSession({ clock });
  const worse = await openSession(pessimistic({ clock, searchLagMs: 0 }));
  const only = await openSession({ clock, historicModifiedAt: true });
  try {
    const runStart = '2026-01-01T12:00:00Z';
    const a = await createConversation(friendly, imported);
    const b = await createConversation(worse, imported);
    const c = await createConversation(only, imported);
    assert.equal((await friendly.call('GET', `conversations/${a}`)).json.userUpdatedAt, runStart);
    assert.deepEqual(await ids(friendly, `?status=all&modifiedSince=${runStart}`), [a]);
    for (const [s, id] of [
      [worse, b],
      [only, c],
    ] as const) {
      assert.equal((await s.call('GET', `conversations/${id}`)).json.userUpdatedAt, '2019-03-01T11:00:00Z');
      assert.deepEqual(await ids(s, `?status=all&modifiedSince=${runStart}`), []);
      assert.deepEqual(await ids(s, '?status=all&modifiedSince=2019-03-01T11:00:00Z'), [id]);
    }
    // An imported append moves it to that thread's time at most, never to the time of the write.
    clock.advance(60_000);
    const note = { text: 'n', imported: true, createdAt: '2019-03-02T09:00:00Z', status: 'closed' };
    assert.equal((await worse.call('POST', `conversations/${b}/notes`, note)).status, 201);
    assert.equal((await worse.call('GET', `conversations/${b}`)).json.userUpdatedAt, '2019-03-02T09:00:00Z');
    assert.equal((await friendly.call('POST', `conversations/${a}/notes`, note)).status, 201);
    assert.equal(
      (await friendly.call('GET', `conversations/${a}`)).json.userUpdatedAt,
      '2026-01-01T12:01:00Z',
    );
  } finally {
    await Promise.all([friendly.close(), worse.close(), only.close()]);
  }
});

test('listDeleted: friendly forgets a deleted conversation; worse keeps it listed and readable with state deleted', async () => {
  const friendly = await openSession();
  const worse = await openSession(pessimistic({ searchLagMs: 0 }));
  const only = await openSession({ listDeleted: true });
  try {
    const a = await createConversation(friendly);
    assert.equal((await friendly.call('DELETE', `conversations/${a}`)).status, 204);
    assert.deepEqual(await ids(friendly, '?status=all'), []);
    assert.equal((await friendly.call('GET', `conversations/${a}`)).status, 404);
    for (const s of [worse, only]) {
      const id = await createConversation(s);
      const kept = await createConversation(s);
      assert.equal((await s.call('DELETE', `conversations/${id}`)).status, 204);
      assert.deepEqual(await ids(s, '?status=all'), [kept, id]);
      const list = (await s.call('GET', 'conversations')).json._embedded.conversations;
      assert.deepEqual(
        list.map((c: { state: string }) => c.state),
        ['published', 'deleted'],
      );
      const read = await s.call('GET', `conversations/${id}`);
      assert.equal(read.status, 200);
      assert.equal(read.json.state, 'deleted');
      assert.equal((await s.call('POST', `conversations/${id}/notes`, { text: 'x' })).status, 404);
      assert.equal((await s.call('DELETE', `conversations/${id}`)).status, 404);
    }
  } finally {
    await Promise.all([friendly.close(), worse.close(), only.close()]);
  }
});

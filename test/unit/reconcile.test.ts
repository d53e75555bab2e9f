import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findConversation, findThread, normalizeBody } from '../../src/run/reconcile.js';
import { FakeHelpScout } from '../support/fake-api.js';
import { instantClock } from '../support/instant-clock.js';

const body = {
  subject: 'Where is my order?',
  type: 'chat' as const,
  mailboxId: 1,
  status: 'closed' as const,
  customer: { email: 'ana@example.com' },
  threads: [{ type: 'chat' as const, text: 'hello', createdAt: '2024-01-01T10:00:00Z' }],
  createdAt: '2024-01-01T10:00:00Z',
  tags: ['hs-import'],
};

const probe = {
  mailboxId: 1,
  tag: 'hs-import',
  since: '2026-01-01T00:00:00Z',
  subject: 'Where is my order?',
  createdAt: '2024-01-01T10:00:00Z',
  customer: { email: 'ANA@example.com' },
  knownIds: new Set<number>(),
};

describe('findConversation', () => {
  it('finds the conversation by subject, createdAt and customer, ignoring ones the import already knows', async () => {
    const api = new FakeHelpScout();
    const id = await api.createConversation(body);
    assert.equal(await findConversation(api, probe, { retries: 0, delayMs: 0 }, instantClock()), id);
    assert.equal(
      await findConversation(
        api,
        { ...probe, knownIds: new Set([id]) },
        { retries: 0, delayMs: 0 },
        instantClock(),
      ),
      undefined,
    );
    assert.equal(
      await findConversation(
        api,
        { ...probe, createdAt: '2024-01-01T10:00:01Z' },
        { retries: 0, delayMs: 0 },
        instantClock(),
      ),
      undefined,
    );
  });

  it('reads again while search lags, waiting longer each time, then gives up', async () => {
    const api = new FakeHelpScout();
    await api.createConversation(body);
    let calls = 0;
    const lagging = Object.create(api) as FakeHelpScout;
    lagging.listConversations = (query) => {
      calls += 1;
      // Two searches a round (modifiedSince, then the customer): empty for the first two rounds.
      return calls < 5 ? (async function* () {})() : api.listConversations(query);
    };
    const clock = instantClock();
    assert.ok((await findConversation(lagging, probe, { retries: 5, delayMs: 100 }, clock)) !== undefined);
    assert.equal(calls, 5);
    assert.equal(clock.slept, 100 + 200);
    calls = -100;
    const gaveUp = instantClock();
    assert.equal(await findConversation(lagging, probe, { retries: 2, delayMs: 100 }, gaveUp), undefined);
    assert.equal(gaveUp.slept, 100 + 200);
  });
});

describe('findThread', () => {
  it('finds a thread by type, exact time and body; identical ones count against those already recorded', async () => {
    const api = new FakeHelpScout();
    const id = await api.createConversation(body);
    const probeThread = {
      type: 'chat' as const,
      text: 'hello',
      createdAt: '2024-01-01T10:00:00Z',
      alreadyDone: 0,
    };
    assert.deepEqual((await findThread(api, id, probeThread)).found, true);
    assert.deepEqual(await findThread(api, id, { ...probeThread, alreadyDone: 1 }), { found: false });
    assert.deepEqual(await findThread(api, id, { ...probeThread, type: 'note' }), { found: false });
    await api.createThread(id, 'chats', { text: 'hello', createdAt: '2024-01-01T10:00:00Z', imported: true });
    assert.equal((await findThread(api, id, { ...probeThread, alreadyDone: 1 })).found, true);
  });

  it('compares bodies as a reader sees them', () => {
    assert.equal(normalizeBody('a<br />b\n  c'), normalizeBody('a<br>b c'));
    assert.notEqual(normalizeBody('a<br>b'), normalizeBody('ab'));
  });
});

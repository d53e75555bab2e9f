import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sendAll } from '../../src/run/send-all.js';
import type { SourceItem } from '../../src/source/types.js';
import { failedThreads } from '../../src/state/failures.js';
import type { StateStore } from '../../src/state/store.js';
import { Crash, FakeHelpScout } from '../support/fake-api.js';
import { memoryStore } from '../support/keep-alive.js';
import { planForSending, sendContextFor, stageItems } from '../support/send-harness.js';

/** One conversation `c`: a customer's line a minute, in order. */
function rows(texts: string[]): SourceItem[] {
  return texts.map((text, i) => ({
    kind: 'row',
    row: {
      pos: { file: 'x.csv', row: i + 1, line: i + 2, seq: i },
      conversationId: 'c',
      createdAt: `2024-05-01T10:0${i}:00Z`,
      text,
      role: 'customer',
      customer: { email: 'ana@example.com' },
      tags: [],
      attachments: [],
      raw: {},
    },
  }));
}

/** One process lifetime: stage, plan, send; a Crash ends it as a kill would. */
async function run(store: StateStore, api: FakeHelpScout, texts: string[], n: number, retryFailed = false) {
  await stageItems(store, rows(texts), n, { retryFailed });
  planForSending(store, 'batch', n);
  const ctx = sendContextFor(store, api, { strategy: 'batch', run: n });
  try {
    await sendAll(ctx, ctx.parts.toSend(), 1);
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

/** The conversations' thread texts, each conversation in date order. */
function helpScout(api: FakeHelpScout): string[][] {
  return [...api.conversations.values()].map((c) =>
    [...c.threads].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((t) => t.body),
  );
}

describe('a failed thread sent again keeps exactly once, across kills', () => {
  it('killed after the create that left the refused thread out: the rerun reads it back and appends the fixed one', async () => {
    const api = new FakeHelpScout();
    api.refuseText = 'REFUSE';
    // Write 1 is refused (naming b); write 2, the create without b, is carried out and the process dies.
    api.faults.set(2, 'crash-after-commit');
    const store = memoryStore();
    await run(store, api, ['a', 'b REFUSE', 'c', 'd'], 1);
    assert.deepEqual(helpScout(api), [['a', 'c', 'd']]);
    assert.equal(failedThreads(store).length, 1);

    await run(store, api, ['a', 'b fixed', 'c', 'd'], 2);
    assert.deepEqual(helpScout(api), [['a', 'b fixed', 'c', 'd']]);
    assert.deepEqual(failedThreads(store), []);
    const writes = api.writes;
    await run(store, api, ['a', 'b fixed', 'c', 'd'], 3, true);
    assert.equal(api.writes, writes, 'nothing left to send');
  });

  it('killed after the append of a retried thread: the rerun finds it and sends nothing twice', async () => {
    const api = new FakeHelpScout();
    api.refuseText = 'REFUSE';
    const store = memoryStore();
    await run(store, api, ['a', 'b REFUSE', 'c'], 1);
    assert.deepEqual(helpScout(api), [['a', 'c']]);

    api.refuseText = undefined;
    api.faults.set(api.writes + 1, 'crash-after-commit');
    await run(store, api, ['a', 'b REFUSE', 'c'], 2, true);
    assert.deepEqual(helpScout(api), [['a', 'b REFUSE', 'c']], 'the append was carried out');
    assert.equal(failedThreads(store).length, 0);

    await run(store, api, ['a', 'b REFUSE', 'c'], 3, true);
    assert.deepEqual(helpScout(api), [['a', 'b REFUSE', 'c']]);
  });

  it('a whole refused conversation, killed before its new create is sent: the rerun creates it once', async () => {
    const api = new FakeHelpScout();
    api.refuseText = 'REFUSE';
    const store = memoryStore();
    await run(store, api, ['REFUSE a'], 1);
    assert.equal(api.conversations.size, 0);

    api.faults.set(api.writes + 1, 'crash-before-send');
    await run(store, api, ['fixed a', 'b'], 2);
    assert.equal(api.conversations.size, 0);
    await run(store, api, ['fixed a', 'b'], 3);
    assert.deepEqual(helpScout(api), [['fixed a', 'b']]);
  });
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sendAll } from '../../src/run/send-all.js';
import type { SourceItem } from '../../src/source/types.js';
import type { StateStore } from '../../src/state/store.js';
import { Crash, FakeHelpScout, type Fault } from '../support/fake-api.js';
import { memoryStore } from '../support/keep-alive.js';
import { exactlyOnceProblems, planForSending, sendContextFor, stageItems } from '../support/send-harness.js';
import { tempDir } from '../support/temp-dir.js';

const FILE = join(tempDir('413'), 'photo.png');
writeFileSync(FILE, Buffer.alloc(9_000, 3));
const PHOTO = { path: FILE, relPath: 'photo.png', fileName: 'photo.png', mimeType: 'image/png', size: 9_000 };

/**
 * A conversation of 100 threads (planned as one create, all inline), one of 5, and one opening with a photo
 * larger than the server's limit for Create Conversation: the planner, at 256 KiB, sends each whole.
 */
function exportRows(): SourceItem[] {
  const items: SourceItem[] = [];
  const add = (conversationId: string, n: number, attach = false) => {
    for (let i = 0; i < n; i++) {
      const seq = items.length;
      items.push({
        kind: 'row',
        row: {
          pos: { file: 'x.csv', row: seq + 1, line: seq + 2, seq },
          conversationId,
          createdAt: `2024-05-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
          text: `${conversationId} line ${i} ${'words '.repeat(40)}`,
          role: i % 3 === 1 ? 'agent' : 'customer',
          customer: { email: `${conversationId}@example.com` },
          tags: [],
          attachments: attach && i === 0 ? [PHOTO] : [],
          raw: {},
        },
      });
    }
  };
  add('hundred', 100);
  add('five', 5);
  add('photo', 2, true);
  return items;
}

async function freshStore(): Promise<StateStore> {
  const store = memoryStore();
  await stageItems(store, exportRows());
  return store;
}

/** A server whose Create Conversation takes 6 KB, far below what the planner assumes. */
function smallServer(): FakeHelpScout {
  const api = new FakeHelpScout();
  api.maxCreateBytes = 6_000;
  return api;
}

/**
 * Process lifetimes until one ends without a Crash: each plans what is left and sends it. Returns the parts
 * the runs counted as planned again (summary.json's `parts.plannedAgainThisRun`, added up).
 */
async function runUntilDone(store: StateStore, api: FakeHelpScout): Promise<number> {
  let plannedAgain = 0;
  for (let run = 1; run <= 6; run++) {
    planForSending(store, 'batch');
    const ctx = sendContextFor(store, api, { strategy: 'batch', run });
    try {
      await sendAll(ctx, ctx.parts.toSend(), 2);
      return plannedAgain + ctx.stats.plannedAgain;
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      plannedAgain += ctx.stats.plannedAgain;
    }
  }
  throw new Error('never finished');
}

function problems(store: StateStore, api: FakeHelpScout): string[] {
  return exactlyOnceProblems(store, api, exportRows(), { allDone: true });
}

function ledger(store: StateStore, status: number): { resolution: string }[] {
  return store.prepare('SELECT resolution FROM writes WHERE http_status = ? ORDER BY id').all(status) as {
    resolution: string;
  }[];
}

describe('413 on Create Conversation: the part is planned again smaller', () => {
  it('sends every thread once, in order, with fewer inline and the rest appended; the photo follows its thread', async () => {
    const store = await freshStore();
    const api = smallServer();
    const plannedAgain = await runUntilDone(store, api);
    assert.deepEqual(problems(store, api), []);
    const refused = ledger(store, 413).map((w) => w.resolution);
    assert.ok(refused.length >= 3, refused.join('; '));
    assert.equal(plannedAgain, refused.length, 'each re-plan counted for the summary');
    assert.ok(
      refused.every((r) => r.startsWith('planned again: ')),
      refused.join('; '),
    );
    assert.ok(refused.includes('planned again: its first thread without its files, which follow'));
    // The 100th thread met the append cap once the others were appended: it went on in a part of its own.
    assert.equal(ledger(store, 412).length, 1);
    const hundred = store
      .prepare(
        "SELECT count(*) FROM parts WHERE conversation_key = 'hundred' AND hs_conversation_id IS NOT NULL",
      )
      .pluck()
      .get();
    assert.equal(hundred, 2);
    const photo = [...api.conversations.values()].find((c) => c.threads[0]?.body.startsWith('photo line 0'));
    assert.equal(photo?.threads[0]?.attachments[0]?.data, readFileSync(FILE).toString('base64'));
    for (const c of api.conversations.values()) assert.ok(c.threads.length <= 99, `${c.threads.length}`);
  });

  it('a kill, a lost answer or a 5xx at any write of it, then a rerun: still every thread exactly once', async () => {
    const clean = smallServer();
    await runUntilDone(await freshStore(), clean);
    const writes = clean.writes;
    const faults: Fault[] = [
      'crash-before-send',
      'crash-after-commit',
      'lost-after-commit',
      'server-error-before-commit',
    ];
    // The creates and their refusals come first; then every 9th write and the last ones.
    const points = Array.from({ length: writes }, (_, i) => i + 1).filter(
      (k) => k <= 10 || k % 9 === 0 || k > writes - 3,
    );
    for (const fault of faults) {
      for (const k of points) {
        const store = await freshStore();
        const api = smallServer();
        api.faults.set(k, fault);
        await runUntilDone(store, api);
        assert.deepEqual(problems(store, api), [], `${fault} at write ${k}`);
      }
    }
  });

  it('a thread whose text alone is over the thread endpoint limit opens a continuation part instead of failing', async () => {
    const store = await freshStore();
    const api = smallServer();
    // 'five' is created with a few threads inline; its appends of a 300-byte text and more are refused.
    api.maxThreadBytes = 300;
    await runUntilDone(store, api);
    assert.deepEqual(problems(store, api), []);
    assert.ok(
      ledger(store, 413).some((w) => w.resolution === 'continued in a new part'),
      JSON.stringify(ledger(store, 413)),
    );
  });

  it('fails the part only when one thread without files is still too large', async () => {
    const store = await freshStore();
    const api = new FakeHelpScout();
    api.maxCreateBytes = 500;
    planForSending(store, 'batch');
    const ctx = sendContextFor(store, api, { strategy: 'batch', run: 1 });
    await sendAll(ctx, ctx.parts.toSend(), 1);
    assert.equal(api.conversations.size, 0);
    const states = store.prepare('SELECT DISTINCT state FROM threads').pluck().all();
    assert.deepEqual(states, ['failed']);
    const last = ledger(store, 413).at(-1);
    assert.equal(last?.resolution, null);
  });
});

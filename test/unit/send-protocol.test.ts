import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/helpscout/errors.js';
import { planPending } from '../../src/run/plan.js';
import { sendAll } from '../../src/run/send-all.js';
import type { SendContext } from '../../src/run/send-part.js';
import { stageSource } from '../../src/run/stage.js';
import { emptyRunStats } from '../../src/run/stats.js';
import type { SourceItem, ThreadRow } from '../../src/source/types.js';
import { Parts } from '../../src/state/parts.js';
import type { StateStore } from '../../src/state/store.js';
import { WriteLog } from '../../src/state/write-log.js';
import { silentLogger } from '../../src/util/logger.js';
import { Crash, FakeHelpScout, type Fault } from '../support/fake-api.js';
import { instantClock } from '../support/instant-clock.js';
import { memoryStore } from '../support/keep-alive.js';

type Strategy = 'batch' | 'per-thread';

const BIG_FILE = join(mkdtempSync(join(tmpdir(), 'hs-import-protocol-')), 'scan.png');
writeFileSync(BIG_FILE, Buffer.alloc(300 * 1024, 7));
const BIG = {
  path: BIG_FILE,
  relPath: 'scan.png',
  fileName: 'scan.png',
  mimeType: 'image/png',
  size: 300 * 1024,
};

/**
 * A small export with a conversation over the cap, one whose threads do not all fit inline, and one that
 * opens with a file too large for Create Conversation.
 */
function exportRows(): SourceItem[] {
  const items: SourceItem[] = [];
  let seq = 0;
  const add = (
    conversationId: string,
    n: number,
    text: (i: number) => string,
    role: ThreadRow['role'] = 'customer',
  ) => {
    for (let i = 0; i < n; i++) {
      const s = seq++;
      items.push({
        kind: 'row',
        row: {
          pos: { file: 'x.csv', row: s + 1, line: s + 2, seq: s },
          conversationId,
          createdAt: `2024-05-01T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
          text: text(i),
          role: i % 3 === 1 ? 'agent' : role,
          customer: { email: `${conversationId}@example.com` },
          tags: [],
          attachments: [],
          raw: {},
        },
      });
    }
  };
  add('small', 4, (i) => `hello ${i}`);
  add('long', 101, (i) => (i % 10 === 0 ? 'ok' : `line ${i}`));
  add('heavy', 3, (i) => `${'x'.repeat(150_000)} ${i}`);
  const opener = items.length;
  add('opener', 3, (i) => `see attached ${i}`);
  const first = items[opener];
  if (first?.kind === 'row') first.row.attachments = [BIG];
  return items;
}

async function* iterate(items: SourceItem[]): AsyncGenerator<SourceItem> {
  yield* items;
}

async function freshStore(): Promise<StateStore> {
  const store = memoryStore();
  await stageSource(store, iterate(exportRows()), 1);
  return store;
}

/** One process lifetime: plan what is left and send it; a Crash ends it like a kill would. */
async function runOnce(
  store: StateStore,
  api: FakeHelpScout,
  strategy: Strategy,
  run: number,
  readBack = true,
) {
  planPending(store, 1, {
    strategy,
    maxRequestBytes: 256 * 1024,
    status: 'closed',
    tags: ['hs-import'],
    subjectTemplate: 'Chat {conversation}',
    partSubjectTemplate: '{subject} ({part}/{parts})',
  });
  const clock = instantClock();
  const parts = new Parts(store);
  const ctx: SendContext = {
    client: api,
    writes: new WriteLog(store, run, () => new Date(clock.now()).toISOString()),
    parts,
    clock,
    log: silentLogger(),
    stats: emptyRunStats(),
    target: {
      apiUrl: 'x',
      mailboxId: 1,
      status: 'closed',
      tags: ['hs-import'],
      agentLines: 'reply',
      subjectTemplate: '',
      partSubjectTemplate: '',
      maxRequestBytes: 256 * 1024,
      assignTo: null,
    },
    assignTo: null,
    strategy,
    search: { retries: 0, delayMs: 0 },
    readBack,
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 100 },
    users: new Map(),
    knownConversationIds: parts.knownConversationIds(),
    stop: new AbortController().signal,
    maxResends: 3,
  };
  try {
    await sendAll(ctx, parts.toSend(), 1);
    return { crashed: false, stats: ctx.stats };
  } catch (error) {
    if (error instanceof Crash) return { crashed: true, stats: ctx.stats };
    throw error;
  }
}

async function runUntilDone(
  store: StateStore,
  api: FakeHelpScout,
  strategy: Strategy,
  readBack = true,
): Promise<number> {
  for (let run = 1; run <= 6; run++) {
    const { crashed } = await runOnce(store, api, strategy, run, readBack);
    if (!crashed) return run;
  }
  throw new Error('never finished');
}

/** Every source thread exactly once, in order, in the Help Scout conversations of its parts; nothing else there. */
function problems(store: StateStore, api: FakeHelpScout): string[] {
  const found: string[] = [];
  const expected = new Map<string, string[]>();
  for (const item of exportRows()) {
    if (item.kind !== 'row') continue;
    const list = expected.get(item.row.conversationId) ?? [];
    list.push(`${item.row.createdAt} ${item.row.text.slice(0, 20)} ${item.row.attachments.length}`);
    expected.set(item.row.conversationId, list);
  }
  const parts = store
    .prepare(
      'SELECT conversation_key AS c, hs_conversation_id AS hs FROM parts WHERE hs_conversation_id IS NOT NULL ORDER BY conversation_key, part_no',
    )
    .all() as { c: string; hs: number }[];
  const used = new Set(parts.map((p) => p.hs));
  for (const id of api.conversations.keys())
    if (!used.has(id)) found.push(`conversation ${id} is in no part: duplicate`);
  for (const [conversation, want] of expected) {
    const got = parts
      .filter((p) => p.c === conversation)
      .flatMap((p) => api.conversations.get(p.hs)?.threads ?? [])
      .map((t) => `${t.createdAt} ${t.body.slice(0, 20)} ${t.attachments.length}`);
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      found.push(
        `${conversation}: ${got.length} threads in Help Scout, ${want.length} expected, or out of order`,
      );
    }
  }
  const open = (
    store.prepare("SELECT count(*) AS n FROM writes WHERE outcome IS NULL OR outcome = 'in-doubt'").get() as {
      n: number;
    }
  ).n;
  if (open > 0) found.push(`${open} writes still in doubt`);
  return found;
}

for (const strategy of ['batch', 'per-thread'] as const) {
  describe(`the write protocol (${strategy})`, () => {
    it('imports the export exactly once without faults', async () => {
      const store = await freshStore();
      const api = new FakeHelpScout();
      await runUntilDone(store, api, strategy);
      assert.deepEqual(problems(store, api), []);
      // The opener's file was too large to go inline: it followed its thread, byte for byte.
      const uploads = store
        .prepare("SELECT count(*) AS n FROM writes WHERE kind = 'create-attachment' AND outcome = 'ok'")
        .get();
      assert.deepEqual(uploads, { n: 1 });
      const opener = [...api.conversations.values()].find((c) => c.threads[0]?.body === 'see attached 0');
      assert.equal(opener?.threads[0]?.attachments[0]?.data, readFileSync(BIG_FILE).toString('base64'));
    });

    it('recovers from a fault injected at every write, of every kind, with nothing lost and nothing twice', async () => {
      const clean = new FakeHelpScout();
      await runUntilDone(await freshStore(), clean, strategy);
      const writes = clean.writes;
      assert.ok(writes > (strategy === 'batch' ? 4 : 100), `${writes} writes`);
      const kinds: Fault[] = [
        'crash-before-send',
        'crash-after-commit',
        'lost-after-commit',
        'server-error-before-commit',
      ];
      // Every write of the batch run; in the long per-thread run, the first dozen, every 7th and the last three.
      const points = Array.from({ length: writes }, (_, i) => i + 1).filter(
        (k) => strategy === 'batch' || k <= 12 || k % 7 === 0 || k > writes - 3,
      );
      for (const fault of kinds) {
        for (const k of points) {
          const store = await freshStore();
          const api = new FakeHelpScout();
          api.faults.set(k, fault);
          await runUntilDone(store, api, strategy);
          assert.deepEqual(problems(store, api), [], `${fault} at write ${k}`);
        }
      }
    });

    it('the check catches the duplicate that a blind resend makes (read-back off)', async () => {
      const store = await freshStore();
      const api = new FakeHelpScout();
      api.faults.set(2, 'lost-after-commit');
      await runUntilDone(store, api, strategy, false);
      // Write 2 is the second conversation's create in a batch run, the first conversation's second thread
      // per thread: resent blindly after its answer was lost, it is there twice.
      const duplicate =
        strategy === 'batch'
          ? /^conversation \d+ is in no part: duplicate$/
          : /^small: 5 threads in Help Scout, 4 expected, or out of order$/;
      const found = problems(store, api);
      assert.equal(found.length, 1, found.join('; '));
      assert.match(found[0] as string, duplicate);
    });
  });
}

describe('a write that stays unresolved', () => {
  it('is left for the next run, and holds back the later parts of its conversation', async () => {
    const store = await freshStore();
    const api = new FakeHelpScout();
    // Writes 1-4 are "small"; 5 creates "long" part 1; its first append fails on every attempt this run.
    for (const k of [6, 7, 8, 9]) api.faults.set(k, 'server-error-before-commit');
    const first = await runOnce(store, api, 'per-thread', 1);
    assert.equal(first.crashed, false);
    const bodies = [...api.conversations.values()].map((c) => c.threads[0]?.body);
    assert.ok(bodies.includes('ok'), 'long part 1 exists');
    assert.ok(!bodies.includes('line 99'), 'long part 2 waits for part 1');
    await runOnce(store, api, 'per-thread', 2);
    assert.deepEqual(problems(store, api), []);
  });
});

describe('server answers to appends', () => {
  it('400 fails that thread with the API message and path, and the run goes on', async () => {
    const store = await freshStore();
    const api = new FakeHelpScout();
    const original = api.createThread.bind(api);
    api.createThread = async (id, endpoint, body) => {
      if (body.text === 'line 5') {
        throw new ApiError('POST', `/v2/conversations/${id}/${endpoint}`, 400, {
          message: 'Bad request',
          _embedded: { errors: [{ path: 'text', message: 'may not be empty' }] },
        });
      }
      return original(id, endpoint, body);
    };
    const { stats, crashed } = await runOnce(store, api, 'per-thread', 1);
    assert.equal(crashed, false);
    assert.equal(stats.threadsFailed, 1);
    const failed = store.prepare("SELECT error FROM threads WHERE state = 'failed'").all() as {
      error: string;
    }[];
    assert.equal(failed.length, 1);
    assert.match(failed[0]?.error ?? '', /400 Bad request \(text: may not be empty\)/);
    const imported = [...api.conversations.values()].reduce((n, c) => n + c.threads.length, 0);
    assert.equal(imported, exportRows().length - 1);
  });

  it('412 on an append moves the rest of the part into a continuation part', async () => {
    const store = await freshStore();
    const api = new FakeHelpScout();
    api.lockAppends = true;
    const { stats, crashed } = await runOnce(store, api, 'per-thread', 1);
    assert.equal(crashed, false);
    assert.ok(stats.continuations > 0, JSON.stringify(stats));
    assert.deepEqual(problems(store, api), []);
    // Every part created inline in batch strategy; per-thread continuations hold their threads inline.
    for (const c of api.conversations.values()) assert.ok(c.threads.length <= 100);
  });

  it('404 on a write to a merged conversation continues in the conversation it was merged into', async () => {
    const store = await freshStore();
    const api = new FakeHelpScout();
    // Between the create (write 1) and its first append, someone merges the new conversation into another.
    api.beforeWrite = (n) => {
      if (n !== 2) return;
      const [created] = [...api.conversations.keys()];
      api.conversations.set(1, {
        id: 1,
        subject: 'other',
        createdAt: '2024-01-01T00:00:00Z',
        customer: { email: 'z@example.com' },
        tags: [],
        status: 'closed',
        modifiedAt: api.now,
        threads: [],
      });
      api.merge(created as number, 1);
    };
    const { stats, crashed } = await runOnce(store, api, 'per-thread', 1);
    assert.equal(crashed, false);
    assert.equal(stats.moved, 1);
    const moved = store
      .prepare(
        "SELECT hs_conversation_id AS hs, note FROM parts WHERE conversation_key = 'small' AND part_no = 1",
      )
      .get() as {
      hs: number;
      note: string;
    };
    assert.equal(moved.hs, 1);
    assert.match(moved.note, /merged/);
    assert.equal(
      api.conversations.get(1)?.threads.length,
      4,
      'all four threads of "small" end up in the merged-into conversation',
    );
    // Rollback deletes only what this state file created: never the conversation it was merged into.
    const repo = new Parts(store);
    assert.deepEqual(
      repo
        .inHelpScout()
        .filter((p) => p.hs === 1)
        .map((p) => p.createdHere),
      [false],
    );
    assert.ok(
      repo
        .inHelpScout()
        .filter((p) => p.hs !== 1)
        .every((p) => p.createdHere),
    );
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { sendAll } from '../../src/run/send-all.js';
import type { AttachmentRef, SourceItem } from '../../src/source/types.js';
import { failedThreads } from '../../src/state/failures.js';
import type { StateStore } from '../../src/state/store.js';
import { clientOverEmulator } from '../support/emulator-client.js';
import type { FakeHelpScout } from '../support/fake-api.js';
import { writesReceived } from '../support/import-check.js';
import { memoryStore } from '../support/keep-alive.js';
import { planForSending, sendContextFor, stageItems } from '../support/send-harness.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir('isolation');
const EMPTY_FILE = join(dir, 'empty.txt');
writeFileSync(EMPTY_FILE, '');
const EMPTY: AttachmentRef = {
  path: EMPTY_FILE,
  relPath: 'empty.txt',
  fileName: 'empty.txt',
  mimeType: 'text/plain',
  // Not empty when the export was read: the file changed since (staging would refuse an empty one).
  size: 12,
};

interface Line {
  text: string;
  email?: string;
  attachments?: AttachmentRef[];
}

/** One conversation `c`, a customer's line a minute, in order. */
function rows(lines: Line[]): SourceItem[] {
  return lines.map((line, i) => ({
    kind: 'row',
    row: {
      pos: { file: 'x.csv', row: i + 1, line: i + 2, seq: i },
      conversationId: 'c',
      createdAt: `2024-05-01T10:0${i}:00Z`,
      text: line.text,
      role: 'customer',
      customer: { email: line.email ?? 'ana@example.com' },
      tags: [],
      attachments: line.attachments ?? [],
      raw: {},
    },
  }));
}

/** Stages `lines` (as run `run`), plans and sends them in batch mode to the emulator. */
async function importRun(
  store: StateStore,
  api: Awaited<ReturnType<typeof clientOverEmulator>>,
  lines: Line[],
  run: number,
  retryFailed = false,
): Promise<void> {
  await stageItems(store, rows(lines), run, { retryFailed });
  planForSending(store, 'batch', run);
  const ctx = sendContextFor(store, api.client as unknown as FakeHelpScout, { strategy: 'batch', run });
  await sendAll(ctx, ctx.parts.toSend(), 1);
}

async function withEmulator(
  options: EmulatorOptions,
  test: (api: Awaited<ReturnType<typeof clientOverEmulator>>) => Promise<void>,
) {
  const api = await clientOverEmulator(options);
  try {
    await test(api);
  } finally {
    await api.close();
  }
}

const texts = (api: Awaited<ReturnType<typeof clientOverEmulator>>) =>
  api.emulator.state().conversations.map((c) => c.threads.map((t) => t.body).sort());

describe('one bad message never fails its siblings (batch mode, against the emulator)', () => {
  it('an empty file fails only its thread: the siblings arrive once, the reason names the field', async () => {
    await withEmulator({}, async (api) => {
      const store = memoryStore();
      const lines = [
        { text: 'one' },
        { text: 'two, with an empty file', attachments: [EMPTY] },
        { text: 'three' },
        { text: 'four' },
      ];
      await importRun(store, api, lines, 1);
      assert.deepEqual(texts(api), [['four', 'one', 'three']]);
      const failed = failedThreads(store);
      // Found empty when it was to be sent: left out of the create before Help Scout could refuse it.
      assert.deepEqual(
        failed.map((f) => [f.row.text, f.status, f.fields]),
        [['two, with an empty file', null, []]],
      );
      assert.match(failed[0]?.reason ?? '', /attachment ".*" is empty/);
      assert.ok(failed[0]?.hsConversationId, 'its part went to the conversation its siblings are in');

      // The file is given its content again: --retry-failed appends the thread, and nothing else is sent.
      writeFileSync(EMPTY_FILE, 'hello there\n');
      const before = writesReceived(api.emulator);
      await importRun(store, api, lines, 2, true);
      assert.deepEqual(texts(api), [['four', 'one', 'three', 'two, with an empty file']]);
      assert.equal(writesReceived(api.emulator), before + 1);
      assert.deepEqual(failedThreads(store), []);
    });
  });

  it("a refusal of the conversation's own field fails the conversation once; fixed, it is sent whole", async () => {
    await withEmulator({}, async (api) => {
      const store = memoryStore();
      const lines = ['a', 'b', 'c'].map((text) => ({ text, email: 'not an address' }));
      await importRun(store, api, lines, 1);
      assert.equal(api.emulator.state().conversations.length, 0);
      assert.equal(writesReceived(api.emulator), 1, 'no split: the conversation itself was refused');
      assert.deepEqual(
        failedThreads(store).map((f) => f.fields.includes('customer.email')),
        [true, true, true],
      );
      await importRun(
        store,
        api,
        lines.map((l) => ({ ...l, email: 'ana@example.com' })),
        2,
      );
      assert.deepEqual(texts(api), [['a', 'b', 'c']]);
      assert.deepEqual(failedThreads(store), []);
    });
  });

  it("a refusal naming no field that is the conversation's own is found in a bounded number of writes", async () => {
    await withEmulator({ faults: { errorsWithoutPath: true } }, async (api) => {
      const store = memoryStore();
      const lines = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((text) => ({ text, email: 'bad' }));
      await importRun(store, api, lines, 1);
      assert.equal(api.emulator.state().conversations.length, 0);
      assert.equal(failedThreads(store).length, 8);
      // 8 → 4 → 2 → 1 (a fails alone), 7 → 3 → 1 (refused alone again: the conversation's own).
      assert.equal(writesReceived(api.emulator), 7);
    });
  });
});

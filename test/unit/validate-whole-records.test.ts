import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { built } from '../support/built.js';
import { REPO_ROOT } from '../support/cli.js';
import { tempDir, writeConfig } from '../support/fixtures.js';

// Both ways start worker threads: the built modules (`npm test` builds first).
const { loadConfig } = await built<typeof import('../../src/config/load.js')>('config/load.js');
const { planOptionsOf, requestLimitsOf } =
  await built<typeof import('../../src/run/import.js')>('run/import.js');
const { validateStaged } =
  await built<typeof import('../../src/run/validate-staged.js')>('run/validate-staged.js');
const { validateWholeRecords } = await built<
  typeof import('../../src/run/whole-records/validate-whole-records.js')
>('run/whole-records/validate-whole-records.js');
const { resolveSource } = await built<typeof import('../../src/source/detect.js')>('source/detect.js');

const REAL = join(REPO_ROOT, 'fixtures', 'real-exports');

/** `validate` both ways on the same export: staged (the reference) and record by record, on 1 to 3 threads. */
async function bothWays(dir: string, config: Record<string, unknown>) {
  const path = writeConfig(dir, {
    state: join(dir, 'state.sqlite'),
    reportDir: join(dir, 'report'),
    ...config,
  });
  const resolved = loadConfig(path, {});
  const staged = await validateStaged(resolved);
  const { source } = await resolveSource(resolved.source, resolved.baseDir);
  const options = { plan: planOptionsOf(resolved), limits: requestLimitsOf(resolved), splitMinBytes: 0 };
  const whole = [];
  for (const threads of [1, 2, 3])
    whole.push(await validateWholeRecords(source, resolved.baseDir, { ...options, threads }));
  return { staged, whole };
}

function assertSameFigures(dir: string, result: Awaited<ReturnType<typeof bothWays>>) {
  result.whole.forEach((figures, i) => {
    assert.ok(figures, `${dir}: read record by record on ${i + 1} threads`);
    assert.deepEqual(figures.counts, result.staged.counts, `counts on ${i + 1} threads`);
    assert.deepEqual(figures.rejects, result.staged.rejects, `rejects on ${i + 1} threads`);
  });
}

const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ['order', 'refund', 'thanks', 'help'][(i + seed) % 4]).join(' ');

/** A Zendesk-shaped ticket line with `comments` comments, one a minute from `minute`. */
function ticket(id: number, comments: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const requester = { id: 9000 + id, name: `Customer ${id}`, email: `c${id}@example.com` };
  return {
    id,
    subject: `Ticket ${id}`,
    status: id % 2 === 0 ? 'solved' : 'open',
    tags: ['a', `t${id % 3}`],
    requester,
    comments: Array.from({ length: comments }, (_, i) => ({
      id: id * 1000 + i,
      author_id: i % 2 === 0 ? requester.id : 42,
      plain_body: `${words(5 + (i % 7), id + i)} &amp; more`,
      public: i % 5 !== 4,
      created_at: `2024-03-0${1 + (id % 9)}T10:${String(i % 60).padStart(2, '0')}:${String(Math.floor(i / 60)).padStart(2, '0')}Z`,
    })),
    ...extra,
  };
}

/** Tickets with a fault every few lines: what is read must be numbered the same whichever thread reads it. */
function faultyExport(): string {
  const lines: string[] = [];
  for (let id = 1; id <= 60; id++) {
    const t = ticket(id, 1 + (id % 6));
    const comments = t.comments as Record<string, unknown>[];
    if (id % 10 === 3) (comments[0] as Record<string, unknown>).created_at = 'the day after';
    if (id % 10 === 5) lines.push('{"id": 5000, "comments": [ not json');
    if (id % 10 === 7) delete t.requester;
    if (id % 10 === 9) t.subject = 'S'.repeat(300);
    if (id % 15 === 1) (comments[0] as Record<string, unknown>).plain_body = words(9000, id);
    if (id === 20) t.comments = Array.from({ length: 130 }, (_, i) => ({ ...comments[0], id: 20_000 + i }));
    if (id % 10 === 2) lines.push('');
    if (id === 30) lines.push('[1, 2]');
    const line = JSON.stringify(t);
    lines.push(id % 4 === 0 ? `${line}\r` : line);
  }
  return `\ufeff${lines.join('\n')}\n`;
}

describe('validate record by record gives what staging gives', () => {
  it('a JSONL export with faults on many lines, read by one, two and three threads', async () => {
    const dir = tempDir('whole-records');
    writeFileSync(join(dir, 'tickets.jsonl'), faultyExport());
    const result = await bothWays(dir, {
      source: { files: ['tickets.jsonl'], preset: 'zendesk' },
      target: { apiUrl: 'http://127.0.0.1:9', mailboxId: 1, maxRequestBytes: 40_000 },
    });
    assertSameFigures(dir, result);
    const { counts, rejects } = result.staged;
    // The faults are there to be compared: rejects of each kind, a split conversation, cut subjects.
    assert.ok(counts.rejected >= 10 && counts.conversationsRejected >= 5, JSON.stringify(counts));
    assert.ok(counts.splitConversations >= 1 && counts.subjectsCut >= 5, JSON.stringify(counts));
    assert.ok(rejects.some((r) => r.line > 40));
    assert.deepEqual(
      [...new Set(rejects.map((r) => r.field.replace(/^\$(\.comments\[\d+\])?\.?/, '')))].sort(),
      ['(record)', 'created_at', 'customer_email', 'text'],
    );
  });

  it('the real samples of each platform whose records hold whole conversations', async () => {
    const samples: [string, string[]][] = [
      ['zendesk', ['tickets.json']],
      ['zendesk', ['tickets-dated.jsonl']],
      ['helpscout', ['conversations.json']],
      ['groove', ['tickets.json']],
    ];
    for (const [platform, files] of samples) {
      const dir = tempDir(`whole-records-${platform}`);
      for (const file of files) copyFileSync(join(REAL, platform, file), join(dir, file));
      const result = await bothWays(dir, {
        source: { files },
        target: { apiUrl: 'http://127.0.0.1:9', mailboxId: 1 },
      });
      assertSameFigures(`${platform}/${files}`, result);
      assert.ok(result.staged.counts.rowsRead > 0, platform);
    }
  });

  it('leaves to staging a conversation met in two records, and a thread_id repeated in one', async () => {
    for (const [name, lines] of [
      ['two-records', [ticket(1, 3), ticket(2, 2), ticket(1, 2)]],
      ['two-ranges', [ticket(1, 3), ...Array.from({ length: 30 }, (_, i) => ticket(i + 2, 3)), ticket(1, 2)]],
      [
        'thread-id',
        [
          ticket(1, 3),
          { ...ticket(2, 0), comments: [...(ticket(2, 2).comments as []), ...(ticket(2, 1).comments as [])] },
        ],
      ],
    ] as const) {
      const dir = tempDir(`whole-records-${name}`);
      writeFileSync(join(dir, 'tickets.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
      const { whole, staged } = await bothWays(dir, {
        source: { files: ['tickets.jsonl'], preset: 'zendesk' },
        target: { apiUrl: 'http://127.0.0.1:9', mailboxId: 1 },
      });
      assert.deepEqual(whole, [undefined, undefined, undefined], name);
      assert.ok(staged.counts.rowsRead > 0);
    }
  });

  it('ends with the error staging gives when a file is malformed, the other threads stopped', async () => {
    const dir = tempDir('whole-records-malformed');
    writeFileSync(join(dir, 'bad.json'), '[{"id": 1, "comments": [}');
    writeFileSync(join(dir, 'tickets.jsonl'), faultyExport());
    const malformed = { code: 'SOURCE_JSON_MALFORMED', message: /bad\.json: malformed JSON after record 0/ };
    // First: the ranges of the file after it are stopped. Last, on one thread: every file before it was read.
    for (const [files, threads] of [
      [['bad.json', 'tickets.jsonl'], 2],
      [['tickets.jsonl', 'bad.json'], 1],
    ] as const) {
      const path = writeConfig(dir, { source: { files, preset: 'zendesk' }, target: { mailboxId: 1 } });
      const resolved = loadConfig(path, {});
      const { source } = await resolveSource(resolved.source, resolved.baseDir);
      const options = { plan: planOptionsOf(resolved), limits: requestLimitsOf(resolved), splitMinBytes: 0 };
      await assert.rejects(
        validateWholeRecords(source, resolved.baseDir, { ...options, threads }),
        malformed,
      );
      await assert.rejects(validateStaged(resolved), malformed);
    }
  });

  it('leaves to staging what is not JSON of whole conversations: CSV, a message a record', async () => {
    for (const files of [['tidio-messages.csv'], ['intercom/records.jsonl']]) {
      const dir = tempDir('whole-records-other');
      mkdirSync(join(dir, 'intercom'));
      for (const file of files) copyFileSync(join(REAL, file), join(dir, file));
      const path = writeConfig(dir, { source: { files }, target: { mailboxId: 1 } });
      const resolved = loadConfig(path, {});
      const { source } = await resolveSource(resolved.source, resolved.baseDir);
      const options = { plan: planOptionsOf(resolved), limits: requestLimitsOf(resolved) };
      assert.equal(await validateWholeRecords(source, resolved.baseDir, options), undefined, `${files}`);
    }
  });
});

import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ENV, runCli } from '../support/cli.js';
import { readCsv, tempDir, writeConfig } from '../support/fixtures.js';
import { writesReceived } from '../support/import-check.js';

const HEADER = 'conversation_id,created_at,text,author_role,customer_email,subject';

/** Rows as [conversation, minute after 10:00, text]: a customer's lines, a subject per conversation. */
function exportCsv(rows: [string, number, string][]): string {
  const lines = rows.map(([c, minute, text]) => {
    const at = `2024-03-01T10:${String(minute).padStart(2, '0')}:00Z`;
    return [c, at, `"${text}"`, 'customer', `${c}@example.com`, `Order ${c}`].join(',');
  });
  return `${[HEADER, ...lines].join('\n')}\n`;
}

/** The texts of the emulator's conversation for `customer`, in date order (each conversation once). */
function threadsOf(emulator: Emulator, customer: string): string[][] {
  const state = emulator.state();
  const customerIds = new Set(
    state.customers.filter((c) => c.email === customer || c.emails?.includes(customer)).map((c) => c.id),
  );
  return state.conversations
    .filter((c) => customerIds.has(c.customerId))
    .map((c) => [...c.threads].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((t) => t.body));
}

async function setUp(name: string, faults: Parameters<Emulator['setFaults']>[0]) {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, faults });
  const dir = tempDir(name);
  const csv = join(dir, 'chats.csv');
  const config = writeConfig(dir, {
    source: { files: [csv], timezone: 'UTC' },
    target: { apiUrl: emulator.url, mailboxId: 1 },
    state: join(dir, 'state.sqlite'),
    reportDir: join(dir, 'report'),
  });
  const run = (...flags: string[]) =>
    runCli(['import', '--config', config, ...flags], { cwd: dir, env: ENV });
  return { emulator, dir, csv, run, failures: () => readCsv(join(dir, 'report', 'failures.csv')) };
}

describe('a refused thread is reported, fails alone, and is sent again once fixed (built CLI)', () => {
  it('Help Scout names the thread: its siblings arrive; fixed in the export, the rerun sends it once', async () => {
    const t = await setUp('failures-fixed', { refuseText: 'REFUSE' });
    try {
      const rows: [string, number, string][] = [
        ['c1', 0, 'Hello'],
        ['c1', 1, 'My order is late'],
        ['c1', 2, 'please REFUSE this'],
        ['c1', 3, 'Thanks'],
        ['c2', 5, 'REFUSE alone'],
      ];
      writeFileSync(t.csv, exportCsv(rows));
      const first = await t.run();
      assert.equal(first.code, 2, first.stderr);
      assert.deepEqual(threadsOf(t.emulator, 'c1@example.com'), [['Hello', 'My order is late', 'Thanks']]);
      assert.deepEqual(threadsOf(t.emulator, 'c2@example.com'), []);
      assert.match(first.stdout, /failures\.csv/);
      const failed = t.failures();
      assert.deepEqual(
        failed.map((f) => [f.conversation_id, f.created_at, f.text, f.failure_status, f.failure_field]),
        [
          ['c1', '2024-03-01T10:02:00Z', 'please REFUSE this', '400', 'text'],
          ['c2', '2024-03-01T10:05:00Z', 'REFUSE alone', '400', 'text'],
        ],
      );
      assert.deepEqual(
        failed.map((f) => [f.source_file, f.source_row]),
        [
          [t.csv, '3'],
          [t.csv, '5'],
        ],
      );
      assert.match(failed[0]?.failure_reason ?? '', /refused this thread \(400\): text: refused/);
      assert.equal(statSync(join(t.dir, 'report', 'failures.csv')).mode & 0o777, 0o600);

      rows[2] = ['c1', 2, 'please take this'];
      rows[4] = ['c2', 5, 'fixed alone'];
      writeFileSync(t.csv, exportCsv(rows));
      const second = await t.run();
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /failed before and sent again 2/);
      assert.deepEqual(threadsOf(t.emulator, 'c1@example.com'), [
        ['Hello', 'My order is late', 'please take this', 'Thanks'],
      ]);
      assert.deepEqual(threadsOf(t.emulator, 'c2@example.com'), [['fixed alone']]);
      assert.deepEqual(t.failures(), []);

      const writes = writesReceived(t.emulator);
      const third = await t.run();
      assert.equal(third.code, 0, third.stderr);
      assert.equal(writesReceived(t.emulator), writes, 'nothing sent again');
    } finally {
      await t.emulator.close();
    }
  });

  it('--retry-failed sends an unchanged failed thread again once Help Scout takes it, and only once', async () => {
    const t = await setUp('failures-retry', { refuseText: 'REFUSE' });
    try {
      writeFileSync(
        t.csv,
        exportCsv([
          ['c1', 0, 'Hello'],
          ['c1', 1, 'REFUSE until the account allows it'],
          ['c1', 2, 'Thanks'],
        ]),
      );
      assert.equal((await t.run()).code, 2);
      assert.equal(t.failures().length, 1);
      t.emulator.setFaults(undefined);
      const before = writesReceived(t.emulator);
      const unchanged = await t.run();
      assert.equal(unchanged.code, 2, 'an unchanged row is not sent again by itself');
      assert.equal(writesReceived(t.emulator), before);

      const retried = await t.run('--retry-failed');
      assert.equal(retried.code, 0, retried.stderr);
      assert.deepEqual(threadsOf(t.emulator, 'c1@example.com'), [
        ['Hello', 'REFUSE until the account allows it', 'Thanks'],
      ]);
      assert.deepEqual(t.failures(), []);
      const after = writesReceived(t.emulator);
      assert.equal((await t.run('--retry-failed')).code, 0);
      assert.equal(writesReceived(t.emulator), after, 'nothing failed, nothing sent again');
    } finally {
      await t.emulator.close();
    }
  });

  it('Help Scout names no field: the part is split until the refused thread is alone; the siblings arrive in order', async () => {
    const t = await setUp('failures-split', { refuseText: 'REFUSE', errorsWithoutPath: true });
    try {
      writeFileSync(
        t.csv,
        exportCsv([
          ['c1', 0, 'one'],
          ['c1', 1, 'two'],
          ['c1', 2, 'three'],
          ['c1', 3, 'REFUSE four'],
          ['c1', 4, 'five'],
          ['c1', 5, 'six'],
          ['c2', 10, 'REFUSE first'],
          ['c2', 11, 'second'],
          ['c2', 12, 'third'],
        ]),
      );
      const run = await t.run();
      assert.equal(run.code, 2, run.stderr);
      assert.deepEqual(threadsOf(t.emulator, 'c1@example.com'), [['one', 'two', 'three', 'five', 'six']]);
      assert.deepEqual(threadsOf(t.emulator, 'c2@example.com'), [['second', 'third']]);
      assert.deepEqual(
        t.failures().map((f) => [f.text, f.failure_status, f.failure_field]),
        [
          ['REFUSE four', '400', ''],
          ['REFUSE first', '400', ''],
        ],
      );
    } finally {
      await t.emulator.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { crashScenario } from '../support/crash-run.js';

const FAULTS = {
  seed: 11,
  dropAfterCommit: 0.03,
  serverErrorBeforeCommit: 0.03,
  resetBeforeCommit: 0.02,
  stall: 0.01,
  stallMs: 1_200,
  // Several writes are in flight at every kill.
  latencyMs: [20, 40] as [number, number],
};

describe('exactly once across kill -9, lost answers and server faults (built CLI against the emulator)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, searchLagMs: 100 });
  });
  after(() => emulator.close());

  it('per-thread: 1,000+ threads, 10 kills at seeded moments, faults on every kind of answer: no duplicate, no loss', async () => {
    const report = await crashScenario(emulator, {
      seed: 20261125,
      minThreads: 1_000,
      fixed: [120, 260],
      kills: 10,
      killAfterWrites: [20, 80],
      strategy: 'per-thread',
      faults: FAULTS,
    });
    assert.ok(report.rows >= 1_000);
    assert.ok(report.kills >= 8, `killed ${report.kills} of 10 runs mid-way (${report.exitCodes.join(',')})`);
    assert.equal(report.exitCodes.at(-1), 0);
    assert.deepEqual(report.problems, []);
    const stats = emulator.stats();
    assert.ok(stats.faults.dropAfterCommit > 0 && stats.faults.serverError > 0, JSON.stringify(stats.faults));
  });

  it('the same check catches the duplicates when read-back is switched off', async () => {
    const report = await crashScenario(emulator, {
      seed: 7,
      minThreads: 300,
      fixed: [],
      kills: 0,
      killAfterWrites: [0, 0],
      strategy: 'per-thread',
      faults: { seed: 3, dropAfterCommit: 0.05 },
      readBack: false,
    });
    // A blind resend of a create whose answer was lost makes a duplicate: more threads in Help Scout than in
    // the export, or a conversation no mapping row accounts for; never fewer.
    const counts = report.problems.flatMap((p) => {
      const m = /: (\d+) threads in Help Scout, (\d+) in the export$/.exec(p);
      return m ? [[Number(m[1]), Number(m[2])] as const] : [];
    });
    const strayConversations = report.problems.filter((p) => /is in no mapping row: a duplicate\?$/.test(p));
    const summary = report.problems.slice(0, 3).join('; ');
    assert.ok(counts.some(([hs, source]) => hs > source) || strayConversations.length > 0, summary);
    assert.ok(
      counts.every(([hs, source]) => hs >= source),
      `a blind resend loses nothing: ${summary}`,
    );
  });
});

describe('exactly once under the pessimistic profile, across kill -9 and faults (built CLI)', () => {
  for (const strategy of ['batch', 'per-thread'] as const) {
    it(`${strategy}: 400+ threads, 5 kills, lost answers and 5xx: no duplicate, no loss, closed and unassigned`, async () => {
      // Every open question answered the worse way; the lag shortened, and the importer's horizon with it.
      // An emulator of its own: the check holds every conversation in it to account.
      const emulator = await startEmulator({
        profile: 'pessimistic',
        searchLagMs: 1_500,
        rateLimitPerMinute: 1_000_000,
      });
      try {
        const report = await crashScenario(emulator, {
          seed: strategy === 'batch' ? 4242 : 4343,
          minThreads: 400,
          fixed: [130],
          kills: 5,
          killAfterWrites: strategy === 'batch' ? [3, 8] : [20, 60],
          strategy,
          faults: { ...FAULTS, seed: 5 },
          config: { reconcile: { searchRetries: 1, searchDelayMs: 100, resendAfterSeconds: 3 } },
          compare: 'as-read',
        });
        assert.equal(report.exitCodes.at(-1), 0, report.exitCodes.join(','));
        assert.deepEqual(report.problems, []);
        assert.deepEqual(emulator.audit().reopenedByAppend, []);
        assert.deepEqual(emulator.audit().autoAssigned, []);
      } finally {
        await emulator.close();
      }
    });
  }
});

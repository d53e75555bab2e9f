import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import { crashScenario } from '../support/crash-run.js';

describe('Create Conversation refused as too large (413), across kill -9 (built CLI, pessimistic profile)', () => {
  it('plans each refused part again smaller: every thread once, in order, closed and unassigned', async () => {
    // The server takes 4 KB in a create, where the planner assumes 250,000 bytes: most creates are refused
    // at first, and the 130-thread conversation needs several halvings. An emulator of its own.
    const emulator = await startEmulator({
      profile: 'pessimistic',
      maxCreateConversationBytes: 4_000,
      searchLagMs: 1_500,
      rateLimitPerMinute: 1_000_000,
    });
    try {
      const report = await crashScenario(emulator, {
        seed: 413,
        minThreads: 250,
        fixed: [130],
        kills: 3,
        killAfterWrites: [4, 15],
        strategy: 'batch',
        faults: { seed: 413, dropAfterCommit: 0.03, serverErrorBeforeCommit: 0.03, latencyMs: [20, 40] },
        config: { reconcile: { searchRetries: 1, searchDelayMs: 100, resendAfterSeconds: 3 } },
        compare: 'as-read',
      });
      assert.equal(report.exitCodes.at(-1), 0, report.exitCodes.join(','));
      assert.deepEqual(report.problems, []);
      const replanned = Object.entries(report.ledger).filter(([k]) =>
        k.startsWith('failed / planned again: '),
      );
      assert.ok(replanned.length > 0, JSON.stringify(report.ledger));
      // No thread failed for being too large: every 413 was answered by a smaller plan.
      assert.ok(
        Object.keys(report.ledger).every((k) => k !== 'failed / -'),
        JSON.stringify(report.ledger),
      );
      assert.deepEqual(emulator.audit().reopenedByAppend, []);
      assert.deepEqual(emulator.audit().autoAssigned, []);
    } finally {
      await emulator.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { crashScenario } from '../support/crash-run.js';

describe('exactly once across kill -9 with a JSON Lines source (built CLI against the emulator)', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, searchLagMs: 100 });
  });
  after(() => emulator.close());

  it('batch: 500+ threads read through source.shapes, 5 kills, lost answers: no duplicate, no loss', async () => {
    const report = await crashScenario(emulator, {
      seed: 20261130,
      minThreads: 500,
      fixed: [120],
      kills: 5,
      killAfterWrites: [2, 6],
      strategy: 'batch',
      format: 'jsonl',
      faults: { seed: 13, dropAfterCommit: 0.05, serverErrorBeforeCommit: 0.03, latencyMs: [20, 40] },
    });
    assert.ok(report.rows >= 500);
    assert.ok(report.kills >= 3, `killed ${report.kills} of 5 runs mid-way (${report.exitCodes.join(',')})`);
    assert.equal(report.exitCodes.at(-1), 0);
    assert.deepEqual(report.problems, []);
  });
});

import { startEmulator } from '../../src/emulator/index.js';
import { crashScenario } from '../support/crash-run.js';

/**
 * The long soak (`npm run test:soak`, not part of CI): 10,000 threads, 50 kills at seeded moments, heavier
 * faults. Prints the figures and exits 1 on any duplicate or loss.
 */
const seed = Number(process.env.SOAK_SEED ?? 20261125);
const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, searchLagMs: 300 });
const started = Date.now();
try {
  const report = await crashScenario(emulator, {
    seed,
    minThreads: 10_000,
    fixed: [150, 280, 420],
    kills: 50,
    killAfterWrites: [20, 180],
    strategy: 'per-thread',
    faults: {
      seed,
      dropAfterCommit: 0.05,
      serverErrorBeforeCommit: 0.05,
      resetBeforeCommit: 0.03,
      stall: 0.02,
      stallMs: 1_200,
      latencyMs: [30, 60],
    },
  });
  const figures = {
    seed,
    rows: report.rows,
    conversations: report.conversations,
    kills: report.kills,
    runs: report.runs,
    faultsInjected: report.faults,
    ledger: report.ledger,
    duplicatesOrLosses: report.problems.length,
    minutes: Math.round((Date.now() - started) / 600) / 100,
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  for (const p of report.problems.slice(0, 20)) process.stdout.write(`problem: ${p}\n`);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
} finally {
  await emulator.close();
}

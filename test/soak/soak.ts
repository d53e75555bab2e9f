import { type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { type CrashScenario, crashScenario } from '../support/crash-run.js';

/**
 * The long soak (`npm run test:soak`, not part of CI): 10,000 threads, 50 kills at seeded moments, heavier
 * faults, under the emulator's optimistic profile and then its pessimistic one (every open question answered
 * the worse way). Prints the figures and exits 1 on any duplicate or loss, any conversation out of its target
 * status or assigned, or (pessimistic) any re-opened or auto-assigned one.
 *
 * SOAK_PROFILE: optimistic, pessimistic or both (default). SOAK_THREADS and SOAK_KILLS make it smaller (a
 * rehearsal of the soak itself); SOAK_SEED changes every seeded choice.
 */
const seed = Number(process.env.SOAK_SEED ?? 20261125);
const threads = Number(process.env.SOAK_THREADS ?? 10_000);
const kills = Number(process.env.SOAK_KILLS ?? 50);
const chosen = process.env.SOAK_PROFILE ?? 'both';
const PROFILES = ['optimistic', 'pessimistic'] as const;
type Profile = (typeof PROFILES)[number];
const profiles = PROFILES.filter((p) => chosen === 'both' || chosen === p);
if (profiles.length === 0 || !Number.isInteger(threads) || !Number.isInteger(kills)) {
  process.stderr.write(
    'SOAK_PROFILE: optimistic, pessimistic or both; SOAK_THREADS, SOAK_KILLS: whole numbers\n',
  );
  process.exit(1);
}

/** The emulator and the importer's read-back settings of each profile. */
const SETUP: Record<Profile, { emulator: EmulatorOptions; scenario: Partial<CrashScenario> }> = {
  optimistic: { emulator: { searchLagMs: 300 }, scenario: {} },
  pessimistic: {
    // Lists lag creation by 1.5 s rather than 75 (the wait is real time), and the importer's horizon with it.
    emulator: { profile: 'pessimistic', searchLagMs: 1_500 },
    scenario: {
      config: { reconcile: { searchRetries: 1, searchDelayMs: 100, resendAfterSeconds: 3 } },
      compare: 'as-read',
    },
  },
};

let failed = false;
for (const profile of profiles) {
  const emulator = await startEmulator({ rateLimitPerMinute: 1_000_000, ...SETUP[profile].emulator });
  const started = Date.now();
  try {
    const report = await crashScenario(emulator, {
      seed,
      minThreads: threads,
      // Long conversations (several parts each) in the full soak; one in a smaller rehearsal, to leave room for many.
      fixed: threads >= 5_000 ? [150, 280, 420] : [130],
      kills,
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
      ...SETUP[profile].scenario,
    });
    const audit = emulator.audit();
    const problems = [
      ...report.problems,
      ...(report.exitCodes.at(-1) === 0 ? [] : [`the last run exited ${report.exitCodes.at(-1)}`]),
      ...audit.reopenedByAppend.map((c) => `re-opened by an append: ${JSON.stringify(c)}`),
      ...audit.autoAssigned.map((c) => `auto-assigned: ${JSON.stringify(c)}`),
    ];
    const figures = {
      profile,
      seed,
      rows: report.rows,
      conversations: report.conversations,
      kills: report.kills,
      runs: report.runs,
      faultsInjected: report.faults,
      ledger: report.ledger,
      problems: problems.length,
      minutes: Math.round((Date.now() - started) / 600) / 100,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    for (const p of problems.slice(0, 20)) process.stdout.write(`problem (${profile}): ${p}\n`);
    if (problems.length > 0) failed = true;
  } finally {
    await emulator.close();
  }
}
process.exitCode = failed ? 1 : 0;

import { startEmulator } from '../../src/emulator/index.js';
import { runImport } from '../cli-runner.js';
import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { fullWindows, WindowClock } from '../window-clock.js';
import { cachedExport, removeDir, scratchDir, uniformSizes } from '../workspace.js';

/**
 * Budget use: hs-import through the CLI against an emulator with latency and a low limit, long enough for
 * several full clock minutes. Counted on the emulator's side, per clock-minute window.
 */
export async function budgetSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const { conversations, threadsPer, concurrency } = options.budget;
  const sizes = uniformSizes(options.seed, conversations, threadsPer);
  const exp = await cachedExport('budget', { seed: options.seed, fixed: sizes, minThreads: 0 });
  log(`budget: ${exp.conversations} conversations, ${exp.rows} rows; limit ${options.rateLimit}/min`);
  const clock = new WindowClock();
  const emulator = await startEmulator({
    clock,
    rateLimitPerMinute: options.rateLimit,
    faults: { latencyMs: options.latencyMs },
  });
  clock.watch(() => emulator.stats());
  const dir = scratchDir('budget');
  try {
    const { exit, summary } = await runImport(dir, { files: [exp.path], apiUrl: emulator.url, concurrency });
    clock.finish();
    const windows = clock.windows;
    const full = fullWindows(windows);
    const shares = full.map((w) => w.points / options.rateLimit);
    const meanShare = shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : Number.NaN;
    const minShare = shares.length ? Math.min(...shares) : Number.NaN;
    const max429 = full.length ? Math.max(...full.map((w) => w.rateLimited)) : Number.NaN;
    const total429 = windows.reduce((n, w) => n + w.rateLimited, 0);
    const s = 'budget';
    return {
      section: s,
      metrics: [
        metric(
          s,
          `points per full window ÷ limit (mean of ${full.length}; min ${fixed(minShare)})`,
          meanShare,
          fixed(meanShare),
          '≥ 0.97',
          shares.length >= 3 ? meanShare >= 0.97 : false,
        ),
        metric(
          s,
          `429s per full window (worst; ${total429} in the whole run)`,
          max429,
          Number.isFinite(max429) ? String(max429) : 'n/a',
          '≤ 1',
          full.length > 0 ? max429 <= 1 : false,
        ),
      ],
      details: {
        export: { rows: exp.rows, conversations: exp.conversations, threadsPer },
        rateLimitPerMinute: options.rateLimit,
        latencyMs: options.latencyMs,
        concurrency,
        fullWindows: full.length,
        windows: windows.map((w) => ({ ...w, start: new Date(w.start).toISOString() })),
        cliWallMs: Math.round(exit.wallMs),
        summary: {
          requests: summary.requests,
          durationsMs: summary.durationsMs,
          rateLimit: summary.rateLimit,
        },
      },
    };
  } finally {
    await emulator.close();
    removeDir(dir);
  }
}

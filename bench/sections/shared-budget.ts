import { startEmulator } from '../../src/emulator/index.js';
import { runImport } from '../cli-runner.js';
import { startCompetitor } from '../competitor.js';
import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { fullWindows, WindowClock } from '../window-clock.js';
import { cachedExport, removeDir, scratchDir, uniformSizes } from '../workspace.js';

const COMPETITOR_ROUTE = 'GET /v2/mailboxes';
const COMPETITOR_TOKEN = 'reporting-tool-token';

/**
 * The account's budget shared: while hs-import imports through the CLI, another client reads at a steady
 * share of the limit with its own token. Counted on the emulator's side per clock-minute window; what is
 * ours is what the competitor's route did not take.
 */
export async function sharedBudgetSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const { conversations, threadsPer, concurrency } = options.budget;
  const { share } = options.sharedBudget;
  const sizes = uniformSizes(options.seed, conversations, threadsPer);
  const exp = await cachedExport('budget', { seed: options.seed, fixed: sizes, minThreads: 0 });
  const perMinute = Math.round(options.rateLimit * share);
  log(
    `shared-budget: ${exp.conversations} conversations; limit ${options.rateLimit}/min, competitor ${perMinute} reads/min`,
  );
  const clock = new WindowClock(COMPETITOR_ROUTE);
  const emulator = await startEmulator({
    clock,
    rateLimitPerMinute: options.rateLimit,
    faults: { latencyMs: options.latencyMs },
    accessTokens: [COMPETITOR_TOKEN],
  });
  clock.watch(() => emulator.stats());
  const competitor = startCompetitor({
    apiUrl: emulator.url,
    token: COMPETITOR_TOKEN,
    perMinute,
    clock,
    maxReads: perMinute * 30,
    maxMs: 30 * 60_000,
  });
  const dir = scratchDir('shared-budget');
  try {
    const { exit, summary } = await runImport(dir, { files: [exp.path], apiUrl: emulator.url, concurrency });
    const reads = await competitor.stop();
    clock.finish();
    const windows = clock.windows.map((w) => {
      const theirs = w.route ?? { ok: 0, refused: 0 };
      return {
        start: new Date(w.start).toISOString(),
        ours: w.points - theirs.ok,
        ours429: w.rateLimited - theirs.refused,
        competitor: theirs.ok,
        competitor429: theirs.refused,
        points: w.points,
        rateLimited: w.rateLimited,
      };
    });
    // Full windows of ours: the competitor starts before the import and ends after it.
    const oursOnly = windows.map((w, i) => ({ start: i, points: w.ours, rateLimited: w.ours429 }));
    const full = fullWindows(oursOnly).map((w) => windows[w.start] as (typeof windows)[number]);
    const shares = full.map((w) => w.ours / (options.rateLimit - w.competitor));
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    const meanShare = mean(shares);
    const minShare = shares.length ? Math.min(...shares) : Number.NaN;
    const max429 = full.length ? Math.max(...full.map((w) => w.ours429)) : Number.NaN;
    const theirRefused = full.reduce((n, w) => n + w.competitor429, 0);
    const theirMean = mean(full.map((w) => w.competitor));
    const s = 'shared-budget';
    return {
      section: s,
      metrics: [
        metric(
          s,
          `our points ÷ (limit − competitor's) per full window (mean of ${full.length}; min ${fixed(minShare)})`,
          meanShare,
          fixed(meanShare),
          '≥ 0.95',
          shares.length >= 3 ? meanShare >= 0.95 : false,
        ),
        metric(
          s,
          `our 429s per full window (worst; ${windows.reduce((n, w) => n + w.ours429, 0)} in the whole run)`,
          max429,
          Number.isFinite(max429) ? String(max429) : 'n/a',
          '≤ 1',
          full.length > 0 ? max429 <= 1 : false,
        ),
        metric(
          s,
          `competitor's points per full window (mean; asked ${perMinute}), refused in full windows`,
          theirMean,
          `${fixed(theirMean, 1)}; ${theirRefused} refused`,
          '',
          null,
        ),
      ],
      details: {
        export: { rows: exp.rows, conversations: exp.conversations, threadsPer },
        rateLimitPerMinute: options.rateLimit,
        competitor: { route: COMPETITOR_ROUTE, perMinute, ...reads },
        latencyMs: options.latencyMs,
        concurrency,
        fullWindows: full.length,
        windows,
        cliWallMs: Math.round(exit.wallMs),
        summary: {
          requests: summary.requests,
          durationsMs: summary.durationsMs,
          rateLimit: summary.rateLimit,
        },
      },
    };
  } finally {
    await competitor.stop();
    await emulator.close();
    removeDir(dir);
  }
}

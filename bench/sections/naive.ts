import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { runImport } from '../cli-runner.js';
import { naiveImport } from '../naive-importer.js';
import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { cachedExport, removeDir, scratchDir, uniformSizes } from '../workspace.js';

function storedThreads(emulator: Emulator): number {
  return emulator.state().conversations.reduce((n, c) => n + c.threads.length, 0);
}

/** The same export, limit and latency, each on a fresh emulator: the naive importer, then hs-import. */
export async function naiveSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const { conversations, threadsPer } = options.naive;
  const sizes = uniformSizes(options.seed + 1, conversations, threadsPer);
  const exp = await cachedExport('naive', { seed: options.seed + 1, fixed: sizes, minThreads: 0 });
  const settings = { rateLimitPerMinute: options.rateLimit, faults: { latencyMs: options.latencyMs } };
  log(`naive: ${exp.conversations} conversations, ${exp.rows} rows; limit ${options.rateLimit}/min`);

  const naiveEmulator = await startEmulator(settings);
  let naive: Awaited<ReturnType<typeof naiveImport>>;
  let naiveStored: number;
  try {
    naive = await naiveImport({
      file: exp.path,
      apiUrl: naiveEmulator.url,
      mailboxId: 1,
      rateLimitPerMinute: options.rateLimit,
    });
    naiveStored = storedThreads(naiveEmulator);
  } finally {
    await naiveEmulator.close();
  }
  log(`naive: ${naive.writes} writes in ${(naive.wallMs / 1000).toFixed(1)} s`);

  const emulator = await startEmulator(settings);
  const dir = scratchDir('naive-hs');
  let ours: Awaited<ReturnType<typeof runImport>>;
  let oursStored: number;
  try {
    ours = await runImport(dir, { files: [exp.path], apiUrl: emulator.url });
    oursStored = storedThreads(emulator);
  } finally {
    await emulator.close();
    removeDir(dir);
  }
  const oursWrites = ours.summary.requests.writes;
  const wallRatio = naive.wallMs / ours.exit.wallMs;
  const writesRatio = naive.writes / oursWrites;
  const s = 'naive';
  const complete = naiveStored === exp.rows && oursStored === exp.rows;
  return {
    section: s,
    metrics: [
      metric(s, 'naive wall time', naive.wallMs / 1000, `${(naive.wallMs / 1000).toFixed(1)} s`),
      metric(
        s,
        'hs-import wall time (CLI, spawn to exit)',
        ours.exit.wallMs / 1000,
        `${(ours.exit.wallMs / 1000).toFixed(1)} s`,
      ),
      metric(s, 'naive writes / hs-import writes', naive.writes, `${naive.writes} / ${oursWrites}`),
      metric(s, 'wall time ratio (naive ÷ hs-import)', wallRatio, `${fixed(wallRatio, 1)}×`),
      metric(s, 'writes ratio (naive ÷ hs-import)', writesRatio, `${fixed(writesRatio, 1)}×`),
      metric(
        s,
        'threads stored, naive / hs-import',
        oursStored,
        `${naiveStored} / ${oursStored}`,
        `both = ${exp.rows} rows`,
        complete,
      ),
    ],
    details: {
      export: { rows: exp.rows, conversations: exp.conversations, threadsPer },
      rateLimitPerMinute: options.rateLimit,
      latencyMs: options.latencyMs,
      naive: { ...naive, wallMs: Math.round(naive.wallMs), threadsStored: naiveStored },
      hsImport: {
        wallMs: Math.round(ours.exit.wallMs),
        writes: oursWrites,
        reads: ours.summary.requests.reads,
        throttled429: ours.summary.requests.throttled429,
        durationsMs: ours.summary.durationsMs,
        threadsStored: oursStored,
      },
    },
  };
}

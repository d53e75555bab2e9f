import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { runValidate } from '../validate-runner.js';
import { cachedExport } from '../workspace.js';

const LIMIT_MB = 300;

/** Peak RSS of `validate` on a small and a large export: memory must not grow with the export. */
export async function memorySection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const runs = [];
  for (const rows of options.memory.rows) {
    const exp = await cachedExport('rows', { seed: options.seed, minThreads: rows });
    log(`memory: validate on ${exp.rows} rows`);
    const run = await runValidate(exp.path);
    // MB of 10^6 bytes: the stricter reading of the goal.
    runs.push({ rows: exp.rows, maxRssMB: (run.maxRssKiB * 1024) / 1e6, wallMs: Math.round(run.wallMs) });
  }
  const [small, large] = runs as [(typeof runs)[number], (typeof runs)[number]];
  const growth = large.maxRssMB / small.maxRssMB;
  const s = 'memory';
  return {
    section: s,
    metrics: [
      metric(
        s,
        `peak RSS, validate ${small.rows} rows`,
        small.maxRssMB,
        `${small.maxRssMB.toFixed(0)} MB`,
        `≤ ${LIMIT_MB} MB`,
        small.maxRssMB <= LIMIT_MB,
      ),
      metric(
        s,
        `peak RSS, validate ${large.rows} rows`,
        large.maxRssMB,
        `${large.maxRssMB.toFixed(0)} MB`,
        `≤ ${LIMIT_MB} MB`,
        large.maxRssMB <= LIMIT_MB,
      ),
      metric(s, 'peak RSS large ÷ small', growth, fixed(growth, 2), '≤ 1.3', growth <= 1.3),
    ],
    details: { runs },
  };
}

import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { runCsvParseOnly, runValidate } from '../validate-runner.js';
import { cachedExport } from '../workspace.js';

/**
 * Rows a second of `validate` (read, validate, stage, plan) against csv-parse alone, same file, same run. The
 * two alternate, `rounds` times each, and the ratio reported is the median of the rounds' ratios: on a
 * shared machine the speed of both drifts by a third within minutes, and a pair run back to back sees the
 * same drift.
 */
export async function speedSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const exp = await cachedExport('rows', { seed: options.seed, minThreads: options.speed.rows });
  log(`speed: ${exp.rows} rows, ${options.speed.rounds} rounds`);
  const rounds: { parseMs: number; validateMs: number; ratio: number; maxRssKiB: number }[] = [];
  for (let i = 0; i < options.speed.rounds; i++) {
    const parseOnly = await runCsvParseOnly(exp.path);
    const validate = await runValidate(exp.path);
    if (parseOnly.records !== exp.rows || validate.rowsRead !== exp.rows) {
      throw new Error(
        `row counts differ: export ${exp.rows}, csv-parse ${parseOnly.records}, validate ${validate.rowsRead}`,
      );
    }
    // Same rows: the ratio of rates is the inverse ratio of times.
    const r = parseOnly.wallMs / validate.wallMs;
    rounds.push({
      parseMs: Math.round(parseOnly.wallMs),
      validateMs: Math.round(validate.wallMs),
      ratio: Number(r.toFixed(4)),
      maxRssKiB: validate.maxRssKiB,
    });
    log(
      `speed: round ${i + 1}: csv-parse ${Math.round(parseOnly.wallMs)} ms, validate ${Math.round(validate.wallMs)} ms, ratio ${fixed(r)}`,
    );
  }
  const mid = [...rounds].sort((a, b) => a.ratio - b.ratio)[
    Math.floor(rounds.length / 2)
  ] as (typeof rounds)[number];
  const parseRate = exp.rows / (mid.parseMs / 1000);
  const validateRate = exp.rows / (mid.validateMs / 1000);
  const spread = `${fixed(Math.min(...rounds.map((x) => x.ratio)))}–${fixed(Math.max(...rounds.map((x) => x.ratio)))}`;
  const s = 'speed';
  return {
    section: s,
    metrics: [
      metric(
        s,
        `csv-parse alone, ${exp.rows} rows (median round)`,
        parseRate,
        `${Math.round(parseRate)} rows/s`,
      ),
      metric(
        s,
        `validate, ${exp.rows} rows (median round)`,
        validateRate,
        `${Math.round(validateRate)} rows/s`,
      ),
      metric(
        s,
        `validate ÷ csv-parse (rows/s), median of ${rounds.length} (${spread})`,
        mid.ratio,
        fixed(mid.ratio),
        '≥ 0.5',
        mid.ratio >= 0.5,
      ),
    ],
    details: { rows: exp.rows, rounds },
  };
}

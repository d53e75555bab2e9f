import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { runCsvParseOnly, runValidate } from '../validate-runner.js';
import { cachedExport } from '../workspace.js';

/** Rows a second of `validate` (read, validate, stage, plan) against csv-parse alone, same file, same run. */
export async function speedSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const exp = await cachedExport('rows', { seed: options.seed, minThreads: options.speed.rows });
  log(`speed: ${exp.rows} rows`);
  const parseOnly = await runCsvParseOnly(exp.path);
  const validate = await runValidate(exp.path);
  if (parseOnly.records !== exp.rows || validate.rowsRead !== exp.rows) {
    throw new Error(
      `row counts differ: export ${exp.rows}, csv-parse ${parseOnly.records}, validate ${validate.rowsRead}`,
    );
  }
  const parseRate = exp.rows / (parseOnly.wallMs / 1000);
  const validateRate = exp.rows / (validate.wallMs / 1000);
  const r = validateRate / parseRate;
  const s = 'speed';
  return {
    section: s,
    metrics: [
      metric(s, `csv-parse alone, ${exp.rows} rows`, parseRate, `${Math.round(parseRate)} rows/s`),
      metric(s, `validate, ${exp.rows} rows`, validateRate, `${Math.round(validateRate)} rows/s`),
      metric(s, 'validate ÷ csv-parse (rows/s)', r, fixed(r), '≥ 0.5', r >= 0.5),
    ],
    details: {
      rows: exp.rows,
      csvParseOnly: { wallMs: Math.round(parseOnly.wallMs), rowsPerSecond: Math.round(parseRate) },
      validate: {
        wallMs: Math.round(validate.wallMs),
        rowsPerSecond: Math.round(validateRate),
        maxRssKiB: validate.maxRssKiB,
      },
    },
  };
}

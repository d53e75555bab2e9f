import type { BenchOptions } from '../options.js';
import { fixed, metric, type SectionResult } from '../types.js';
import { runJsonlParseOnly, runValidate } from '../validate-runner.js';
import { zendeskExport } from '../zendesk-export.js';

/**
 * The JSON reader on a generated Zendesk-shaped JSONL export (the preset recognised, as a user would run it):
 * `validate`'s messages a second against a bare loop that only JSON.parses each line (median of the rounds'
 * ratios, as in the speed section), and its peak RSS against the same export at a tenth of the size.
 */
export async function jsonSection(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<SectionResult> {
  const { messages, smallMessages, rounds } = options.json;
  const large = await zendeskExport(options.seed, messages);
  const small = await zendeskExport(options.seed, smallMessages);
  log(`json: ${messages} messages, ${rounds} rounds`);
  const runs: { parseMs: number; validateMs: number; ratio: number; maxRssKiB: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    const parseOnly = await runJsonlParseOnly(large.path);
    const validate = await runValidate(large.path);
    if (parseOnly.records !== messages || validate.rowsRead !== messages) {
      throw new Error(
        `counts differ: ${messages}, JSON.parse ${parseOnly.records}, validate ${validate.rowsRead}`,
      );
    }
    const r = parseOnly.wallMs / validate.wallMs;
    runs.push({
      parseMs: Math.round(parseOnly.wallMs),
      validateMs: Math.round(validate.wallMs),
      ratio: Number(r.toFixed(4)),
      maxRssKiB: validate.maxRssKiB,
    });
    log(
      `json: round ${i + 1}: JSON.parse ${runs[i]?.parseMs} ms, validate ${runs[i]?.validateMs} ms, ratio ${fixed(r)}`,
    );
  }
  const mid = [...runs].sort((a, b) => a.ratio - b.ratio)[
    Math.floor(runs.length / 2)
  ] as (typeof runs)[number];
  const smallRun = await runValidate(small.path);
  const growth = Math.max(...runs.map((x) => x.maxRssKiB)) / smallRun.maxRssKiB;
  const mb = (kib: number) => `${((kib * 1024) / 1e6).toFixed(0)} MB`;
  const s = 'json';
  return {
    section: s,
    metrics: [
      metric(
        s,
        `JSON.parse loop, ${messages} messages`,
        messages / (mid.parseMs / 1000),
        `${Math.round(messages / (mid.parseMs / 1000))} msg/s`,
      ),
      metric(
        s,
        `validate (zendesk JSONL), ${messages} messages`,
        messages / (mid.validateMs / 1000),
        `${Math.round(messages / (mid.validateMs / 1000))} msg/s`,
      ),
      metric(
        s,
        `validate ÷ JSON.parse loop, median of ${runs.length}`,
        mid.ratio,
        fixed(mid.ratio),
        '≥ 0.5',
        mid.ratio >= 0.5,
      ),
      metric(s, `peak RSS, validate ${smallMessages} messages`, smallRun.maxRssKiB, mb(smallRun.maxRssKiB)),
      metric(
        s,
        `peak RSS ${messages} ÷ ${smallMessages} messages`,
        growth,
        fixed(growth, 2),
        '≤ 1.3',
        growth <= 1.3,
      ),
    ],
    details: { messages, smallMessages, runs, small: smallRun },
  };
}
